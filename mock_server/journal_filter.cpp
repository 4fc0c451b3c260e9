#include "journal_filter.hpp"

#include "enum_names.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/simulator.hpp"
#include "kuaidi/time.hpp"
#include "text.hpp"

namespace kuaidi::mock {

namespace {

constexpr const char* filter_names = "kddh, status, scenario, route, billed, since, limit";

// How an answer was chosen, as the journal writes it (the simulator's routes and the mock's own).
constexpr const char* routes[] = {"natural", "header",    "query",      "reserved", "fixture",
                                  "fault",   "preflight", "mock_error", "refused",  "library_error"};

std::string route_names() { return names::listed(routes); }

using refused_filter = failure<filter_refusal>;

refused_filter refused(const std::string& name, std::string error, std::string hint) {
  return {{std::move(error), std::move(hint), name}};
}

// One parameter into the filter, or the reason and what is accepted.
result<void, filter_refusal> apply(journal_filter& f, const std::string& name, const std::string& value,
                                   bool with_limit) {
  const auto bad = [&](const std::string& accepted) {
    return refused(name, "bad value for filter '" + name + "': '" + value + "'", name + ": " + accepted);
  };
  if (name == "kddh") {
    if (value.empty()) return bad("a tracking number, matched after normalising (case, spaces, '-')");
    f.kddh = normalise_tracking_number(value);
  } else if (name == "status") {
    const auto status = text::whole_number(value, 100, 999);
    if (!status) return bad("an HTTP status from 100 to 999, e.g. 200, 403 or 666");
    f.status = static_cast<int>(*status);
  } else if (name == "scenario") {
    if (!find_scenario(value))
      return bad("a catalogue id: " + names::listed(all_scenarios(), [](const scenario& s) { return s.id; }));
    f.scenario = value;
  } else if (name == "route") {
    bool known = false;
    for (const char* r : routes) known = known || value == r;
    if (!known) return bad(route_names());
    f.route = value;
  } else if (name == "billed") {
    if (value != "true" && value != "false") return bad("true or false");
    f.billed = value == "true";
  } else if (name == "since") {
    if (is_request_id(value)) {
      f.since_request_id = value;
    } else if (const auto ms = text::whole_number(value, 0, 9007199254740991LL)) {
      f.since_ms = *ms;
    } else if (const auto seconds = parse_instant(value)) {
      f.since_ms = *seconds * 1000;
    } else {
      return bad(
          "a request id (X-Ca-Request-Id), epoch milliseconds (1714536000000) or an ISO time "
          "(2024-05-01T12:00:00+08:00; no zone means China time)");
    }
  } else if (name == "limit" && with_limit) {
    const auto limit = text::whole_number(value, 1, 1000000);
    if (!limit) return bad("a whole number >= 1");
    f.limit = static_cast<std::size_t>(*limit);
  } else if (name == "limit") {
    return refused(name, "the count takes no limit: it counts every match",
                   "filters: kddh, status, scenario, route, billed, since");
  } else {
    return refused(name, "unknown filter '" + name + "'",
                   std::string("filters: ") +
                       (with_limit ? filter_names : "kddh, status, scenario, route, billed, since"));
  }
  return {};
}

}  // namespace

result<journal_filter, filter_refusal> parse_journal_filter(const query_pairs& query, bool with_limit) {
  journal_filter filter;
  for (const auto& [name, value] : query)
    if (auto applied = apply(filter, name, value, with_limit); !applied)
      return refused_filter{applied.error()};
  return filter;
}

bool matches(const journal_filter& f, const journal_entry& e) {
  if (f.kddh && (!e.kddh || normalise_tracking_number(*e.kddh) != *f.kddh)) return false;
  if (f.status && e.status != *f.status) return false;
  if (f.scenario && e.scenario != *f.scenario) return false;
  if (f.route && e.route != *f.route) return false;
  if (f.billed && e.billed != *f.billed) return false;
  if (f.since_ms && e.time_ms < *f.since_ms) return false;
  return true;
}

std::string journal_filter_help() {
  return std::string(filter_names) +
         " (since: a request id, epoch ms or an ISO time; route: " + route_names() + "; billed: true|false)";
}

}  // namespace kuaidi::mock
