#include "admin_api.hpp"

#include <limits>

#include "journal_filter.hpp"
#include "kuaidi/faults.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/reserved.hpp"
#include "text.hpp"

namespace kuaidi::mock {

namespace {

using json = nlohmann::json;

constexpr std::size_t default_journal_page = 100;
constexpr const char* quotas_prefix = "/quotas/";

admin_reply ok(json body) { return {200, std::move(body)}; }

admin_reply problem(int status, const std::string& error, const std::string& hint) {
  return {status, {{"error", error}, {"hint", hint}}};
}

}  // namespace

admin_api::admin_api(simulation_host& simulation, journal& journal, fixture_store& fixtures,
                     std::function<json()> health, std::function<std::int64_t()> now_ms)
    : simulation_(simulation),
      journal_(journal),
      fixtures_(fixtures),
      health_(std::move(health)),
      now_ms_(std::move(now_ms)) {}

admin_reply admin_api::handle(const admin_call& call) {
  const std::string& m = call.method;
  const std::string& path = call.path;
  if (path == "/" && m == "GET") return index();
  if (path == "/health" && m == "GET") return ok(health_());
  if (path == "/scenarios" && m == "GET") return ok(scenarios_json(simulation_.config().gateway));
  if (path == "/journal" && m == "GET") return read_journal(call.limit);
  if (path == "/journal" && m == "DELETE") return journal_.clear(), ok({{"cleared", true}});
  if (path == "/quotas" && m == "GET")
    return ok(simulation_.with_state([](simulator_state& s) { return s.book.to_json(); }));
  if (path == "/quotas/reset" && m == "POST")
    return ok(simulation_.with_state([](simulator_state& s) { return s.book.reset(), s.book.to_json(); }));
  if (path.rfind(quotas_prefix, 0) == 0) return quota(call, path.substr(std::string(quotas_prefix).size()));
  if (path == "/fixtures" && m == "GET") return ok(fixtures_.status());
  if (path == "/reload" && m == "POST") return reload();
  if (path == "/reset" && m == "POST") return reset();
  if (path == "/clock") return clock(call);
  if (path == "/requests" && m == "GET") return requests(call, false);
  if (path == "/requests/count" && m == "GET") return requests(call, true);
  if (path == "/report" && m == "GET") return report();
  if (path == "/report" && m == "DELETE")
    return simulation_.with_referee([](referee& judge) { judge.reset(); }), ok({{"cleared", true}});
  return problem(404, "no admin endpoint " + m + " /__admin" + path, "GET /__admin/ lists the endpoints");
}

admin_reply admin_api::index() const {
  return ok({{"endpoints",
              {"GET /__admin/health", "GET /__admin/scenarios", "GET /__admin/journal?limit=N",
               "DELETE /__admin/journal", "GET /__admin/quotas", "GET /__admin/quotas/<appcode>",
               "PUT /__admin/quotas/<appcode> {\"remaining\": N|null, \"state\": "
               "\"active|expired|unauthorized|arrears\"}",
               "POST /__admin/quotas/reset", "GET /__admin/fixtures", "POST /__admin/reload",
               "POST /__admin/reset", "GET /__admin/clock",
               "POST /__admin/clock {\"advance\": \"6h\"} or {\"set\": \"2022-10-28T09:00:00+08:00\"}",
               "GET /__admin/requests?<filters>", "GET /__admin/requests/count?<filters>",
               "GET /__admin/report", "DELETE /__admin/report", "GET /openapi.json"}},
             {"request_filters", journal_filter_help()},
             {"per_request",
              {"X-Mock-Scenario: <id> or ?__scenario=<id>",
               "X-Mock-Fault: " + fault_names_help() + " (or ?__fault=)",
               "X-Mock-Latency: MS or MIN-MAX (or ?__latency=)"}}});
}

admin_reply admin_api::read_journal(const std::optional<std::string>& limit) const {
  if (!limit) return ok(journal_.to_json(default_journal_page));
  const auto n = text::whole_number(*limit, 1, std::numeric_limits<std::int64_t>::max());
  if (!n)
    return problem(400, "limit must be a whole number >= 1, got '" + *limit + "'",
                   "GET /__admin/journal?limit=20");
  return ok(journal_.to_json(static_cast<std::size_t>(*n)));
}

admin_reply admin_api::quota(const admin_call& call, const std::string& appcode) {
  if (call.method == "GET") {
    const auto found = simulation_.with_state([&](simulator_state& s) { return s.book.to_json(appcode); });
    if (!found) return problem(404, "no such AppCode", "GET /__admin/quotas lists them (masked)");
    return ok(*found);
  }
  if (call.method != "PUT" && call.method != "POST")
    return problem(405, call.method + " is not used here", "GET or PUT /__admin/quotas/<appcode>");
  const json change = call.body.empty() ? json::object() : json::parse(call.body, nullptr, false);
  if (change.is_discarded()) return problem(400, "the body is not valid JSON", "send a JSON object");
  const auto updated = simulation_.with_state([&](simulator_state& s) -> result<json> {
    if (const auto done = s.book.update(appcode, change); !done) return fail(done.error());
    return *s.book.to_json(appcode);  // the update made the account if it was new
  });
  if (!updated)
    return problem(400, updated.error(),
                   R"(PUT /__admin/quotas/<appcode> {"remaining": 10, "state": "active"})");
  return ok(*updated);
}

admin_reply admin_api::reload() {
  const auto count = fixtures_.reload();
  if (!count) return problem(422, count.error(), "fix the file; the previous fixtures stay live");
  return ok({{"reloaded", true}, {"count", *count}});
}

// The simulated clock synthetic parcels live on: shown, advanced or set.
admin_reply admin_api::clock(const admin_call& call) {
  const simulator_config& config = simulation_.config();
  if (call.method != "GET" && call.method != "POST")
    return problem(405, call.method + " is not used here", "GET or POST /__admin/clock");
  const std::int64_t now = now_ms_();
  if (call.method == "GET")
    return ok(simulation_.with_state([&](simulator_state& s) { return clock_json(config, s, now); }));
  const json change = json::parse(call.body, nullptr, false);
  const auto moved = simulation_.with_state([&](simulator_state& s) -> result<json> {
    if (const auto done = change_clock(change, config, s, now); !done) return fail(done.error());
    return clock_json(config, s, now);
  });
  if (!moved) return problem(400, moved.error(), R"(POST /__admin/clock {"advance": "6h"})");
  return ok(*moved);
}

admin_reply admin_api::reset() {
  simulation_.with_state([](simulator_state& s) { s.book.reset(); });
  simulation_.with_referee([](referee& judge) { judge.reset(); });
  journal_.clear();
  return ok({{"reset", true}});
}

admin_reply admin_api::requests(const admin_call& call, bool count) const {
  const auto parsed = parse_journal_filter(call.query, !count);
  if (!parsed) {
    admin_reply refusal = problem(400, parsed.error().error, parsed.error().hint);
    refusal.body["filter"] = parsed.error().bad_filter;
    return refusal;
  }
  const journal_filter& filter = *parsed;
  const auto missing_since = [&] {
    const std::string error = "bad value for filter 'since': no request " + *filter.since_request_id;
    admin_reply refusal = problem(400, error + " in the journal",
                                  "since: the X-Ca-Request-Id of a request the journal still keeps "
                                  "(--journal-size), epoch milliseconds or an ISO time");
    refusal.body["filter"] = "since";
    return refusal;
  };
  if (count) {
    const auto n = journal_.count(filter);
    return n ? ok({{"count", *n}}) : missing_since();
  }
  auto selected = journal_.select(filter);
  return selected ? ok(std::move(*selected)) : missing_since();
}

admin_reply admin_api::report() {
  return ok(to_json(simulation_.with_referee([](const referee& judge) { return judge.report(); })));
}

}  // namespace kuaidi::mock
