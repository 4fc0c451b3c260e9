#include <catch2/catch.hpp>

#include "kuaidi/interpret.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/response.hpp"
#include "vector_inputs.hpp"

using nlohmann::json;

namespace {

template <typename F>
std::vector<json> each_event(const kuaidi::outcome& o, F field) {
  std::vector<json> out;
  for (const auto& e : o.events) out.push_back(field(e));
  return out;
}

void check_expectations(const kuaidi::outcome& o, const json& expect) {
  kuaidi::test::require_known_keys(expect, {"state",
                                            "billed",
                                            "matched",
                                            "possible",
                                            "ok",
                                            "raw_status",
                                            "status_state",
                                            "request_id",
                                            "error_code",
                                            "error_message",
                                            "carrier_name",
                                            "tracking_number",
                                            "msg",
                                            "event_times",
                                            "event_contents",
                                            "event_time_valid",
                                            "event_stages",
                                            "notes",
                                            "explanation_contains",
                                            "explanation_lacks",
                                            "action_contains",
                                            "explanation_has_titles_of"});
  const json as_json = kuaidi::to_json(o);
  for (const char* key : {"state", "billed", "matched", "possible", "ok", "raw_status", "status_state",
                          "request_id", "error_code", "error_message"}) {
    if (expect.contains(key)) {
      INFO("field " << key);
      CHECK(as_json.at(key) == expect.at(key));
    }
  }
  for (const char* key : {"carrier_name", "tracking_number", "msg"}) {
    if (expect.contains(key)) {
      INFO("field " << key);
      CHECK(as_json.at(key).get<std::string>() == kuaidi::test::expand(expect.at(key)));
    }
  }
  if (expect.contains("event_times"))
    CHECK(each_event(o, [](const auto& e) { return json(e.time); }) ==
          expect.at("event_times").get<std::vector<json>>());
  if (expect.contains("event_contents"))
    CHECK(each_event(o, [](const auto& e) { return json(e.content); }) ==
          expect.at("event_contents").get<std::vector<json>>());
  if (expect.contains("event_time_valid"))
    CHECK(each_event(o, [](const auto& e) { return json(e.time_valid); }) ==
          expect.at("event_time_valid").get<std::vector<json>>());
  if (expect.contains("event_stages"))
    CHECK(each_event(o, [](const auto& e) { return e.stage ? json(kuaidi::to_string(*e.stage)) : json(); }) ==
          expect.at("event_stages").get<std::vector<json>>());
  if (expect.contains("notes")) CHECK(o.notes.size() == expect.at("notes").get<std::size_t>());
  for (const auto& part : expect.value("explanation_contains", json::array())) {
    const auto text = part.get<std::string>();
    INFO("explanation should contain " << text);
    CHECK((o.explanation.zh.find(text) != std::string::npos ||
           o.explanation.en.find(text) != std::string::npos));
  }
  for (const auto& part : expect.value("explanation_lacks", json::array())) {
    const auto text = part.get<std::string>();
    INFO("explanation should not say " << text);
    CHECK(o.explanation.zh.find(text) == std::string::npos);
    CHECK(o.explanation.en.find(text) == std::string::npos);
  }
  for (const auto& part : expect.value("action_contains", json::array())) {
    INFO("action should contain " << part);
    CHECK(o.action.en.find(part.get<std::string>()) != std::string::npos);
  }
  for (const auto& id : expect.value("explanation_has_titles_of", json::array())) {
    const auto* s = kuaidi::find_scenario(id.get<std::string>());
    REQUIRE(s != nullptr);
    INFO("explanation should name " << s->id);
    CHECK(o.explanation.zh.find(std::string(s->title.zh)) != std::string::npos);
    CHECK(o.explanation.en.find(std::string(s->title.en)) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("answers are interpreted into plain words", "[interpret]") {
  const auto vectors = kuaidi::test::load_vectors("interpret.json");
  for (const auto& c : vectors.at("cases")) {
    DYNAMIC_SECTION(c.at("name").get<std::string>()) {
      const auto o = kuaidi::interpret(kuaidi::test::interpret_answer(c));
      check_expectations(o, c.at("expect"));
      CHECK_FALSE(o.explanation.zh.empty());
      CHECK_FALSE(o.explanation.en.empty());
      CHECK_FALSE(o.action.zh.empty());
      CHECK_FALSE(o.action.en.empty());
    }
  }
}

// Gateway answers, in both generations and from the status alone: interpret.json.
TEST_CASE("every vendor answer the core builds is recognised again", "[interpret]") {
  for (const auto& s : kuaidi::all_scenarios()) {
    if (s.source == kuaidi::answer_source::gateway) continue;
    DYNAMIC_SECTION(s.id) {
      kuaidi::http_answer answer;
      answer.http_status = s.http_status;
      answer.body = kuaidi::build_answer_body(s, "", "JT3084743373888", "demo");
      const auto o = kuaidi::interpret(answer);
      REQUIRE(o.matched != nullptr);
      CHECK(o.matched->id == s.id);
      CHECK((o.billed == kuaidi::billing::billed) == s.billed);
      CHECK(o.notes.empty());
      if (s.id != "success") CHECK(o.explanation.zh == std::string(s.explanation.zh));
    }
  }
}

// A demo answer is reworded by the ending of the catalogue's text: every billed entry must end
// with one the core recognises, or the demo would say this call was billed.
TEST_CASE("a simulated answer never says this call was billed", "[interpret]") {
  for (const auto& s : kuaidi::all_scenarios()) {
    if (s.source == kuaidi::answer_source::gateway) continue;
    DYNAMIC_SECTION(s.id) {
      CHECK(kuaidi::billed_ending(s.explanation.zh, true).empty() == !s.billed);
      CHECK(kuaidi::billed_ending(s.explanation.en, false).empty() == !s.billed);
      kuaidi::http_answer answer;
      answer.http_status = s.http_status;
      answer.body = kuaidi::build_answer_body(s, "", "JT3084743373888", "demo");
      answer.simulated = true;
      const auto o = kuaidi::interpret(answer);
      CHECK((o.billed == kuaidi::billing::billed) == s.billed);
      CHECK(o.explanation.zh.find("已扣次数") == std::string::npos);
      CHECK(o.explanation.zh.find("已计费") == std::string::npos);
      CHECK(o.explanation.en.find("was billed") == std::string::npos);
      CHECK(o.explanation.en.find("(billed)") == std::string::npos);
    }
  }
}

TEST_CASE("event times parse as wall-clock seconds", "[interpret]") {
  CHECK(kuaidi::parse_event_time("1970-01-01 00:00:00") == 0);
  CHECK(kuaidi::parse_event_time("2022-10-27 19:18:40") == 1666898320);
  CHECK(kuaidi::parse_event_time("2024-02-29 00:00:00") == 1709164800);
  CHECK(kuaidi::parse_event_time("2022/10/27 19:18") == 1666898280);
  CHECK_FALSE(kuaidi::parse_event_time("2023-02-29 00:00:00"));
  CHECK_FALSE(kuaidi::parse_event_time("2022-10-27T19:18:40"));
  CHECK_FALSE(kuaidi::parse_event_time("2022-13-01 00:00:00"));
  CHECK_FALSE(kuaidi::parse_event_time("2022-10-27 24:00:00"));
  CHECK_FALSE(kuaidi::parse_event_time(""));
}

TEST_CASE("the vendor's status codes follow the kdniao scheme", "[interpret]") {
  CHECK(kuaidi::state_from_status(0) == kuaidi::state::no_record);
  CHECK(kuaidi::state_from_status(1) == kuaidi::state::picked_up);
  CHECK(kuaidi::state_from_status(2) == kuaidi::state::in_transit);
  CHECK(kuaidi::state_from_status(3) == kuaidi::state::delivered);
  CHECK(kuaidi::state_from_status(4) == kuaidi::state::problem);
  CHECK_FALSE(kuaidi::state_from_status(7));
  CHECK_FALSE(kuaidi::state_from_status(-1));
}
