#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "kuaidi/json.hpp"
#include "kuaidi/simulator.hpp"
#include "vector_inputs.hpp"

using nlohmann::json;

namespace {

using kuaidi::test::require_known_keys;

kuaidi::gateway_request request_of(const json& step, const json& defaults) {
  return kuaidi::test::value_of(
      kuaidi::request_from_json(kuaidi::test::simulator_request_json(step, defaults)));
}

void check_common(const kuaidi::simulator_config& config, const kuaidi::simulated_answer& a) {
  CHECK(kuaidi::is_request_id(a.header("X-Ca-Request-Id")));
  CHECK(a.header("Server") == (config.gateway == kuaidi::gateway_generation::vpc ? "Kaede" : "Tengine"));
  CHECK_FALSE(a.header("Date").empty());
  CHECK(a.header("Access-Control-Allow-Origin") == "*");
  CHECK(a.header("Access-Control-Max-Age") == "172800");
}

void check_step(const kuaidi::simulator_config& config, const kuaidi::simulator_state& before,
                const kuaidi::simulation& s, const json& expect, const json& defaults) {
  require_known_keys(expect, {"status", "route", "answered", "billed", "headers", "absent_headers", "body",
                              "body_json", "events_at_or_before", "event_count", "same_body_as", "injected",
                              "latency_ms", "body_is_cut_json"});
  const kuaidi::simulated_answer& a = s.answer;
  INFO("status " << a.status << ", route " << s.record.route << ", body " << a.body);
  check_common(config, a);
  if (expect.contains("status")) CHECK(a.status == expect["status"].get<int>());
  if (expect.contains("route")) CHECK(s.record.route == expect["route"].get<std::string>());
  if (expect.contains("billed")) CHECK(s.record.billed == expect["billed"].get<bool>());
  if (expect.contains("latency_ms")) CHECK(s.record.latency_ms == expect["latency_ms"].get<int>());
  if (expect.contains("injected")) CHECK(s.record.injected.name() == expect["injected"].get<std::string>());
  if (expect.contains("answered")) {
    if (expect["answered"].is_null()) {
      CHECK(s.record.answered == nullptr);
    } else {
      const std::string id = expect["answered"];
      REQUIRE(s.record.answered != nullptr);
      CHECK(s.record.answered->id == id);
      const kuaidi::scenario& e = *s.record.answered;
      if (e.source == kuaidi::answer_source::gateway) {
        const kuaidi::gateway_error& g = kuaidi::gateway_error_for(e, config.gateway);
        CHECK(a.status == g.http_status);
        CHECK(a.body.empty());
        CHECK(a.header("Content-Type") == kuaidi::gateway_content_type);
        CHECK(a.header("X-Ca-Error-Message") == g.message);
        CHECK(a.header("X-Ca-Error-Code") == g.code);
      } else {
        CHECK(a.status == e.http_status);
      }
    }
  }
  if (expect.contains("headers"))
    for (const auto& [name, value] : expect["headers"].items()) {
      INFO("header " << name);
      CHECK(a.header(name) == kuaidi::test::expand(value.get<std::string>()));
    }
  if (expect.contains("absent_headers"))
    for (const auto& name : expect["absent_headers"]) {
      INFO("header " << name.get<std::string>());
      CHECK(a.header(name.get<std::string>()).empty());
    }
  if (expect.contains("body")) CHECK(a.body == kuaidi::test::expand(expect["body"].get<std::string>()));
  if (expect.contains("body_json")) {
    const json body = json::parse(a.body, nullptr, false);
    REQUIRE(body.is_object());
    const json wanted = kuaidi::test::expand_json(expect["body_json"]);
    for (const auto& [key, value] : wanted.items()) {
      INFO("body field " << key);
      CHECK(body.value(key, json()) == value);
    }
  }
  if (expect.contains("events_at_or_before")) {
    const json body = json::parse(a.body, nullptr, false);
    REQUIRE(body.contains("data"));
    CHECK_FALSE(body["data"].empty());
    for (const auto& e : body["data"])
      CHECK(e["time"].get<std::string>() <= expect["events_at_or_before"].get<std::string>());
  }
  if (expect.contains("event_count")) {
    const json body = json::parse(a.body, nullptr, false);
    REQUIRE(body.contains("data"));
    CHECK(body["data"].size() == expect["event_count"].get<std::size_t>());
  }
  if (expect.contains("body_is_cut_json")) {
    CHECK(json::parse(a.body, nullptr, false).is_discarded());
    CHECK_FALSE(a.body.empty());
  }
  if (expect.contains("same_body_as")) {
    kuaidi::simulator_state twin = before;
    json plain = {{"target", expect["same_body_as"]}};
    const auto direct = kuaidi::simulate(config, twin, request_of({{"request", plain}}, defaults));
    CHECK(a.body == direct.answer.body);
  }
}

// {"clock": {"advance": "6h"} or {"set": …}, "now_ms"?, "expect": {"now": "…+08:00"} or {"error": "…"}}
void clock_step(const kuaidi::simulator_config& config, kuaidi::simulator_state& state, const json& step,
                const json& defaults) {
  require_known_keys(step, {"clock", "now_ms", "expect"});
  const std::int64_t now_ms = step.value("now_ms", defaults.at("now_ms").get<std::int64_t>());
  const json& expect = step.at("expect");
  require_known_keys(expect, {"now", "error"});
  const auto changed = kuaidi::change_clock(step.at("clock"), config, state, now_ms);
  if (expect.contains("error")) {
    CHECK_FALSE(changed);
    CHECK(changed.error() == expect["error"].get<std::string>());
  } else {
    INFO(changed.error());
    CHECK(changed);
  }
  if (expect.contains("now")) CHECK(kuaidi::clock_json(config, state, now_ms).at("now") == expect["now"]);
}

}  // namespace

