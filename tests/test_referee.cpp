#include <catch2/catch.hpp>

#include <string>

#include "kuaidi/json.hpp"
#include "kuaidi/referee.hpp"
#include "vectors.hpp"

using nlohmann::json;
using namespace kuaidi;

namespace {

const scenario& scenario_named(const std::string& id) {
  const scenario* s = find_scenario(id);
  INFO("catalogue id: " << id);
  REQUIRE(s != nullptr);
  return *s;
}

referee_observation observation_of(const json& step) {
  referee_observation seen;
  seen.request_id = step.at("id").get<std::string>();
  seen.time_ms = step.at("at_ms").get<std::int64_t>();
  seen.appcode = step.value("appcode", "");
  seen.appcode_in_query = step.value("appcode_in_query", false);
  if (step.contains("params")) seen.params = test::value_of(params_from_json(step["params"]));
  if (!step.at("scenario").is_null()) {
    const scenario& s = scenario_named(step["scenario"].get<std::string>());
    seen.answered = &s;
    seen.status = s.source == answer_source::gateway ? s.classic.http_status : s.http_status;
    seen.billed = s.billed;
  }
  seen.status = step.value("status", seen.status);
  seen.billed = step.value("billed", seen.billed);
  seen.route = step.value("route", "natural");
  return seen;
}

referee_thresholds thresholds_of(const json& c) {
  referee_thresholds t;
  if (!c.contains("thresholds")) return t;
  const json& given = c["thresholds"];
  t.duplicate_window_ms = given.value("duplicate_window_ms", t.duplicate_window_ms);
  t.throttle_backoff_ms = given.value("throttle_backoff_ms", t.throttle_backoff_ms);
  t.storm_calls = given.value("storm_calls", t.storm_calls);
  t.storm_window_ms = given.value("storm_window_ms", t.storm_window_ms);
  return t;
}

referee_observation billed_call(const std::string& id, std::int64_t at_ms, const std::string& kddh) {
  referee_observation seen;
  seen.request_id = id;
  seen.time_ms = at_ms;
  seen.appcode = "83359fd73fe94948385f570e3c139105";
  seen.params.kddh = kddh;
  seen.answered = &entry(scenario_id::success);
  seen.status = 200;
  seen.billed = true;
  seen.route = "natural";
  return seen;
}

}  // namespace

TEST_CASE("the referee's findings for sequences of answered requests", "[referee]") {
  const json vectors = kuaidi::test::load_vectors("referee.json");
  for (const json& c : vectors.at("cases")) {
    INFO("case: " << c.at("name").get<std::string>());
    referee judge(thresholds_of(c));
    for (const json& step : c.at("observations")) judge.observe(observation_of(step));
    const referee_report report = judge.report();
    const json reported = to_json(report);
    json findings = json::array();
    for (json finding : reported["findings"]) {
      const auto rule = parse_referee_rule(finding["rule"].get<std::string>());
      REQUIRE(rule);
      CHECK(finding["explanation"] ==
            json{{"zh", explain(*rule, report.thresholds).zh}, {"en", explain(*rule, report.thresholds).en}});
      finding.erase("explanation");
      findings.push_back(finding);
    }
    CHECK(findings == c.at("findings"));
    CHECK(reported["requests"] == c.at("requests"));
    CHECK(reported["billed"] == c.at("billed"));
  }
}

TEST_CASE("rule names round-trip, and an unknown name is refused", "[referee]") {
  for (const referee_rule rule : all_referee_rules) {
    CHECK(parse_referee_rule(to_string(rule)) == rule);
    CHECK(referee_rule_names().find(to_string(rule)) != std::string::npos);
  }
  CHECK_FALSE(parse_referee_rule("duplicate"));
  CHECK_FALSE(parse_referee_rule("all"));
}

TEST_CASE("explanations fill in the thresholds and the catalogue's own texts", "[referee]") {
  referee_thresholds t;
  t.duplicate_window_ms = 90 * 60 * 1000;
  t.throttle_backoff_ms = 1500;
  t.storm_calls = 5;
  t.storm_window_ms = 3000;
  for (const referee_rule rule : all_referee_rules) {
    const owned_text text = explain(rule, t);
    INFO("rule " << to_string(rule) << ": " << text.en);
    CHECK(text.en.find('{') == std::string::npos);
    CHECK(text.zh.find('{') == std::string::npos);
    CHECK(text.en.size() > 80);
    CHECK(text.zh.size() > 80);
  }
  CHECK(explain(referee_rule::duplicate_billed_query, t).en.find("within 90 min") != std::string::npos);
  CHECK(explain(referee_rule::duplicate_billed_query, t).zh.find("90 分钟") != std::string::npos);
  CHECK(explain(referee_rule::no_backoff_after_throttle, t).en.find("within 1500 ms") != std::string::npos);
  CHECK(explain(referee_rule::retry_storm_after_gateway_error, t)
            .en.find("More than 5 calls came within 3 s") != std::string::npos);
  const scenario& quota = entry(scenario_id::quota_exhausted);
  const std::string quota_text = explain(referee_rule::call_after_quota_exhausted, t).en;
  CHECK(quota_text.find(std::string(quota.classic.message)) != std::string::npos);
  CHECK(quota_text.find(std::string(quota.vpc.code)) != std::string::npos);
  const std::string tail_text = explain(referee_rule::missing_tel_for_carrier, t).zh;
  CHECK(tail_text.find(std::string(entry(scenario_id::no_record).msg)) != std::string::npos);
  for (const carrier& c : all_carriers())
    CHECK((tail_text.find(std::string(c.name_zh)) != std::string::npos) == c.needs_phone_tail);
}

