#pragma once
// The simulator: what the real service (the Aliyun gateway, then the vendor behind it) answers to
// one request, decided in the order the real service decides it:
//   URL length, preflight and route → forced gateway scenario → the gateway (auth, account state,
//   quota, flow control) → gateway faults and the backend timeout → forced vendor scenario → the
//   vendor's validation → fixtures → a synthetic trace.
// A scenario is forced by X-Mock-Scenario, ?__scenario= or a reserved tracking number.
//
// Pure: the state is a value the caller owns and serialises (kuaidi-mock under its lock, the page
// and the Node package in their one thread); time and randomness come in with the request. It
// returns the whole answer and a record of it; the caller performs what the record asks of the
// transport (a delay, a reset, a body cut short) and writes the bytes.
//
// Example:
//   simulator_config config;                       // classic gateway, any AppCode accepted
//   simulator_state state = initial_state(config);
//   gateway_request request;
//   request.target = "/query?kddh=JT3084743373888";
//   request.headers = {{"Authorization", "APPCODE demo"}};
//   const simulation s = simulate(config, state, request);  // s.answer.status == 200, billed

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kuaidi/accounts.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/faults.hpp"
#include "kuaidi/fixtures.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/request.hpp"

namespace kuaidi {

// Aliyun's market (AppCode through the gateway) or the vendor's own platform (appid + sign).
enum class platform { market, own };

std::string_view to_string(platform mode);
// "market" or "own"; nullopt for any other name.
std::optional<platform> parse_platform(std::string_view name);

struct simulator_config {
  gateway_generation gateway = gateway_generation::classic;
  platform mode = platform::market;

  std::vector<account_spec> appcodes;  // empty: any AppCode is accepted, with unlimited calls
  int rate_limit = 0;                  // calls per second per AppCode; 0: no flow control

  std::vector<own_platform_app> apps;
  sign_algorithm algorithm = sign_algorithm::md5;
  std::vector<std::string> allowed_sources;  // IPs or Origins; empty: every source allowed

  latency_range latency;
  double fault_rate = 0;
  std::vector<fault> faults = default_random_faults();
  std::uint64_t seed = 1;
  int backend_timeout_ms = 10000;

  std::size_t max_url_length = 8000;
  // The provider's "Header & Query" AppCode mode: AppCode=… in the query authorises too. Off by
  // default, as on the market, where a query AppCode is no authorisation at all.
  bool appcode_in_query = false;
  bool expose_headers = false;  // add Access-Control-Expose-Headers (the real gateway sends none)
  // The simulated clock: it reads the anchor when the request clock (now_ms) does, then runs
  // `clock_rate` simulated seconds per second (0: it stands still until moved). Synthetic parcels
  // live around the anchor and show the events whose time has come on it.
  std::int64_t trace_anchor_seconds = 0;
  double clock_rate = 0;
};

constexpr double max_clock_rate = 1000000;

// A request as the gateway receives it.
struct gateway_request {
  std::string method = "GET";
  std::string target;                // "/query?…", or the absolute form a proxy client sends
  std::vector<http_header> headers;  // as sent, any case, in order
  std::string remote_addr;
  std::int64_t now_ms = 0;    // when it arrived
  std::uint64_t entropy = 0;  // randomness of this request (its X-Ca-Request-Id)
};

struct simulated_answer {
  int status = 200;
  std::vector<http_header> headers;  // in order; Content-Length and Connection are the transport's
  std::string body;

  // The header's value, or empty (names compared case-insensitively).
  std::string_view header(std::string_view name) const;
};

// What the transport performs and what a journal keeps about one answer.
struct answer_record {
  // natural, header, query, reserved, fixture, fault, preflight, or mock_error (a request the
  // simulator cannot honour: an unknown X-Mock-Scenario, a bad X-Mock-Latency)
  std::string route;
  const scenario* answered = nullptr;  // null for a fixture's raw response, a preflight, a mock error
  bool billed = false;                 // a 2xx on the market: one call taken from the quota
  fault injected;                      // a transport fault is the caller's to perform
  int latency_ms = 0;                  // the answer leaves this much later
  std::string appcode;                 // masked, never whole
  std::string request_id;
};

struct simulation {
  simulated_answer answer;
  answer_record record;
};

// Answers of the market's vendor stage by request, valid for one set of fixtures: on the market
// they depend on the query alone, and building a trace costs more than the rest of a request.
// Bounded; invisible in the answers.
class vendor_memo {
 public:
  struct vendor_answer {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<http_header> extra_headers;
    const scenario* answered = nullptr;
    std::string route;
  };

