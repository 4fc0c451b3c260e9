// The vendor's own platform: appid + sendtime + sign (the core's documented default scheme),
// the ±5-minute window, disabled appids, '*' as debug data, and the selectable algorithm.

#include "expect.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/signature.hpp"

namespace kuaidi::mock_test {
namespace {

constexpr long long now_ms = 1714536000000;  // --now 2024-05-01T12:00:00+08:00

std::string signed_query(const std::string& query, const std::string& secret,
                         sign_algorithm algorithm = sign_algorithm::md5) {
  return query + "&sign=" + compute_sign(params_from_query_string(query).all, secret, algorithm);
}

std::string query_at(long long sendtime, const std::string& appid = "demoapp",
                     const std::string& kddh = "JT3084743373888") {
  return "appid=" + appid + "&kddh=" + kddh + "&sendtime=" + std::to_string(sendtime);
}

std::vector<std::string> own_platform(const char* algorithm = "md5") {
  return {"--now",
          "2024-05-01T12:00:00+08:00",
          "--app",
          "demoapp:demosecret",
          "--app",
          "offapp:offsecret:disabled",
          "--sign-algorithm",
          algorithm};
}

httplib::Result get(httplib::Client& client, const std::string& query) {
  client.set_url_encode(false);
  return client.Get(("/query?" + query).c_str());
}

}  // namespace

TEST_CASE("own platform: a good sign gets the trace, a bad one sign_invalid", "[signature]") {
  mock_process server(own_platform());
  auto client = server.client();
  check_answer(get(client, signed_query(query_at(now_ms), "demosecret")), entry("success"),
               gateway_generation::classic, {detected_name("JT3084743373888"), "JT3084743373888", ""});
  // sendtime in seconds is accepted as well, 4 minutes early is inside the window.
  check_answer(get(client, signed_query(query_at(now_ms / 1000 - 240), "demosecret")), entry("success"),
               gateway_generation::classic, {detected_name("JT3084743373888"), "JT3084743373888", ""});
  check_answer(get(client, signed_query(query_at(now_ms), "wrongsecret")), entry("sign_invalid"),
               gateway_generation::classic);
  check_answer(get(client, signed_query(query_at(now_ms, "strangerapp"), "demosecret")),
               entry("sign_invalid"), gateway_generation::classic);
  // The sign covers every parameter: changing the number after signing breaks it.
  std::string tampered = signed_query(query_at(now_ms), "demosecret");
  tampered.replace(tampered.find("JT3084743373888"), 15, "JT3084743373889");
  check_answer(get(client, tampered), entry("sign_invalid"), gateway_generation::classic);
}

TEST_CASE("own platform: the 5-minute window, disabled appids and '*'", "[signature]") {
  mock_process server(own_platform());
  auto client = server.client();
  check_answer(get(client, signed_query(query_at(now_ms + 301000), "demosecret")), entry("sendtime_expired"),
               gateway_generation::classic);
  check_answer(get(client, signed_query(query_at(now_ms - 301000), "demosecret")), entry("sendtime_expired"),
               gateway_generation::classic);
  check_answer(get(client, signed_query(query_at(now_ms, "offapp"), "offsecret")), entry("appid_disabled"),
               gateway_generation::classic, {"", "", "offapp"});
  check_answer(get(client, signed_query(query_at(now_ms, "demoapp", "78627****758"), "demosecret")),
               entry("debug_data"), gateway_generation::classic);
}

TEST_CASE("own platform: the algorithm is selectable", "[signature]") {
  for (auto [name, algorithm] :
       {std::pair{"sha256", sign_algorithm::sha256}, std::pair{"hmac_sha256", sign_algorithm::hmac_sha256}}) {
    INFO("--sign-algorithm " << name);
    mock_process server(own_platform(name));
    auto client = server.client();
    check_answer(get(client, signed_query(query_at(now_ms), "demosecret", algorithm)), entry("success"),
                 gateway_generation::classic, {detected_name("JT3084743373888"), "JT3084743373888", ""});
    check_answer(get(client, signed_query(query_at(now_ms), "demosecret", sign_algorithm::md5)),
                 entry("sign_invalid"), gateway_generation::classic);
  }
}

TEST_CASE("own platform: the allow-list answers source_forbidden to other callers", "[signature]") {
  mock_process refused(
      {"--now", "2024-05-01T12:00:00+08:00", "--app", "demoapp:demosecret", "--allow-source", "10.1.2.3"});
  auto client = refused.client();
  check_answer(get(client, signed_query(query_at(now_ms), "demosecret")), entry("source_forbidden"),
               gateway_generation::classic);
  // An allowed Origin passes even from another address.
  mock_process by_origin({"--now", "2024-05-01T12:00:00+08:00", "--app", "demoapp:demosecret",
                          "--allow-source", "https://shop.example"});
  auto origin_client = by_origin.client();
  origin_client.set_url_encode(false);
  check_answer(origin_client.Get(("/query?" + signed_query(query_at(now_ms), "demosecret")).c_str(),
                                 {{"Origin", "https://shop.example"}}),
               entry("success"), gateway_generation::classic,
               {detected_name("JT3084743373888"), "JT3084743373888", ""});
}

TEST_CASE("--sign-query prints the string to sign and the sign the server checks", "[signature]") {
  const std::string query = query_at(now_ms);
  const run_result run = run_mock({"--sign-query", query, "--secret", "demosecret"});
  CHECK(run.exit_code == 0);
  const auto params = params_from_query_string(query);
  CHECK(run.out.find(string_to_sign(params.all, "demosecret", sign_algorithm::md5)) != std::string::npos);
  CHECK(run.out.find(compute_sign(params.all, "demosecret", sign_algorithm::md5)) != std::string::npos);
  const run_result no_secret = run_mock({"--sign-query", query});
  CHECK(no_secret.exit_code == 2);
  CHECK(no_secret.err.find("--secret") != std::string::npos);
}

}  // namespace kuaidi::mock_test
