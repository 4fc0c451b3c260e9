// Reading pasted answers: every case of tests/vectors/paste.json, and every catalogue answer as
// the simulator sends it, pasted in each accepted form, explained as the live answer is.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "kuaidi/json.hpp"
#include "kuaidi/paste.hpp"
#include "kuaidi/simulator.hpp"
#include "templates.hpp"
#include "vector_inputs.hpp"

using kuaidi::test::require_known_keys;
using nlohmann::json;

namespace {

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  return s;
}

void check_case(const json& c) {
  require_known_keys(c, {"name", "paste", "eol", "expect"});
  const json& expect = c.at("expect");
  require_known_keys(expect, {"read", "form", "http_status", "headers", "body", "answers_skipped",
                              "request_target", "notes", "error_contains", "state", "matched", "billed"});
  const kuaidi::pasted_answer p = kuaidi::read_pasted_answer(kuaidi::test::paste_of(c));
  const json j = kuaidi::to_json(p);
  INFO("error: " << p.error.en);
  REQUIRE(j.at("read") == expect.at("read"));
  CHECK(p.answers_skipped == expect.value("answers_skipped", 0));
  CHECK(p.notes.size() == expect.value("notes", 0u));
  for (const auto& n : p.notes) CHECK((!n.zh.empty() && !n.en.empty()));
  if (expect.contains("request_target")) CHECK(j.at("request_target") == expect.at("request_target"));
  if (!p.answer) {
    CHECK_FALSE(p.error.zh.empty());
    CHECK_FALSE(p.error.en.empty());
    // Every refusal says what was expected.
    CHECK(p.error.en.find("curl -i") != std::string::npos);
    CHECK(p.error.zh.find("HAR") != std::string::npos);
    for (const auto& part : expect.value("error_contains", json::array())) {
      INFO("error should contain " << part);
      CHECK((p.error.zh.find(part.get<std::string>()) != std::string::npos ||
             p.error.en.find(part.get<std::string>()) != std::string::npos));
    }
    return;
  }
  CHECK(j.at("form") == expect.at("form"));
  CHECK(p.answer->http_status == expect.at("http_status").get<int>());
  if (expect.contains("headers")) CHECK(j.at("answer").at("headers") == expect.at("headers"));
  if (expect.contains("body"))
    CHECK(p.answer->body == kuaidi::test::expand(expect.at("body").get<std::string>()));
  const json o = kuaidi::to_json(kuaidi::interpret(*p.answer));
  for (const char* key : {"state", "matched", "billed"})
    if (expect.contains(key)) {
      INFO("outcome field " << key);
      CHECK(o.at(key) == expect.at(key));
    }
}

// Sorted (lower-case name, value) pairs; the Content-Length a transport adds left out.
std::vector<std::pair<std::string, std::string>> header_set(const std::vector<kuaidi::http_header>& headers,
                                                            bool transport) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : headers)
    if (!transport || lower(h.name) != "content-length") out.emplace_back(lower(h.name), h.value);
  std::sort(out.begin(), out.end());
  return out;
}

std::string crlf_head(const std::string& status_line, const kuaidi::simulated_answer& a, bool lower_case) {
  std::string out = status_line + "\r\n";
  for (const auto& h : a.headers) {
    out += (lower_case ? lower(h.name) : h.name) + ": " + h.value + "\r\n";
  }
  return out + "Content-Length: " + std::to_string(a.body.size()) + "\r\n\r\n";
}

json headers_json(const kuaidi::simulated_answer& a) {
  json list = json::array();
  for (const auto& h : a.headers) list.push_back({{"name", h.name}, {"value", h.value}});
  return list;
}

