// Every catalogue entry reached the three ways the issue asks for — naturally, by its reserved
// tracking number, and per request (X-Mock-Scenario header and __scenario query) — in both
// gateway generations. The natural triggers are data: tests/vectors/mock_natural.json.

#include <cctype>
#include <map>
#include <set>

#include "expect.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/signature.hpp"
#include "vectors.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

constexpr const char* real_number = "JT3084743373888";

const char* mode_flag(gateway_generation g) { return g == gateway_generation::vpc ? "vpc" : "classic"; }

std::vector<std::string> profile_args(const json& vectors, const std::string& profile, gateway_generation g) {
  std::vector<std::string> args = {"--gateway", mode_flag(g)};
  for (const auto& a : vectors["profiles"].at(profile)) args.push_back(a.get<std::string>());
  return args;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// The query of a natural vector, with its placeholders filled and its sign computed.
std::string natural_query(const json& vectors, const json& v) {
  std::string query =
      replace_all(v["query"], "{sendtime}", std::to_string(vectors["profile_now_ms"].get<long long>()));
  query = replace_all(query, "{8000 x}", std::string(8000, 'x'));
  if (v.contains("sign_with")) {
    const auto params = params_from_query_string(query);
    query += "&sign=" + compute_sign(params.all, v["sign_with"].get<std::string>(), sign_algorithm::md5);
  }
  return query;
}

httplib::Headers natural_headers(const json& v) {
  httplib::Headers headers;
  if (!v.contains("authorization"))
    headers = appcode_header();
  else if (!v["authorization"].is_null())
    headers = {{"Authorization", v["authorization"].get<std::string>()}};
  const json extra = v.value("headers", json::object());
  for (const auto& [name, value] : extra.items()) headers.emplace(name, value.get<std::string>());
  return headers;
}

expected_vendor natural_expectation(const json& v) {
  expected_vendor want;
  if (v.contains("kdmc_of")) want.kdmc = carrier_name(v["kdmc_of"].get<std::string>());
  if (v.contains("kddh")) want.kddh = v["kddh"];
  if (v.contains("appid")) want.appid = v["appid"];
  return want;
}

void check_natural(const json& vectors, gateway_generation g) {
  std::map<std::string, std::vector<json>> by_profile;
  for (const auto& v : vectors["natural"]) {
    test::require_known_keys(v, {"id", "profile", "query", "sign_with", "authorization", "headers", "kdmc_of",
                                 "kddh", "appid", "on_purpose_only", "path", "proxy_host", "repeat"});
    if (v.value("on_purpose_only", false)) continue;  // no natural trigger, by design
    by_profile[v["profile"]].push_back(v);
  }
  for (const auto& [profile, cases] : by_profile) {
    INFO("profile " << profile);
    mock_process server(profile_args(vectors, profile, g));
    for (const auto& v : cases) {
      // A proxy client writes the absolute form: the mock is its proxy, the host is the vector's.
      auto client = v.contains("proxy_host") ? httplib::Client("http://" + v["proxy_host"].get<std::string>())
                                             : server.client();
      if (v.contains("proxy_host")) client.set_proxy("127.0.0.1", server.port());
      client.set_url_encode(false);
      const std::string path = v.value("path", std::string("/query")) + "?" + natural_query(vectors, v);
      INFO("natural trigger of " << v["id"].get<std::string>() << ": GET " << path.substr(0, 200));
      httplib::Result res = client.Get(path.c_str(), natural_headers(v));
      for (int i = 1; i < v.value("repeat", 1); ++i) res = client.Get(path.c_str(), natural_headers(v));
      check_answer(res, entry(v["id"].get<std::string>()), g, natural_expectation(v));
    }
  }
}

std::map<std::string, std::string> reserved_numbers(const mock_process& server) {
  auto res = server.client().Get("/__admin/scenarios");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const json listing = json::parse(res->body);
  std::map<std::string, std::string> numbers;
  for (const auto& s : listing["scenarios"])
    if (s["reserved_kddh"].is_string()) numbers[s["id"]] = s["reserved_kddh"];
  return numbers;
}

// What a forced answer names, as the core predicts it (forced_outcome); the decision itself is
// checked with literal names in tests/vectors/simulator.json.
expected_vendor forced_expectation(const scenario& s, const std::string& number) {
  request_params params;
  params.kddh = number;
  const vendor_outcome predicted = forced_outcome(s, params);
  expected_vendor want;
  want.kddh = number;
  if (predicted.named) want.kdmc = std::string(predicted.named->name_zh);
  return want;
}

void check_forced(gateway_generation g) {
  mock_process server({"--gateway", mode_flag(g)});
  auto client = server.client();
  const auto numbers = reserved_numbers(server);
  for (const scenario& s : all_scenarios()) {
    INFO("scenario " << s.id);
    const std::string id(s.id);
    REQUIRE(numbers.count(id));
    const std::string& reserved = numbers.at(id);
    check_answer(client.Get(("/query?kddh=" + reserved).c_str(), appcode_header()), s, g,
                 forced_expectation(s, reserved));
    httplib::Headers forcing = appcode_header();
    forcing.emplace("X-Mock-Scenario", id);
    check_answer(client.Get((std::string("/query?kddh=") + real_number).c_str(), forcing), s, g,
                 forced_expectation(s, real_number));
    check_answer(client.Get((std::string("/query?kddh=") + real_number + "&__scenario=" + id).c_str(),
                            appcode_header()),
                 s, g, forced_expectation(s, real_number));
  }
}

}  // namespace