TEST_CASE("the simulator answers as the gateway and the vendor would", "[simulator]") {
  const json vectors = kuaidi::test::load_vectors("simulator.json");
  const json& defaults = vectors.at("defaults");
  for (const auto& c : vectors.at("cases")) {
    require_known_keys(c, {"name", "config", "fixtures", "steps"});
    DYNAMIC_SECTION(c.at("name").get<std::string>()) {
      const kuaidi::simulator_config config =
          kuaidi::test::value_of(kuaidi::config_from_json(c.at("config")));
      kuaidi::simulator_state state = kuaidi::initial_state(config);
      if (c.contains("fixtures")) {
        auto set = kuaidi::test::value_of(
            kuaidi::fixture_set::parse(kuaidi::test::expand_json(c["fixtures"]).dump()));
        kuaidi::set_fixtures(state, std::make_shared<const kuaidi::fixture_set>(std::move(set)));
      }
      int index = 0;
      for (const auto& step : c.at("steps")) {
        INFO("step " << index++ << ": " << step.dump());
        if (step.contains("clock")) {
          clock_step(config, state, step, defaults);
          continue;
        }
        require_known_keys(step, {"request", "expect", "update_account"});
        if (step.contains("update_account")) {
          const json& u = step["update_account"];
          kuaidi::test::require_ok(state.book.update(u.at("appcode"), u.at("change")));
          continue;
        }
        const kuaidi::simulator_state before = state;
        const auto s = kuaidi::simulate(config, state, request_of(step, defaults));
        check_step(config, before, s, step.at("expect"), defaults);
      }
    }
  }
}

TEST_CASE("a bad simulator config is refused with what to change", "[simulator]") {
  const json vectors = kuaidi::test::load_vectors("simulator.json");
  for (const auto& bad : vectors.at("bad_config")) {
    INFO(bad.dump());
    const auto config = kuaidi::config_from_json(bad[0]);
    CHECK_FALSE(config);
    CHECK_FALSE(config.error().empty());
    if (!bad[1].is_null()) CHECK(config.error() == bad[1].get<std::string>());
  }
}

TEST_CASE("platform modes are named market and own, both ways", "[simulator]") {
  CHECK(kuaidi::to_string(kuaidi::platform::market) == "market");
  CHECK(kuaidi::to_string(kuaidi::platform::own) == "own");
  CHECK(kuaidi::parse_platform("market") == kuaidi::platform::market);
  CHECK(kuaidi::parse_platform("own") == kuaidi::platform::own);
  CHECK_FALSE(kuaidi::parse_platform("Own").has_value());
}

TEST_CASE("the same request and state always get the same answer, and quotas never go below zero",
          "[simulator]") {
  kuaidi::simulator_config config;
  config.appcodes = {{"demo", 3, kuaidi::account_state::active}};
  config.fault_rate = 0.5;
  config.trace_anchor_seconds = 1666872000;
  kuaidi::simulator_state state = kuaidi::initial_state(config);
  kuaidi::gateway_request request;
  request.target = "/query?kddh=YT8962646785389";
  request.headers = {{"Authorization", "APPCODE demo"}};
  int billed = 0;
  for (int i = 0; i < 20; ++i) {
    request.entropy = static_cast<std::uint64_t>(i);
    kuaidi::simulator_state twin = state;
    const auto s = kuaidi::simulate(config, state, request);
    const auto again = kuaidi::simulate(config, twin, request);
    CHECK(kuaidi::to_json(s) == kuaidi::to_json(again));
    billed += s.record.billed;
  }
  CHECK(billed == 3);
  CHECK(state.book.to_json("demo")->at("remaining") == 0);
}

TEST_CASE("request ids are upper-case version-4 UUIDs drawn from the entropy", "[simulator]") {
  std::set<std::string> seen;
  for (std::uint64_t e = 0; e < 1000; ++e) {
    const std::string id = kuaidi::request_id_from(e);
    CHECK(kuaidi::is_request_id(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}
