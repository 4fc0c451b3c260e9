// What the vendor answers a query with, before its body is written: a documented answer, or a
// trace of the carrier it names (forced by a scenario, pinned by a fixture, or the synthetic one).

#include "../text.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/simulator.hpp"
#include "kuaidi/synthetic_trace.hpp"

namespace kuaidi {

const carrier* named_carrier(const std::string& tracking_number, const request_params& params) {
  if (params.code) {
    const std::string code = text::lower(text::trim(*params.code));
    if (!code.empty()) return find_carrier(code);
  }
  if (tracking_number.empty()) return nullptr;
  const detection d = detect_carrier(tracking_number);
  return d.best() ? d.best()->carrier : nullptr;
}

vendor_outcome forced_outcome(const scenario& s, const request_params& params) {
  const std::string number = params.kddh ? normalise_tracking_number(*params.kddh) : std::string();
  const carrier* named = named_carrier(number, params);
  if (&s == &entry(scenario_id::success)) {
    // A forced trace needs a carrier: the vendor's own example carrier when none can be named.
    return {nullptr, named ? named : find_carrier("zhongtong"),
            number.empty() ? std::string(reserved_for("success")->tracking_number) : number};
  }
  const bool names_carrier = s.ok == 1 && &s != &entry(scenario_id::carrier_unmatched);
  return {&s, names_carrier ? named : nullptr, number};
}

vendor_outcome fixture_outcome(const scenario& s, const std::string& tracking_number) {
  const carrier* named = named_carrier(tracking_number, {});
  if (&s == &entry(scenario_id::success) && named) return {nullptr, named, tracking_number};
  return {&s, s.ok == 1 ? named : nullptr, tracking_number};
}

vendor_outcome synthetic_outcome(const validation& checked) {
  const tracking_request& r = checked.request;
  const std::string& number = r.tracking_number;
  const carrier* by = nullptr;
  if (!r.carrier_code.empty()) {
    by = find_carrier(r.carrier_code);
    if (!by) return {&entry(scenario_id::carrier_unmatched), nullptr, number};
  } else if (const candidate* best = checked.carriers.best()) {
    by = best->carrier;
  } else if (!checked.carriers.rejected.empty()) {
    return {&entry(scenario_id::number_wrong), checked.carriers.rejected.front().carrier, number};
  } else {
    return {&entry(scenario_id::carrier_unmatched), nullptr, number};
  }
  if (by->needs_phone_tail && r.phone_tail.empty()) return {&entry(scenario_id::no_record), by, number};
  if (looks_void(number)) return {&entry(scenario_id::number_void), by, number};
  return {nullptr, by, number};
}

}  // namespace kuaidi
