#include <catch2/catch.hpp>

#include "kuaidi/json.hpp"

using nlohmann::json;

TEST_CASE("the catalogue and carriers export every entry", "[json]") {
  const json catalogue = kuaidi::catalogue_json();
  REQUIRE(catalogue.size() == kuaidi::all_scenarios().size());
  const json& first = catalogue.front();
  for (const char* key : {"id", "source", "category", "ok", "http_status", "msg", "billed", "classic", "vpc",
                          "title", "explanation", "action", "trigger", "parameter", "confidence"})
    CHECK(first.contains(key));
  for (const auto& entry : catalogue) {
    INFO("scenario " << entry.at("id"));
    CHECK(entry.at("title").at("zh").get<std::string>().size() > 0);
    const bool gateway = entry.at("source") == "gateway";
    CHECK(gateway == entry.at("ok").is_null());
    CHECK(gateway == entry.at("vpc").is_object());
    // Vendor answers come from the vendor's page; gateway answers say how sure each generation is.
    CHECK(gateway == entry.at("confidence").is_null());
    if (!gateway) CHECK(entry.at("confidence") == "doc");
    for (const char* generation : {"classic", "vpc"})
      if (gateway) CHECK(entry.at(generation).at("confidence").is_string());
  }
  // The page marks the field an answer concerns from this, not from the id.
  const auto by_id = [&](const char* id) {
    for (const auto& entry : catalogue)
      if (entry.at("id") == id) return entry;
    FAIL("no entry " << id);
    return json();
  };
  CHECK(by_id("code_too_long").at("parameter") == "code");
  CHECK(by_id("tel_invalid").at("parameter") == "tel");
  CHECK(by_id("kddh_missing").at("parameter") == "kddh");
  CHECK(by_id("appcode_invalid").at("parameter") == "authorization");
  CHECK(by_id("quota_exhausted").at("parameter") == "none");
  CHECK(by_id("quota_exhausted").at("vpc").at("message") == "Api Market Subscription quota exhausted");
  CHECK(by_id("quota_exhausted").at("vpc").at("confidence") == "capture");
  CHECK(by_id("throttled").at("vpc").at("confidence") == "list");
  const json carriers = kuaidi::carriers_json();
  REQUIRE(carriers.size() == kuaidi::all_carriers().size());
  CHECK(carriers.front().at("needs_phone_tail").is_boolean());
}

TEST_CASE("a validation exports its answer, request, detection and advisories", "[json]") {
  const json v = kuaidi::to_json(kuaidi::validate(kuaidi::params_from_query_string("kddh=sf1385628716739")));
  CHECK(v.at("passed") == true);
  CHECK(v.at("answer").is_null());
  CHECK(v.at("request").at("tracking_number") == "SF1385628716739");
  CHECK(v.at("detection").at("candidates").at(0).at("code") == "shunfeng");
  CHECK(v.at("advisories").at(0).at("kind") == "phone_tail_needed");
  CHECK(v.at("advisories").at(0).at("parameter") == "tel");

  const json failed = kuaidi::to_json(kuaidi::validate(kuaidi::params_from_query_string("")));
  CHECK(failed.at("passed") == false);
  CHECK(failed.at("answer").at("id") == "kddh_missing");
  CHECK(failed.at("answer").at("http_status") == 666);
}

TEST_CASE("request parameters from JSON refuse what is not a string", "[json]") {
  const auto params = kuaidi::params_from_json(json{{"kddh", "JT3084743373888"}, {"tel", nullptr}});
  REQUIRE(params);
  CHECK(params->kddh == std::optional<std::string>("JT3084743373888"));
  CHECK_FALSE(params->tel.has_value());
  const auto number = kuaidi::params_from_json(json{{"kddh", 123}});
  CHECK_FALSE(number);
  CHECK(number.error() == "\"kddh\" must be a string");
  const auto list = kuaidi::params_from_json(json::array());
  CHECK_FALSE(list);
  CHECK(list.error().find("JSON object") != std::string::npos);
}

TEST_CASE("answers from JSON accept header objects and pairs, and refuse bad types", "[json]") {
  const auto answer = [](const char* text) { return kuaidi::answer_from_json(json::parse(text)); };
  const auto object_headers =
      answer(R"({"http_status":403,"headers":{"X-Ca-Error-Message":"Quota Exhausted"}})");
  REQUIRE(object_headers);
  REQUIRE(object_headers->headers.size() == 1);
  CHECK(object_headers->headers[0].value == "Quota Exhausted");
  const auto pairs =
      answer(R"({"http_status":200,"headers":[["a","b"]],"headers_readable":false,"body":"x"})");
  REQUIRE(pairs);
  CHECK_FALSE(pairs->headers_readable);
  CHECK(pairs->body == "x");
  CHECK(answer(R"({"http_status":"200"})").error().find("http_status") != std::string::npos);
  CHECK(answer(R"({"headers_readable":"no"})").error().find("headers_readable") != std::string::npos);
  const auto simulated = answer(R"({"http_status":200,"simulated":true})");
  REQUIRE(simulated);
  CHECK(simulated->simulated);
  CHECK(answer(R"({"simulated":"yes"})").error().find("simulated") != std::string::npos);
}

TEST_CASE("an event exports its wall-clock time in seconds when the time is valid", "[json]") {
  kuaidi::http_answer answer;
  answer.http_status = 200;
  answer.body = R"({"ok":1,"msg":"x","status":2,"data":[{"time":"2024/05/01 16:00","content":"a"},)"
                R"({"time":"soon","content":"b"}]})";
  const json events = kuaidi::to_json(kuaidi::interpret(answer)).at("events");
  REQUIRE(events.size() == 2);
  for (const auto& e : events) {
    INFO(e.dump());
    if (e.at("content") == "a")
      CHECK(e.at("sort_key") == 1714579200);
    else
      CHECK(e.at("sort_key").is_null());
  }
}

TEST_CASE("an outcome exports its state, labels and events", "[json]") {
  kuaidi::http_answer answer;
  answer.http_status = 0;
  answer.transport_error = "Failed to fetch";
  const json o = kuaidi::to_json(kuaidi::interpret(answer));
  CHECK(o.at("state") == "not_reachable");
  CHECK(o.at("billed") == "not_billed");
  CHECK(o.at("state_label").at("en") == "Not reachable");
  CHECK(o.at("events").empty());
  CHECK(o.at("ok").is_null());
}
