#pragma once
// The referee: what a client under test wastes or gets wrong, judged from the requests it sends and
// the answers it gets. Each rule rests on a documented fact (billing, the gateway's refusals, the
// carriers that need the phone tail); its explanation says which.
//
// Pure: a value fed one observation per answered request, in the order they were answered; time
// comes in with the observation. AppCodes are compared by a hash and never kept or reported.
//
// Example:
//   referee judge;                                  // the thresholds
//   judge.observe(observe_request(request, answered).value());
//   const referee_report report = judge.report();   // findings of the rules that fired

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "kuaidi/catalogue.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/simulator.hpp"

namespace kuaidi {

enum class referee_rule {
  duplicate_billed_query,           // the same kddh (+ tel) billed again within the window
  retried_vendor_refusal,           // a request the vendor refused (ok:0, HTTP 666) sent again
  call_after_quota_exhausted,       // refused as used up again, with no change in between
  no_backoff_after_throttle,        // a call within the back-off of a throttled answer
  retry_storm_after_gateway_error,  // more than storm_calls calls within storm_window of a 5xx
  appcode_in_query,                 // the AppCode sent in the URL
  missing_tel_for_carrier,          // a carrier that needs the phone tail, asked without tel
};

constexpr std::size_t referee_rule_count = 7;
constexpr std::array<referee_rule, referee_rule_count> all_referee_rules = {
    referee_rule::duplicate_billed_query,          referee_rule::retried_vendor_refusal,
    referee_rule::call_after_quota_exhausted,      referee_rule::no_backoff_after_throttle,
    referee_rule::retry_storm_after_gateway_error, referee_rule::appcode_in_query,
    referee_rule::missing_tel_for_carrier};

std::string_view to_string(referee_rule rule);
std::optional<referee_rule> parse_referee_rule(std::string_view name);
// "duplicate_billed_query, retried_vendor_refusal, …" for messages that say what is accepted.
std::string referee_rule_names();

// The defaults; kuaidi-mock takes each as a flag.
struct referee_thresholds {
  std::int64_t duplicate_window_ms = 30 * 60 * 1000;
  std::int64_t throttle_backoff_ms = 1000;
  int storm_calls = 3;  // more calls than this within storm_window_ms of a gateway 5xx is a storm
  std::int64_t storm_window_ms = 2000;
};

// One answered request, as the referee sees it.
struct referee_observation {
  std::int64_t time_ms = 0;
  std::string appcode;  // whole (header, else query): hashed at once, never kept or printed
  bool appcode_in_query = false;
  request_params params;  // the vendor's parameters as sent
  int status = 0;
  const scenario* answered = nullptr;  // null for a fixture's raw response
  bool billed = false;
  std::string route;
  std::string request_id;
};

// What the referee needs of a request and the simulator's answer to it; nullopt for what is no
// call to the service (a preflight, a request the simulator could not honour).
std::optional<referee_observation> observe_request(const gateway_request& request,
                                                   const simulation& answered);

struct referee_finding {
  referee_rule rule;
  std::int64_t count = 0;                // requests that broke the rule
  std::int64_t billed_calls_wasted = 0;  // of those, the billed ones the client did not need
  std::string first_request_id;
  std::string last_request_id;
  owned_text explanation;  // the rule, the documented fact behind it, what to do instead
};

struct referee_report {
  std::vector<referee_finding> findings;  // the rules that fired, in rule order
  std::int64_t requests = 0;
  std::int64_t billed = 0;
  referee_thresholds thresholds;
  const referee_finding* find(referee_rule rule) const;
};

// {"findings":[{"rule","count","billed_calls_wasted","first_request_id","last_request_id",
//   "explanation":{"zh","en"}}], "requests", "billed",
//  "thresholds":{"duplicate_window_ms","throttle_backoff_ms","storm_calls","storm_window_ms"}}
nlohmann::json to_json(const referee_report& report);

// The explanation of a rule with the thresholds and the catalogue's texts filled in.
owned_text explain(referee_rule rule, const referee_thresholds& thresholds);

class referee {
 public:
  explicit referee(referee_thresholds thresholds = {});

  void observe(const referee_observation& seen);
  referee_report report() const;
  void reset();  // forget everything seen; the thresholds stay
  const referee_thresholds& thresholds() const { return thresholds_; }

 private:
  struct tally {
    std::int64_t count = 0;
    std::int64_t wasted = 0;
    std::string first_request_id;
    std::string last_request_id;
  };
  // What the referee remembers of one AppCode (by hash).
  struct caller {
    bool exhausted = false;
    std::optional<std::int64_t> throttled_at;
    std::optional<std::int64_t> storm_started;
    int calls_in_storm = 0;
  };

  void fire(referee_rule rule, const referee_observation& seen);
  bool needs_phone_tail(const request_params& params);
  void bound_memory(std::int64_t now_ms);

  referee_thresholds thresholds_;
  std::array<tally, referee_rule_count> tallies_{};
  std::int64_t requests_ = 0;
  std::int64_t billed_ = 0;
  std::unordered_map<std::uint64_t, caller> callers_;
  std::unordered_map<std::string, std::int64_t> last_billed_;  // kddh + tel → time of its last bill
  std::unordered_set<std::string> refused_;                    // requests the vendor refused
  std::unordered_map<std::string, bool> tail_needed_;          // kddh + code → carrier needs tel
};

}  // namespace kuaidi
