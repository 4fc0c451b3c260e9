#pragma once
// The answer to GET /query, decided in the order the real service decides it:
//   forced gateway scenario → gateway (auth, state, quota, flow control) → gateway faults and
//   backend timeout → forced vendor scenario → the vendor's validation (core) → fixtures →
//   synthetic trace.
// A scenario is forced by X-Mock-Scenario, ?__scenario= or a reserved tracking number.
// No HTTP library here: the server turns a mock_answer into bytes.

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "accounts.hpp"
#include "clock.hpp"
#include "faults.hpp"
#include "fixtures.hpp"
#include "kuaidi/request.hpp"
#include "options.hpp"
#include "synthetic_trace.hpp"

namespace kuaidi::mock {

struct query_request {
  std::string query;  // raw, after '?', still percent-encoded
  std::optional<std::string> authorization;
  std::optional<std::string> scenario_header;
  std::optional<std::string> fault_header;
  std::optional<std::string> latency_header;
  std::string remote_addr;
  std::string origin;
};

struct mock_answer {
  int http_status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  const scenario* answered = nullptr;  // null for a fixture's raw response or a mock error
  std::string route;                   // natural, header, query, reserved, fixture, fault, mock_error
  fault_plan plan;
  std::string appcode;  // masked, for the journal
};

// The JSON content type of the vendor's answers.
extern const char* const vendor_content_type;

// What the vendor stage answers, decided before it becomes bytes: a synthetic trace of
// `tracking_number` by `named`, or the catalogue entry `answer`, naming `named` when set.
// Shared with the soak driver, which builds its expected answers from the same decisions.
struct vendor_outcome {
  const scenario* answer = nullptr;  // nullptr: a synthetic trace (named is then set)
  const carrier* named = nullptr;
  std::string tracking_number;
};

// The carrier an ok:1 answer names: the code's when given (unknown code: none), else the detected one.
const carrier* named_carrier(const std::string& tracking_number, const request_params& params);

// A forced vendor scenario (the other query parameters are kept).
vendor_outcome forced_outcome(const scenario& s, const request_params& params);
// A fixture pinning a vendor scenario for `tracking_number`.
vendor_outcome fixture_outcome(const scenario& s, const std::string& tracking_number);
// A valid number without a fixture (README: synthetic traces).
vendor_outcome synthetic_outcome(const validation& checked);

mock_answer gateway_answer(const scenario& s, gateway_generation generation, std::string route);

// A request the mock itself cannot honour (an unknown X-Mock-Scenario id, a bad X-Mock-Latency).
mock_answer mock_error(int http_status, const std::string& problem, const std::string& hint);

// Answers the vendor stage gave for a query string, while the fixtures stay the same: on the
// market, validation, fixtures and traces depend on nothing else. Bounded.
class answer_cache {
 public:
  std::optional<mock_answer> find(const std::string& vendor_query, std::uint64_t fixtures_generation);
  void keep(const std::string& vendor_query, std::uint64_t fixtures_generation, const mock_answer& answer);

 private:
  static constexpr std::size_t capacity = 4096;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, mock_answer> answers_;
};

class query_service {
 public:
  query_service(const mock_options& options, const mock_clock& clock, accounts& accounts,
                fixture_store& fixtures, fault_injector& faults);

  mock_answer answer(const query_request& request);

 private:
  struct forced_scenario {
    const scenario* chosen = nullptr;
    std::string route;
  };

  std::optional<forced_scenario> forced(const query_request& request,
                                        const std::optional<std::string>& scenario_param,
                                        const request_params& params, std::string& error) const;
  std::optional<mock_answer> gateway_stage(const query_request& request, const fault_plan& plan,
                                           const std::optional<std::string>& appcode);
  mock_answer forced_answer(const scenario& s, const request_params& params, std::string route);
  mock_answer vendor_stage(const std::string& vendor_query, const request_params& params,
                           const query_request& request);
  mock_answer validated_answer(const request_params& params, const query_request& request);
  mock_answer fixture_answer(const fixture& pinned);
  mock_answer outcome_answer(const vendor_outcome& outcome, std::string_view appid = {});
  mock_answer vendor_answer(const scenario& s, std::string_view carrier_name,
                            std::string_view tracking_number, std::string_view appid = {});
  mock_answer trace_answer(const std::string& tracking_number, const carrier& by);
  bool source_allowed(const query_request& request) const;

  const mock_options& options_;
  const mock_clock& clock_;
  accounts& accounts_;
  fixture_store& fixtures_;
  fault_injector& faults_;
  trace_cache traces_;
  answer_cache answers_;
};

}  // namespace kuaidi::mock