  const vendor_answer* find(const std::string& key) const;
  void keep(const std::string& key, vendor_answer answer);
  void clear() { answers_.clear(); }

 private:
  static constexpr std::size_t capacity = 4096;
  std::unordered_map<std::string, vendor_answer> answers_;
};

// How far the simulated clock was moved by hand (advanced, set) beyond what its rate gives.
struct clock_moves {
  std::int64_t moved_ms = 0;
};

// Everything that changes as requests are answered, and the fixtures in force.
struct simulator_state {
  accounts book;
  fault_injector faults;
  std::shared_ptr<const fixture_set> fixtures = std::make_shared<const fixture_set>();
  vendor_memo memo;
  clock_moves clock;
};

simulator_state initial_state(const simulator_config& config);

// New fixtures go live (answers remembered from the old ones are forgotten).
void set_fixtures(simulator_state& state, std::shared_ptr<const fixture_set> fixtures);

simulation simulate(const simulator_config& config, simulator_state& state, const gateway_request& request);

// What the simulated clock reads when the request clock reads `now_ms`.
std::int64_t simulated_now_ms(const simulator_config& config, const simulator_state& state,
                              std::int64_t now_ms);

// The simulated clock moved forward by `seconds`, or set to `instant_seconds` (back in time too:
// then parcels lose the events after it). Answers remembered for the old time are forgotten.
void advance_clock(simulator_state& state, std::int64_t seconds);
void set_clock(const simulator_config& config, simulator_state& state, std::int64_t instant_seconds,
               std::int64_t now_ms);

// The answer to a request whose target is longer than the transport reads: the gateway's
// URL-too-long answer (the transport's limit is reached before the gateway's).
simulation simulate_target_too_long(const simulator_config& config, std::int64_t now_ms,
                                    std::uint64_t entropy);

// The target in origin form: "http://host/query?…" (what a client sends through a proxy) → "/query?…".
std::string_view origin_form(std::string_view target);

// AppCode=… in the query (any of the spellings Aliyun accepts), whether or not it authorises: it
// does only in the provider's "Header & Query" mode.
std::optional<std::string> appcode_in_query(const request_params& params);

// The gateway's CORS headers, on every answer (and what a server in its place sends on its own).
std::vector<http_header> gateway_cors_headers(bool expose_headers);

// An upper-case version-4 UUID as the gateway writes X-Ca-Request-Id, from 64 random bits.
std::string request_id_from(std::uint64_t entropy);

// Whether `id` has that shape (checked by the tests and the soak, not by the simulator).
inline bool is_request_id(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return id[14] == '4' && (id[19] == '8' || id[19] == '9' || id[19] == 'A' || id[19] == 'B');
}

// The vendor stage's choice before it becomes bytes: a synthetic trace of `tracking_number` by
// `named`, or the catalogue entry `answer`, naming `named` when set. Public so that independent
// checkers (the soak) can restate nothing.
struct vendor_outcome {
  const scenario* answer = nullptr;  // nullptr: a synthetic trace (named is then set)
  const carrier* named = nullptr;
  std::string tracking_number;
};

// The carrier an ok:1 answer names: the code's when given (unknown code: none), else the detected one.
const carrier* named_carrier(const std::string& tracking_number, const request_params& params);
vendor_outcome forced_outcome(const scenario& s, const request_params& params);
vendor_outcome fixture_outcome(const scenario& s, const std::string& tracking_number);
vendor_outcome synthetic_outcome(const validation& checked);

// The hosts the API answers under (the market's, and the vendor's sample host); a proxy client's
// absolute-form request to any other host is the gateway's Invalid Domain.
constexpr std::string_view api_hosts[] = {"chawuliu.market.alicloudapi.com", "aliyun03.muzhiapi.com"};

// The content type of the vendor's JSON answers and of the gateway's empty error answers.
constexpr std::string_view vendor_content_type = "application/json;charset=UTF-8";
constexpr std::string_view gateway_content_type = "text/plain;charset=UTF-8";

}  // namespace kuaidi
