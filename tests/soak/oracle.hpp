#pragma once
// What each request must get: the answers the core builds for it (catalogue entries, fixtures of
// every version the server may be serving, synthetic traces), and the judge of what came back.

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client.hpp"
#include "kuaidi/synthetic_trace.hpp"

namespace kuaidi::soak {

constexpr const char* version_header = "X-Soak-Version";
constexpr const char* fixture_trace_number = "JT9000000000001";
constexpr const char* fixture_scenario_number = "JT9000000000002";
constexpr const char* fixture_response_number = "JT9000000000003";
constexpr const char* fixture_tel_number = "SF9000000000004";
constexpr const char* fixture_tel = "8888";
constexpr const char* fixture_blink_number = "YT9000000000005";
constexpr int padding_fixtures = 4000;  // ~30 ms to reload on a quiet machine; larger fragments the heap
constexpr std::string_view padding_prefix = "JT8000000";

// One exact answer: status, Content-Type, body bytes and the documented headers.
struct answer_spec {
  std::string label;  // catalogue id, or what the fixture pinned
  int status = 0;
  std::optional<std::string> content_type;  // nullopt: no Content-Type at all
  std::string body;
  header_list required;
  std::vector<std::string> forbidden;
  int version = 0;  // the fixture version this answer belongs to; 0 when fixtures play no part
};

struct raw_fixture {
  int status = 200;
  std::string content_type;  // empty: left out of the file, so the documented default applies
  std::string body;
  std::string version;
};

struct fixture_entry {
  explicit fixture_entry(std::string number, std::string phone_tail = {})
      : kddh(std::move(number)), tel(std::move(phone_tail)) {}
  std::string kddh;
  std::string tel;
  const scenario* answer = nullptr;
  std::optional<trace> pinned;
  bool kdmc_in_file = true;
  std::optional<raw_fixture> raw;
};

// A file with one mistake, and the place the mock's message must name ("" for broken JSON).
struct broken_file {
  std::string text;
  std::string place;
  std::string kind;
};

// Version `version` of the fixture file: every kind of pinned answer, each telling its version.
std::vector<fixture_entry> fixture_plan(int version);

// Plans by version, built once: answers are checked against many versions at a time.
class fixture_book {
 public:
  const std::vector<fixture_entry>& plan(int version) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = plans_.find(version);
    if (it == plans_.end()) it = plans_.emplace(version, fixture_plan(version)).first;
    return it->second;
  }
  int written() const { return written_; }
  void now_writing(int version) { written_ = version; }

 private:
  std::mutex mutex_;
  std::map<int, std::vector<fixture_entry>> plans_;
  std::atomic<int> written_{1};  // newest valid version on disk, or being written
};

// A GET /query in the terms the mock decides on.
struct query_plan {
  std::string vendor_query;
  std::optional<std::string> authorization;
  std::optional<std::string> scenario;
  bool scenario_in_query = false;
  std::optional<std::string> fault;
  bool fault_in_query = false;
  std::optional<std::string> latency;
  bool latency_in_query = false;
  bool close = false;
  bool head = false;

  wire_request request() const {
    wire_request r;
    if (head) r.method = "HEAD";
    std::string query = vendor_query;
    const auto add = [&](const char* name, const std::optional<std::string>& value, bool in_query,
                         const char* header) {
      if (!value) return;
      if (in_query)
        query += (query.empty() ? "" : "&") + std::string(name) + "=" + *value;
      else
        r.headers.emplace_back(header, *value);
    };
    add("__scenario", scenario, scenario_in_query, "X-Mock-Scenario");
    add("__fault", fault, fault_in_query, "X-Mock-Fault");
    add("__latency", latency, latency_in_query, "X-Mock-Latency");
    if (authorization) r.headers.emplace_back("Authorization", *authorization);
    r.target = "/query" + (query.empty() ? std::string() : "?" + query);
    r.close = close;
    return r;
  }
};

// Every answer the request may get, and which faults may change it.
struct expectation {
  std::vector<answer_spec> answers;               // exactly one of these
  transport_fault asked = transport_fault::none;  // X-Mock-Fault reset/truncate/malformed
  bool server_faults = false;                     // no X-Mock-Fault: the server's random faults may strike
  bool admitted = false;                          // past the gateway: random gateway faults too
  std::function<std::string(const wire_answer&)> custom;  // JSON endpoints: the problem in words
};

// How an answer may have been damaged on purpose (README, "Faults").
enum class shape { whole, malformed, truncated };

// What an answer was recognised as, copied (the expectation is gone); it may fit several versions.
struct match {
  std::string label;
  int status = 0;
  int version = 0;         // the newest version it fits
  int oldest_version = 0;  // the oldest: the server cannot have been older than this
};

struct verdict {
  verdict(std::string h, std::string p, const answer_spec* s, const answer_spec* oldest = nullptr)
      : how(std::move(h)), problem(std::move(p)) {
    if (s) matched = match{s->label, s->status, s->version, (oldest ? oldest : s)->version};
  }
  std::string how;  // exact, asked reset, random malformed, …; empty when wrong
  std::string problem;
  std::optional<match> matched;
};

answer_spec vendor_spec(const scenario& s, std::string_view kdmc, std::string_view number,
                        std::string_view appid = {});

answer_spec gateway_spec(const scenario& s, gateway_generation g);

// The mock's synthetic trace for a number, which is deterministic once the clock is pinned.
answer_spec synthetic_trace_spec(const std::string& number, const carrier& by);

bool is_fixture_number(std::string_view number);

json fixture_document(int version, bool padded = false);

broken_file broken_fixture_file(int version, unsigned mistake);

// The vendor's answer for each fixture version in [lo, hi], newest first (the first fit is the newest).
std::vector<answer_spec> natural_specs(const std::string& vendor_query, gateway_generation g,
                                       fixture_book& book, int lo, int hi);

// The mock's order (README, "What a call goes through").
expectation expect_query(const query_plan& q, gateway_generation g, fixture_book& book, int lo, int hi);

verdict judge(const expectation& e, const wire_answer& a, gateway_generation g);

std::string describe_expected(const expectation& e);

class soak_run;
// The open profile's plain GETs of tests/vectors/mock_natural.json.
std::vector<json> open_profile_vectors(const std::string& path);
// The driver's model of the mock must give the vectors' answers, or every check would be wrong.
void check_model_against_vectors(soak_run& run);

}  // namespace kuaidi::soak
