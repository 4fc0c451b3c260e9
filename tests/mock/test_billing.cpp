// Billing as the market does it: quota N allows N billed (2xx) calls, the (N+1)-th gets the
// gateway's 403 Quota Exhausted; 666 answers and gateway errors cost nothing; ok:1 answers that
// found nothing are billed all the same.

#include "expect.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

json quota_of(const mock_process& server, const std::string& appcode) {
  auto client = server.client();
  return get_json(client, "/__admin/quotas/" + appcode);
}

}  // namespace

TEST_CASE("quota N: N billed calls, then 403 Quota Exhausted", "[billing]") {
  for (auto g : {gateway_generation::classic, gateway_generation::vpc}) {
    INFO("gateway " << to_string(g));
    mock_process server(
        {"--gateway", g == gateway_generation::vpc ? "vpc" : "classic", "--appcode", "PAIDCODE00001:2"});
    auto client = server.client();
    const auto auth = appcode_header("PAIDCODE00001");
    for (int call = 1; call <= 2; ++call) {
      auto res = client.Get("/query?kddh=JT3084743373888", auth);
      REQUIRE(res);
      CHECK(res->status == 200);
    }
    check_answer(client.Get("/query?kddh=JT3084743373888", auth), entry("quota_exhausted"), g);
    const json quota = quota_of(server, "PAIDCODE00001");
    CHECK(quota["remaining"] == 0);
    CHECK(quota["billed"] == 2);
  }
}

TEST_CASE("only 2xx answers are billed", "[billing]") {
  mock_process server({"--appcode", "PAIDCODE00001:1"});
  auto client = server.client();
  const auto auth = appcode_header("PAIDCODE00001");
  // ok:0 (HTTP 666) and gateway errors do not use the quota.
  check_answer(client.Get("/query?code=zhongtong", auth), entry("kddh_missing"), gateway_generation::classic);
  httplib::Headers throttled = auth;
  throttled.emplace("X-Mock-Fault", "throttle");
  check_answer(client.Get("/query?kddh=JT3084743373888", throttled), entry("throttled"),
               gateway_generation::classic);
  CHECK(quota_of(server, "PAIDCODE00001")["remaining"] == 1);
  // ok:1 with nothing found is HTTP 200, so it is billed.
  check_answer(client.Get("/query?kddh=SF1385628716739", auth), entry("no_record"),
               gateway_generation::classic, {carrier_name("shunfeng"), "SF1385628716739", ""});
  CHECK(quota_of(server, "PAIDCODE00001")["remaining"] == 0);
  check_answer(client.Get("/query?kddh=JT3084743373888", auth), entry("quota_exhausted"),
               gateway_generation::classic);
  CHECK(quota_of(server, "PAIDCODE00001")["billed"] == 1);
}

TEST_CASE("without --appcode any non-empty AppCode works, unlimited", "[billing]") {
  mock_process server;
  auto client = server.client();
  for (const char* code : {"A1B2C3D4E5F6", "83359fd73fe94948385f570e3c139105"}) {
    for (int i = 0; i < 3; ++i) {
      auto res = client.Get("/query?kddh=JT3084743373888", appcode_header(code));
      REQUIRE(res);
      CHECK(res->status == 200);
    }
    const json quota = quota_of(server, code);
    CHECK(quota["remaining"].is_null());
    CHECK(quota["billed"] == 3);
  }
  // The Authorization header must still be of the documented form.
  check_answer(client.Get("/query?kddh=JT3084743373888", {{"Authorization", "APPCODE"}}),
               entry("appcode_invalid"), gateway_generation::classic);
  check_answer(client.Get("/query?kddh=JT3084743373888", {{"Authorization", "Bearer abcdef"}}),
               entry("appcode_invalid"), gateway_generation::classic);
  check_answer(client.Get("/query?kddh=JT3084743373888"), entry("auth_missing"), gateway_generation::classic);
}

TEST_CASE("quota and state changed through the admin API, and reset", "[billing]") {
  mock_process server({"--appcode", "PAIDCODE00001:1"});
  auto client = server.client();
  const auto auth = appcode_header("PAIDCODE00001");
  auto res = client.Put("/__admin/quotas/PAIDCODE00001", R"({"state":"expired"})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  check_answer(client.Get("/query?kddh=JT3084743373888", auth), entry("quota_expired"),
               gateway_generation::classic);
  res =
      client.Put("/__admin/quotas/PAIDCODE00001", R"({"state":"active","remaining":0})", "application/json");
  REQUIRE(res);
  check_answer(client.Get("/query?kddh=JT3084743373888", auth), entry("quota_exhausted"),
               gateway_generation::classic);
  res = client.Post("/__admin/quotas/reset", "", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(quota_of(server, "PAIDCODE00001")["remaining"] == 1);
  res = client.Get("/query?kddh=JT3084743373888", auth);
  REQUIRE(res);
  CHECK(res->status == 200);
}

}  // namespace kuaidi::mock_test
