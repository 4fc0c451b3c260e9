#include <catch2/catch.hpp>

#include "kuaidi/carriers.hpp"
#include "kuaidi/response.hpp"
#include "templates.hpp"

using nlohmann::json;

namespace {

std::string carrier_name(const json& v) {
  if (!v.contains("carrier_code")) return {};
  const auto* c = kuaidi::find_carrier(v.at("carrier_code").get<std::string>());
  REQUIRE(c != nullptr);
  return std::string(c->name_zh);
}

}  // namespace

TEST_CASE("tracking numbers are masked like the vendor's example", "[response]") {
  const auto vectors = kuaidi::test::load_vectors("response.json");
  for (const auto& pair : vectors.at("masking")) {
    const auto number = pair[0].get<std::string>();
    INFO("number " << number);
    CHECK(kuaidi::mask_tracking_number(number) == pair[1].get<std::string>());
  }
}

TEST_CASE("bodies are byte-for-byte the vendor's examples", "[response]") {
  const auto vectors = kuaidi::test::load_vectors("response.json");
  for (const auto& v : vectors.at("vendor_examples")) {
    kuaidi::test::require_known_keys(v, {"name", "body", "trace", "scenario"});
    DYNAMIC_SECTION(v.at("name").get<std::string>()) {
      const std::string expected = kuaidi::test::expand(v.at("body"));
      if (v.contains("trace")) {
        const json& t = v.at("trace");
        kuaidi::test::require_known_keys(t, {"status", "carrier_code", "tracking_number", "events"});
        kuaidi::trace trace{t.at("status"), carrier_name(t), t.at("tracking_number"), {}};
        for (const auto& e : t.at("events")) trace.events.push_back({e[0], e[1]});
        CHECK(kuaidi::build_trace_body(trace) == expected);
      } else {
        const auto* s = kuaidi::find_scenario(v.at("scenario").get<std::string>());
        REQUIRE(s != nullptr);
        CHECK(kuaidi::build_answer_body(*s) == expected);
      }
    }
  }
}

TEST_CASE("every catalogue answer builds its documented body", "[response]") {
  const auto vectors = kuaidi::test::load_vectors("response.json");
  for (const auto& v : vectors.at("answers")) {
    kuaidi::test::require_known_keys(v, {"scenario", "body", "carrier_code", "tracking_number", "appid"});
    const auto id = v.at("scenario").get<std::string>();
    DYNAMIC_SECTION(id) {
      const auto* s = kuaidi::find_scenario(id);
      REQUIRE(s != nullptr);
      CHECK(kuaidi::build_answer_body(*s, carrier_name(v), v.value("tracking_number", ""),
                                      v.value("appid", "")) == kuaidi::test::expand(v.at("body")));
    }
  }
  for (const auto& s : kuaidi::all_scenarios()) {
    const std::string body = kuaidi::build_answer_body(s);
    INFO("scenario " << s.id);
    if (s.source == kuaidi::answer_source::gateway) {
      CHECK(body.empty());
    } else {
      const auto parsed = json::parse(body, nullptr, false);
      REQUIRE(parsed.is_object());
      CHECK(parsed.at("ok") == s.ok);
      CHECK(parsed.at("msg") == kuaidi::render_msg(s));
      CHECK(body.rfind("{\"ok\":", 0) == 0);
    }
  }
}

TEST_CASE("text that is not UTF-8 or needs escaping never breaks the body", "[response]") {
  kuaidi::trace t{
      2, "\xFF\xFE", "JT3084743373888", {{"2022-10-27 19:18:40", "a \"quoted\" \\ <img src=x>\n"}}};
  const auto parsed = json::parse(kuaidi::build_trace_body(t), nullptr, false);
  REQUIRE(parsed.is_object());
  CHECK(parsed.at("kdmc") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(parsed.at("data")[0].at("content") == "a \"quoted\" \\ <img src=x>\n");
}
