#include <algorithm>

#include <catch2/catch.hpp>

#include "kuaidi/json.hpp"
#include "kuaidi/request.hpp"
#include "vector_inputs.hpp"

using nlohmann::json;

namespace {

std::vector<std::string> advisory_kinds(const kuaidi::validation& v) {
  std::vector<std::string> kinds;
  for (const auto& a : v.advisories) kinds.emplace_back(kuaidi::to_string(a.kind));
  return kinds;
}

kuaidi::validation run_case(const json& c) {
  kuaidi::test::require_known_keys(c, {"name", "query", "params", "options", "expect"});
  return kuaidi::validate(kuaidi::test::request_params_of(c), kuaidi::test::request_options(c));
}

const json& find_case(const json& vectors, const std::string& name) {
  for (const auto& c : vectors.at("cases"))
    if (c.at("name") == name) return c;
  FAIL("no request vector named " << name);
  throw;  // unreachable: FAIL throws
}

}  // namespace

TEST_CASE("validation answers each request vector as the real API would", "[request]") {
  const json vectors = kuaidi::test::load_vectors("request.json");
  for (const auto& c : vectors.at("cases")) {
    DYNAMIC_SECTION(c.at("name").get<std::string>()) {
      const auto v = run_case(c);
      const json& expect = c.at("expect");
      kuaidi::test::require_known_keys(
          expect, {"answer", "answer_msg_appid", "tracking_number", "carrier_code", "phone_tail",
                   "advisories", "carrier", "certain"});
      if (expect.at("answer").is_null()) {
        INFO("answered " << (v.answer ? std::string(v.answer->id) : "nothing"));
        CHECK(v.passed());
      } else {
        REQUIRE(v.answer != nullptr);
        CHECK(std::string(v.answer->id) == expect.at("answer").get<std::string>());
        const std::string appid = expect.value("answer_msg_appid", "");
        CHECK(v.answer_msg == kuaidi::render_msg(*v.answer, appid));
        if (!appid.empty()) CHECK(v.answer_msg.find(appid) != std::string::npos);
      }
      if (expect.contains("tracking_number"))
        CHECK(v.request.tracking_number == expect.at("tracking_number").get<std::string>());
      if (expect.contains("carrier_code"))
        CHECK(v.request.carrier_code == expect.at("carrier_code").get<std::string>());
      if (expect.contains("phone_tail"))
        CHECK(v.request.phone_tail == expect.at("phone_tail").get<std::string>());
      if (expect.contains("advisories"))
        CHECK(advisory_kinds(v) == expect.at("advisories").get<std::vector<std::string>>());
      if (expect.contains("carrier")) {
        REQUIRE(v.carriers.best() != nullptr);
        CHECK(std::string(v.carriers.best()->carrier->code) == expect.at("carrier").get<std::string>());
      }
      if (expect.contains("certain")) CHECK(v.carriers.certain == expect.at("certain").get<bool>());
    }
  }
}

TEST_CASE("every catalogue entry has a triggering request", "[request]") {
  const json vectors = kuaidi::test::load_vectors("request.json");
  const json& triggers = vectors.at("scenario_triggers");
  for (const auto& s : kuaidi::all_scenarios()) {
    const std::string id(s.id);
    DYNAMIC_SECTION(id) {
      REQUIRE(triggers.contains(id));
      const json& t = triggers.at(id);
      kuaidi::test::require_known_keys(t, {"case", "backend", "gateway"});
      if (t.contains("case")) {
        const auto v = run_case(find_case(vectors, t.at("case")));
        REQUIRE(v.answer != nullptr);
        CHECK(v.answer->id == s.id);
      } else if (t.contains("backend")) {
        // Decided after validation (by the vendor's backend, or the mock standing in for it).
        CHECK(s.source == kuaidi::answer_source::vendor);
        CHECK(run_case(find_case(vectors, t.at("backend"))).passed());
      } else {
        CHECK(s.source == kuaidi::answer_source::gateway);
        CHECK_FALSE(t.at("gateway").get<std::string>().empty());
      }
    }
  }
  CHECK(triggers.size() == kuaidi::all_scenarios().size());
}

TEST_CASE("advisories carry both languages and name the carrier", "[request]") {
  kuaidi::request_params params = kuaidi::params_from_query_string("kddh=SF1385628716739");
  const auto v = kuaidi::validate(params);
  REQUIRE(v.advisories.size() == 1);
  const auto* sf = kuaidi::find_carrier("shunfeng");
  REQUIRE(sf != nullptr);
  CHECK(v.advisories[0].text.zh.find(std::string(sf->name_zh)) != std::string::npos);
  CHECK(v.advisories[0].text.en.find(std::string(sf->name_en)) != std::string::npos);
  // It names the documented answer to expect, read from the catalogue.
  CHECK(v.advisories[0].text.zh.find(std::string(kuaidi::find_scenario("no_record")->msg)) !=
        std::string::npos);
}

TEST_CASE("query strings are split and percent-decoded", "[request]") {
  const auto p = kuaidi::parse_query_string("?a=1&&b=%E4%B8%AD+x&c&d=%G1&=e");
  REQUIRE(p.size() == 5);
  CHECK(p[0].name == "a");
  CHECK(p[0].value == "1");
  CHECK(p[1].value == "\xE4\xB8\xAD x");
  CHECK_FALSE(p[1].bad_encoding);
  CHECK(p[2].name == "c");
  CHECK(p[2].value.empty());
  CHECK(p[3].value == "%G1");
  CHECK(p[3].bad_encoding);
  CHECK(p[4].name.empty());
  CHECK(p[4].value == "e");
  const auto params = kuaidi::params_from_query(p);
  CHECK(params.all.size() == 5);
  CHECK_FALSE(params.kddh.has_value());
}

TEST_CASE("lengths count characters, not bytes", "[request]") {
  CHECK(kuaidi::utf8_length("abc") == 3u);
  CHECK(kuaidi::utf8_length("\xE5\xBF\xAB\xE9\x80\x92") == 2u);
  CHECK(kuaidi::utf8_length("\xF0\x9F\x93\xA6") == 1u);
  CHECK_FALSE(kuaidi::utf8_length("\xFF").has_value());
  CHECK_FALSE(kuaidi::utf8_length("\xE5\xBF").has_value());      // cut short
  CHECK_FALSE(kuaidi::utf8_length("\xC0\xAF").has_value());      // overlong '/'
  CHECK_FALSE(kuaidi::utf8_length("\xED\xA0\x80").has_value());  // a surrogate
}