TEST_CASE("missing_tel_for_carrier follows the carrier table's phone-tail knowledge", "[referee]") {
  for (const carrier& c : all_carriers()) {
    INFO("carrier " << c.code);
    referee judge;
    referee_observation seen = billed_call("r1", 0, "1234567890123");
    seen.params.code = std::string(c.code);
    judge.observe(seen);
    seen.params.tel = "8888";
    seen.request_id = "r2";
    seen.time_ms = 31 * 60 * 1000;
    judge.observe(seen);
    const referee_report report = judge.report();
    const referee_finding* found = report.find(referee_rule::missing_tel_for_carrier);
    CHECK((found != nullptr) == c.needs_phone_tail);
    if (found) CHECK(found->last_request_id == "r1");
  }
}

TEST_CASE("the report never holds the AppCode, and reset forgets everything", "[referee]") {
  referee judge;
  referee_observation seen = billed_call("r1", 0, "JT3084743373888");
  seen.appcode_in_query = true;
  judge.observe(seen);
  seen.request_id = "r2";
  judge.observe(seen);
  const json reported = to_json(judge.report());
  CHECK(reported["findings"].size() == 2);
  CHECK(reported.dump().find(seen.appcode) == std::string::npos);
  CHECK(reported.dump().find(seen.appcode.substr(0, 8)) == std::string::npos);
  judge.reset();
  CHECK(to_json(judge.report())["findings"].empty());
  CHECK(judge.report().requests == 0);
  judge.observe(seen);
  CHECK(judge.report().find(referee_rule::duplicate_billed_query) == nullptr);
}

TEST_CASE("an observation is what the gateway received and what the simulator answered", "[referee]") {
  simulator_config config;
  simulator_state state = initial_state(config);
  gateway_request request;
  request.target =
      "http://chawuliu.market.alicloudapi.com/query?kddh=SF1385628716739&code=shunfeng&AppCode=SECRET42";
  request.now_ms = 1700000000000;
  request.entropy = 7;
  const simulation refused = simulate(config, state, request);
  const auto seen = observe_request(request, refused);
  REQUIRE(seen);
  CHECK(seen->appcode_in_query);
  CHECK(seen->appcode == "SECRET42");
  CHECK(seen->answered == &entry(scenario_id::auth_missing));
  CHECK(seen->status == refused.answer.status);
  CHECK_FALSE(seen->billed);
  CHECK(seen->time_ms == request.now_ms);
  CHECK(seen->request_id == refused.record.request_id);
  CHECK(seen->params.kddh == "SF1385628716739");
  CHECK(seen->params.code == "shunfeng");
  CHECK_FALSE(seen->params.tel);

  request.target = "/query?kddh=SF1385628716739&code=shunfeng&__scenario=no_record";
  request.headers = {{"authorization", "APPCODE header-code"}};
  const simulation answered = simulate(config, state, request);
  const auto billed = observe_request(request, answered);
  REQUIRE(billed);
  CHECK_FALSE(billed->appcode_in_query);
  CHECK(billed->appcode == "header-code");
  CHECK(billed->billed);
  CHECK(billed->route == "query");
  CHECK(billed->answered == &entry(scenario_id::no_record));

  request.method = "OPTIONS";
  CHECK_FALSE(observe_request(request, simulate(config, state, request)));
  request.method = "GET";
  request.headers.push_back({"X-Mock-Scenario", "no_such_scenario"});
  CHECK_FALSE(observe_request(request, simulate(config, state, request)));
}

TEST_CASE("a long run stays bounded and still finds the repeats that follow", "[referee]") {
  referee judge;
  const std::int64_t window = judge.thresholds().duplicate_window_ms;
  for (int i = 0; i < 10000; ++i)
    judge.observe(
        billed_call("r" + std::to_string(i), i * window / 5000, "JT30847" + std::to_string(10000000 + i)));
  CHECK(judge.report().find(referee_rule::duplicate_billed_query) == nullptr);
  CHECK(judge.report().billed == 10000);
  judge.observe(billed_call("again-1", 3 * window, "JT3084743373888"));
  judge.observe(billed_call("again-2", 3 * window + 1, "JT3084743373888"));
  const referee_report report = judge.report();
  const referee_finding* repeat = report.find(referee_rule::duplicate_billed_query);
  REQUIRE(repeat);
  CHECK(repeat->count == 1);
  CHECK(repeat->first_request_id == "again-2");
}
