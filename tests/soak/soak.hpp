#pragma once
// The soak of kuaidi-mock (scripts/soak_mock.sh): what the two servers run with, shared by the
// driver's parts: client (the wire), oracle (the expected answers), traffic, run and report.

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "kuaidi/accounts.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/faults.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/simulator.hpp"
#include "kuaidi/synthetic_trace.hpp"
#include "kuaidi/time.hpp"
#include "request_id.hpp"
#include "text.hpp"

#ifndef KUAIDI_VECTORS_DIR
#define KUAIDI_VECTORS_DIR "tests/vectors"
#endif

namespace kuaidi::soak {

using json = nlohmann::json;
using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;
using kuaidi::transport_fault;
using header_list = std::vector<std::pair<std::string, std::string>>;

// What the servers run with; printed by --server-args so that the script never repeats it.
constexpr const char* pinned_clock = "2022-10-27T19:30:00+08:00";
constexpr int backend_timeout_ms = 400;
constexpr const char* server_latency = "0-2";
constexpr const char* server_fault_rate = "0.03";
// Every random fault shows on the wire; resets are asked per request only, so an unasked one is wrong.
constexpr const char* server_faults =
    "malformed,truncate,timeout,throttle,service_busy,backend_unreachable,gateway_internal";
constexpr std::size_t journal_capacity = 1000;  // the documented default, passed explicitly
constexpr int keep_alive_timeout_s = 60;
constexpr std::size_t max_url_length = 8000;  // the documented default
constexpr int quota_calls = 12;

constexpr auto answer_timeout = 60s;        // no answer by then is a failure, however loaded the machine
constexpr auto reuse_limit = 10s;           // reopen idle connections long before the keep-alive ends
constexpr auto fixture_switch_limit = 60s;  // the watcher reloads within a second
constexpr auto descriptor_settle_limit = 30s;
constexpr std::int64_t rss_floor_kb = 2048;  // RSS growth below this is noise, whatever the ratio
constexpr double rss_growth_limit = 0.10;
// More than the mock's trace (8192) and answer (4096) caches hold: priming fills and clears both.
constexpr std::size_t pool_size = 9000;
constexpr std::size_t kept_wrong_answers = 12;

struct soak_account {
  const char* code;
  std::string quota_and_state;  // the --appcode suffix
  const char* refusal;          // the catalogue id the gateway answers, nullptr when admitted
};

const soak_account main_account{"SOAKMAINCODE000001", "unlimited", nullptr};
const soak_account quota_account{"SOAKQUOTACODE00002", std::to_string(quota_calls), nullptr};
const soak_account refused_accounts[] = {
    {"SOAKEXPIREDCODE003", "unlimited:expired", "quota_expired"},
    {"SOAKUNAUTHCODE0004", "unlimited:unauthorized", "unauthorized"},
    {"SOAKARREARSCODE005", "unlimited:arrears", "user_arrears"},
};

std::vector<std::string> server_args();

std::int64_t anchor_seconds();

const scenario& entry(std::string_view id);

std::string cut(const std::string& text, std::size_t n);

}  // namespace kuaidi::soak