TEST_CASE("every catalogue entry has one reserved number and one natural trigger", "[routes]") {
  mock_process server;
  const auto numbers = reserved_numbers(server);
  const json vectors = test::load_vectors("mock_natural.json");
  std::set<std::string> natural_ids, seen_numbers;
  for (const auto& v : vectors["natural"]) natural_ids.insert(v["id"].get<std::string>());
  for (const scenario& s : all_scenarios()) {
    INFO("scenario " << s.id);
    CHECK(natural_ids.count(std::string(s.id)) == 1);
    REQUIRE(numbers.count(std::string(s.id)) == 1);
    const std::string& number = numbers.at(std::string(s.id));
    CHECK(number.size() <= 20);
    CHECK(seen_numbers.insert(number).second);
    for (char c : number) CHECK(std::isalnum(static_cast<unsigned char>(c)));
    request_params params;
    params.kddh = number;
    CHECK(validate(params).passed());  // reserved numbers must get past the vendor's checks
  }
  CHECK(natural_ids.size() == all_scenarios().size());
}

TEST_CASE("every catalogue entry by its reserved number, X-Mock-Scenario and __scenario", "[routes]") {
  SECTION("classic gateway") { check_forced(gateway_generation::classic); }
  SECTION("VPC gateway") { check_forced(gateway_generation::vpc); }
}

TEST_CASE("every catalogue entry by its natural trigger", "[routes]") {
  const json vectors = test::load_vectors("mock_natural.json");
  SECTION("classic gateway") { check_natural(vectors, gateway_generation::classic); }
  SECTION("VPC gateway") { check_natural(vectors, gateway_generation::vpc); }
}

TEST_CASE("an unknown scenario id is refused with a message naming it", "[routes]") {
  mock_process server;
  auto client = server.client();
  httplib::Headers forcing = appcode_header();
  forcing.emplace("X-Mock-Scenario", "no_such_case");
  auto res = client.Get("/query?kddh=JT3084743373888", forcing);
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(res->body.find("no_such_case") != std::string::npos);
  CHECK(res->body.find("/__admin/scenarios") != std::string::npos);
  res = client.Get("/query?kddh=JT3084743373888&__scenario=nope", appcode_header());
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(res->body.find("nope") != std::string::npos);
}

// Integrators can leave their code's real endpoint in place and point an HTTP proxy at the mock.
TEST_CASE("a client using the mock as its HTTP proxy reaches it with the Aliyun endpoint's URL", "[routes]") {
  mock_process server;
  httplib::Client client("http://chawuliu.market.alicloudapi.com");
  client.set_proxy("127.0.0.1", server.port());
  client.set_connection_timeout(5);
  check_answer(client.Get("/query?kddh=JT3084743373888", appcode_header()), entry("success"),
               gateway_generation::classic, {detected_name("JT3084743373888"), "JT3084743373888", ""});
  auto res = client.Get("/query?kddh=JT3084743373888");
  REQUIRE(res);
  CHECK(res->status == 401);  // no AppCode: the gateway's own answer, as without the proxy

  auto direct = server.client();
  const json journal = json::parse(direct.Get("/__admin/journal?limit=1")->body);
  const std::string target = journal["entries"][0]["target"];  // as sent: httplib writes the port
  CHECK(target.rfind("http://chawuliu.market.alicloudapi.com", 0) == 0);
  CHECK(target.substr(target.find("/query")) == "/query?kddh=JT3084743373888");
}

}  // namespace kuaidi::mock_test
