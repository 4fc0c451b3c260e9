#pragma once
// kuaidi-mock's command line: every flag, its default, and a clear error for a bad value.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kuaidi/accounts.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/faults.hpp"
#include "kuaidi/referee.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/result.hpp"
#include "kuaidi/signature.hpp"
#include "kuaidi/simulator.hpp"

namespace kuaidi::mock {

enum class scenario_listing { none, markdown, json };

struct mock_options {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see --port-file)
  std::string port_file;
  gateway_generation gateway = gateway_generation::classic;
  platform mode = platform::market;

  std::vector<account_spec> appcodes;
  int rate_limit = 0;             // calls per second per AppCode; 0: no flow control
  bool appcode_in_query = false;  // the provider's "Header & Query" AppCode mode

  std::vector<own_platform_app> apps;
  sign_algorithm algorithm = sign_algorithm::md5;
  std::vector<std::string> allowed_sources;  // IPs or Origins; empty: every source allowed

  std::optional<std::int64_t> now_seconds;
  double clock_rate = 0;  // simulated seconds per real second; 0: the simulated clock stands still
  std::string fixtures_path;

  latency_range latency;
  double fault_rate = 0;
  std::vector<fault> faults = default_random_faults();
  std::uint64_t seed = 1;
  int backend_timeout_ms = 10000;

  bool expose_headers = false;
  std::string web_root;

  int threads = 0;  // event-loop threads; 0: two per core
  int keep_alive_timeout_s = 5;
  int read_timeout_s = 5;
  std::size_t max_url_length = 8000;
  std::size_t max_request_bytes = 64 * 1024;  // request line + headers + body
  std::size_t journal_size = 1000;
  std::string log_target = "-";

  referee_thresholds referee;
  std::string report_path;            // --report: written when the server stops
  std::vector<referee_rule> fail_on;  // exit status 1 when any of these fired

  scenario_listing list = scenario_listing::none;
  std::optional<std::string> sign_query;  // --sign-query: print string_to_sign and sign, exit
  std::string sign_secret;
  bool help = false;
  bool version = false;
};

// The options, or what was wrong with the command line and what to write instead.
result<mock_options> parse_options(const std::vector<std::string>& args);

// What the simulator is told of the options; synthetic traces end at `trace_anchor_seconds`.
simulator_config simulator_config_from(const mock_options& options, std::int64_t trace_anchor_seconds);
std::string usage_text();

}  // namespace kuaidi::mock
