#pragma once
// What a documented answer must look like on the wire, built with the core from the catalogue
// entry: exact status, headers and body bytes. Tests never write an expected message themselves.

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/simulator.hpp"
#include "mock_process.hpp"

namespace kuaidi::mock_test {

inline const scenario& entry(std::string_view id) {
  const scenario* s = find_scenario(id);
  INFO("catalogue id: " << id);
  REQUIRE(s != nullptr);
  return *s;
}

// A parcel's state folded to kdniao's coarse status (out for delivery is in transit), to compare
// the status field with what the newest event says.
inline std::optional<state> coarse(std::optional<state> s) {
  if (s == state::out_for_delivery) return state::in_transit;
  return s;
}

inline std::string carrier_name(std::string_view code) {
  const carrier* c = find_carrier(code);
  INFO("carrier code: " << code);
  REQUIRE(c != nullptr);
  return std::string(c->name_zh);
}

// The carrier the mock names in an ok:1 answer for a number sent without a code: the core's one
// decision (named_carrier), which tests/vectors/simulator.json checks with literal names.
inline std::string detected_name(std::string_view number) {
  const carrier* named = named_carrier(std::string(number), request_params{});
  return named ? std::string(named->name_zh) : std::string();
}

// An answer's JSON body, once its status is the expected one (the admin API answers JSON).
inline nlohmann::json json_of(const httplib::Result& res, int status = 200) {
  REQUIRE(res);
  INFO(res->body);
  CHECK(res->status == status);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  const nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  return body;
}

inline nlohmann::json get_json(httplib::Client& client, const std::string& path, int status = 200) {
  INFO("GET " << path);
  return json_of(client.Get(path.c_str()), status);
}

inline httplib::Headers appcode_header(const std::string& appcode = "TESTCODE123456") {
  return {{"Authorization", "APPCODE " + appcode}};
}

struct expected_vendor {
  std::string kdmc;   // ok:1 answers name the carrier
  std::string kddh;   // unmasked; the body carries it masked
  std::string appid;  // fills the appid_disabled template
};

inline void check_request_id(const httplib::Response& res) {
  INFO("X-Ca-Request-Id: " << res.get_header_value("X-Ca-Request-Id"));
  CHECK(kuaidi::mock::is_request_id(res.get_header_value("X-Ca-Request-Id")));
}

inline void check_gateway_answer(const httplib::Response& res, const scenario& s,
                                 gateway_generation generation) {
  const gateway_error& e = gateway_error_for(s, generation);
  CHECK(res.status == e.http_status);
  CHECK(res.body.empty());
  CHECK(res.get_header_value("Content-Type") == std::string(gateway_content_type));
  CHECK(res.get_header_value("X-Ca-Error-Message") == std::string(e.message));
  if (generation == gateway_generation::vpc) {
    CHECK(res.get_header_value("X-Ca-Error-Code") == std::string(e.code));
  } else {
    CHECK_FALSE(res.has_header("X-Ca-Error-Code"));
  }
}

inline void check_trace_answer(const httplib::Response& res, const expected_vendor& want) {
  const scenario& success = entry("success");
  CHECK(res.status == 200);
  const auto body = nlohmann::json::parse(res.body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  CHECK(body["ok"] == 1);
  CHECK(body["msg"] == std::string(success.msg));
  CHECK(body["kdmc"] == want.kdmc);
  CHECK(body["kddh"] == mask_tracking_number(want.kddh));
  REQUIRE(body["data"].is_array());
  CHECK_FALSE(body["data"].empty());
  // The body is exactly what the core builds from the events it carries.
  trace t;
  t.status = body["status"].get<int>();
  t.carrier_name = want.kdmc;
  t.tracking_number = want.kddh;
  for (const auto& e : body["data"]) t.events.push_back({e["time"], e["content"]});
  CHECK(res.body == build_trace_body(t));
}

// The answer `s` as the mock must send it, whatever route reached it.
inline void check_answer(const httplib::Result& result, const scenario& s, gateway_generation generation,
                         const expected_vendor& want = {}) {
  INFO("scenario " << s.id << ", gateway " << to_string(generation));
  REQUIRE(result);
  const httplib::Response& res = *result;
  INFO("status " << res.status << ", body " << res.body);
  check_request_id(res);
  if (s.source == answer_source::gateway) return check_gateway_answer(res, s, generation);
  CHECK(res.get_header_value("Content-Type") == "application/json;charset=UTF-8");
  CHECK_FALSE(res.has_header("X-Ca-Error-Message"));
  CHECK_FALSE(res.has_header("X-Ca-Error-Code"));
  if (s.id == "success") return check_trace_answer(res, want);
  CHECK(res.status == s.http_status);
  CHECK(res.body == build_answer_body(s, want.kdmc, want.kddh, want.appid));
}

}  // namespace kuaidi::mock_test
