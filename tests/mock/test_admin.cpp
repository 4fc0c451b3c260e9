// The admin API: health, scenarios, a bounded journal with AppCodes masked, quotas, reset.

#include "expect.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

}  // namespace

TEST_CASE("health and the endpoint list", "[admin]") {
  mock_process server({"--gateway", "vpc"});
  auto client = server.client();
  const json health = get_json(client, "/__admin/health");
  CHECK(health["status"] == "ok");
  CHECK(health["gateway"] == "vpc");
  CHECK(health["platform"] == "market");
  CHECK(health["port"] == server.port());
  const json index = get_json(client, "/__admin/");
  CHECK(index["endpoints"].size() >= 10);
  const json missing = get_json(client, "/__admin/nothing", 404);
  CHECK(missing["hint"].get<std::string>().find("/__admin/") != std::string::npos);
}

TEST_CASE("scenarios list every catalogue entry with its triggers and answer", "[admin]") {
  mock_process server;
  auto client = server.client();
  const json listing = get_json(client, "/__admin/scenarios");
  REQUIRE(listing["scenarios"].size() == all_scenarios().size());
  std::size_t i = 0;
  for (const scenario& s : all_scenarios()) {
    const json& item = listing["scenarios"][i++];
    INFO("scenario " << s.id);
    CHECK(item["id"] == std::string(s.id));
    CHECK(item["header"] == "X-Mock-Scenario: " + std::string(s.id));
    CHECK(item["query"] == "__scenario=" + std::string(s.id));
    CHECK_FALSE(item["natural_trigger"].get<std::string>().empty());
    if (s.source == answer_source::gateway) {  // the catalogue's shape: both generations' answers
      CHECK(item["classic"]["message"] == std::string(s.classic.message));
      CHECK(item["classic"]["http_status"] == s.classic.http_status);
      CHECK(item["vpc"]["code"] == std::string(s.vpc.code));
    } else {
      CHECK(item["msg"] == std::string(s.msg));
      CHECK(item["http_status"] == s.http_status);
    }
  }
}

TEST_CASE("the journal is bounded, newest first, and never holds an AppCode whole", "[admin]") {
  mock_process server({"--journal-size", "5"});
  auto client = server.client();
  const std::string appcode = "83359fd73fe94948385f570e3c139105";
  for (int i = 0; i < 8; ++i)
    REQUIRE(client.Get(("/query?kddh=JT308474337388" + std::to_string(i)).c_str(), appcode_header(appcode)));
  const json journal = get_json(client, "/__admin/journal?limit=50");
  CHECK(journal["recorded"] == 8);
  CHECK(journal["kept"] == 5);
  REQUIRE(journal["entries"].size() == 5);
  CHECK(journal["entries"][0]["target"] == "/query?kddh=JT3084743373887");
  CHECK(journal["entries"][4]["target"] == "/query?kddh=JT3084743373883");
  CHECK(journal["entries"][0]["appcode"] == "8335****05");
  CHECK(journal["entries"][0]["scenario"] == "success");
  CHECK(journal.dump().find(appcode) == std::string::npos);
  CHECK(read_text_file(server.folder() + "/requests.log").find(appcode) == std::string::npos);
  CHECK(get_json(client, "/__admin/quotas").dump().find(appcode) == std::string::npos);
  CHECK(get_json(client, "/__admin/journal?limit=2")["entries"].size() == 2);
  get_json(client, "/__admin/journal?limit=zero", 400);

  auto res = client.Delete("/__admin/journal");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(get_json(client, "/__admin/journal")["entries"].empty());
}

TEST_CASE("quotas: read, set, refuse bad input, reset", "[admin]") {
  mock_process server({"--appcode", "PAIDCODE00001:3", "--appcode", "OTHERCODE0001:unlimited:arrears"});
  auto client = server.client();
  const json quotas = get_json(client, "/__admin/quotas");
  CHECK(quotas["open"] == false);
  REQUIRE(quotas["appcodes"].size() == 2);
  CHECK(get_json(client, "/__admin/quotas/PAIDCODE00001")["remaining"] == 3);
  CHECK(get_json(client, "/__admin/quotas/OTHERCODE0001")["state"] == "arrears");
  get_json(client, "/__admin/quotas/NOSUCHCODE", 404);

  auto res = client.Put("/__admin/quotas/PAIDCODE00001", R"({"remaining": -1})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(res->body.find("remaining") != std::string::npos);
  res = client.Put("/__admin/quotas/PAIDCODE00001", "{oops", "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(res->body.find("not valid JSON") != std::string::npos);
  res = client.Put("/__admin/quotas/PAIDCODE00001", R"({"state": "sleepy"})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  res = client.Put("/__admin/quotas/PAIDCODE00001", R"({"remaining": null})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(get_json(client, "/__admin/quotas/PAIDCODE00001")["remaining"].is_null());

  REQUIRE(client.Get("/query?kddh=JT3084743373888", appcode_header("PAIDCODE00001")));
  res = client.Post("/__admin/reset", "", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  const json after = get_json(client, "/__admin/quotas/PAIDCODE00001");
  CHECK(after["remaining"] == 3);
  CHECK(after["billed"] == 0);
  CHECK(get_json(client, "/__admin/journal")["entries"].empty());
}

}  // namespace kuaidi::mock_test