// The same answer as each form a person may paste it in.
std::vector<std::pair<std::string, std::string>> pastes_of(const kuaidi::simulated_answer& a) {
  const std::string status = std::to_string(a.status);
  const std::string url = "https://chawuliu.market.alicloudapi.com/query?kddh=JT3084743373888";
  json har_entry = {
      {"request", {{"method", "GET"}, {"url", url}}},
      {"response",
       {{"status", a.status},
        {"statusText", ""},
        {"headers", headers_json(a)},
        {"content", {{"size", a.body.size()}, {"mimeType", "application/json"}, {"text", a.body}}}}}};
  json favicon = {{"request", {{"method", "GET"}, {"url", "https://example.com/favicon.ico"}}},
                  {"response", {{"status", 404}, {"headers", json::array()}, {"content", {{"size", 0}}}}}};
  const json har = {{"log", {{"version", "1.2"}, {"entries", {har_entry, favicon}}}}};
  json headers_object = json::object();
  for (const auto& h : a.headers) headers_object[h.name] = h.value;
  return {
      {"curl -i", "$ curl -i '" + url + "' -H 'Authorization: APPCODE 0123'\r\n" +
                      crlf_head("HTTP/1.1 " + status, a, false) + a.body},
      {"HTTP/2, 100 Continue first",
       "HTTP/1.1 100 Continue\r\n\r\n" + crlf_head("HTTP/2 " + status, a, true) + a.body},
      {"curl -v",
       "*   Trying 203.0.113.5:443...\n> GET /query?kddh=JT3084743373888 HTTP/1.1\n> Host: x\n>\n" +
           [&] {
             std::string head;
             head += "< HTTP/1.1 " + status + "\n";
             for (const auto& h : a.headers) head += "< " + h.name + ": " + h.value + "\n";
             return head + "<\n{ [" + std::to_string(a.body.size()) + " bytes data]\n";
           }() +
           a.body + "* Connection #0 to host x left intact\n"},
      {"HAR file", har.dump(2)},
      {"HAR entry", har_entry.dump()},
      {"response JSON", json{{"status", a.status}, {"headers", headers_object}, {"body", a.body}}.dump()},
      {"log line", "2026-12-06 08:00:00 WARN tracking: status=" + status +
                       " headers=" + headers_object.dump() + " body=" + a.body + "\n"},
  };
}

}  // namespace

TEST_CASE("pasted answers: the vectors", "[paste]") {
  static const json vectors = kuaidi::test::load_vectors("paste.json");
  REQUIRE(vectors.at("cases").size() >= 20);
  for (const json& c : vectors.at("cases")) {
    INFO(c.at("name").get<std::string>());
    check_case(c);
  }
}

TEST_CASE("pasted answers: every catalogue answer, both gateways, in every form, reads as sent", "[paste]") {
  for (const auto generation : {kuaidi::gateway_generation::classic, kuaidi::gateway_generation::vpc}) {
    kuaidi::simulator_config config;
    config.gateway = generation;
    config.mode = kuaidi::platform::market;
    kuaidi::simulator_state state = kuaidi::initial_state(config);
    for (const kuaidi::scenario& s : kuaidi::all_scenarios()) {
      kuaidi::gateway_request request;
      request.target = "/query?kddh=JT3084743373888";
      request.headers = {{"Authorization", "APPCODE demo"}, {"X-Mock-Scenario", std::string(s.id)}};
      request.now_ms = 1700000000000;
      request.entropy = 42;
      const kuaidi::simulated_answer sent = kuaidi::simulate(config, state, request).answer;
      kuaidi::http_answer live{sent.status, true, sent.headers, sent.body, {}};
      const json expected = kuaidi::to_json(kuaidi::interpret(live));
      REQUIRE(expected.at("matched").is_string());
      for (const auto& [form, text] : pastes_of(sent)) {
        INFO(kuaidi::to_string(generation) << " " << s.id << " as " << form << ":\n" << text);
        const kuaidi::pasted_answer p = kuaidi::read_pasted_answer(text);
        REQUIRE(p.answer.has_value());
        CHECK(p.answer->http_status == sent.status);
        CHECK(p.answer->body == sent.body);
        // Headers as sent (in any order, names in any case), and the Content-Length curl prints.
        CHECK(header_set(p.answer->headers, true) == header_set(sent.headers, false));
        const json o = kuaidi::to_json(kuaidi::interpret(*p.answer));
        for (const char* key : {"state", "matched", "possible", "billed", "explanation", "action", "msg",
                                "error_code", "error_message", "request_id"})
          CHECK(o.at(key) == expected.at(key));
      }
    }
  }
}

TEST_CASE("pasted answers: a paste larger than the limit is refused, saying the limit", "[paste]") {
  const kuaidi::pasted_answer p =
      kuaidi::read_pasted_answer("HTTP/1.1 200 OK\r\n\r\n" + std::string(kuaidi::max_paste_size, ' ') + "x");
  REQUIRE_FALSE(p.answer.has_value());
  CHECK(p.error.en.find("16 MB") != std::string::npos);
  CHECK(p.error.zh.find("16 MB") != std::string::npos);
}
