// Asking the mock what a test did: GET /__admin/requests and /__admin/requests/count with filters,
// and the filter rules themselves (journal_filter, called directly).

#include "expect.hpp"
#include "journal_filter.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;
using kuaidi::mock::journal_entry;
using kuaidi::mock::parse_journal_filter;

std::string request_id_of(const httplib::Result& res) {
  REQUIRE(res);
  return res->get_header_value("X-Ca-Request-Id");
}

std::vector<std::string> ids_of(const json& listing) {
  std::vector<std::string> ids;
  for (const json& e : listing["entries"]) ids.push_back(e["request_id"].get<std::string>());
  return ids;
}

}  // namespace

TEST_CASE("requests are filtered by number, status, scenario, route, billing and time, newest first",
          "[requests]") {
  mock_process server;
  auto client = server.client();
  const std::string first = request_id_of(client.Get("/query?kddh=JT3084743373888", appcode_header()));
  const std::string second = request_id_of(client.Get("/query?kddh=jt-3084743373888", appcode_header()));
  const std::string refused = request_id_of(client.Get("/query?kddh=", appcode_header()));
  const std::string no_tel =
      request_id_of(client.Get("/query?kddh=SF1385628716739&code=shunfeng", appcode_header()));
  const std::string with_tel =
      request_id_of(client.Get("/query?kddh=SF1385628716739&code=shunfeng&tel=8888", appcode_header()));
  httplib::Headers forced = appcode_header();
  forced.emplace("X-Mock-Scenario", "quota_exhausted");
  const std::string exhausted = request_id_of(client.Get("/query?kddh=JT3084743373881", forced));
  REQUIRE(client.Get("/__admin/health"));  // the admin API's own calls are not journaled

  const json number = get_json(client, "/__admin/requests?kddh=JT%203084743373888");
  CHECK(ids_of(number) == std::vector<std::string>{second, first});
  CHECK(number["entries"][0]["kddh"] == "jt-3084743373888");
  CHECK(number["entries"][0]["tel"] == false);
  CHECK(number["entries"][0]["billed"] == true);
  CHECK(get_json(client, "/__admin/requests/count?kddh=JT3084743373888") == json{{"count", 2}});

  CHECK(ids_of(get_json(client, "/__admin/requests?billed=true")) ==
        std::vector<std::string>{with_tel, no_tel, second, first});
  CHECK(get_json(client, "/__admin/requests/count?billed=false") == json{{"count", 2}});
  const json by_status = get_json(client, "/__admin/requests?status=666");
  CHECK(ids_of(by_status) == std::vector<std::string>{refused});
  CHECK(by_status["entries"][0]["scenario"] == "kddh_empty");
  CHECK(ids_of(get_json(client, "/__admin/requests?scenario=quota_exhausted&route=header")) ==
        std::vector<std::string>{exhausted});
  CHECK(get_json(client, "/__admin/requests/count?scenario=quota_exhausted&route=natural") ==
        json{{"count", 0}});
  const json tails = get_json(client, "/__admin/requests?kddh=SF1385628716739");
  CHECK(ids_of(tails) == std::vector<std::string>{with_tel, no_tel});
  CHECK(tails["entries"][0]["tel"] == true);
  CHECK(tails["entries"][1]["tel"] == false);
  CHECK(tails["entries"][1]["scenario"] == "no_record");

  CHECK(ids_of(get_json(client, "/__admin/requests?limit=2")) ==
        std::vector<std::string>{exhausted, with_tel});
  CHECK(ids_of(get_json(client, "/__admin/requests?since=" + no_tel)) ==
        std::vector<std::string>{exhausted, with_tel});
  CHECK(get_json(client, "/__admin/requests/count?since=" + exhausted) == json{{"count", 0}});
  CHECK(get_json(client, "/__admin/requests/count?since=2000-01-01T00:00:00Z") == json{{"count", 6}});
  CHECK(get_json(client, "/__admin/requests/count?since=4102444800000") == json{{"count", 0}});  // 2100
  const std::int64_t recorded_at = get_json(client, "/__admin/requests?limit=1")["entries"][0]["time_ms"];
  CHECK(get_json(client, "/__admin/requests/count?since=" + std::to_string(recorded_at + 1))["count"] == 0);
  CHECK(get_json(client, "/__admin/requests/count?since=" + std::to_string(recorded_at))["count"] >= 1);
}

TEST_CASE("an unknown filter or a bad value is refused with what is accepted", "[requests]") {
  mock_process server;
  auto client = server.client();
  REQUIRE(client.Get("/query?kddh=JT3084743373888", appcode_header()));
  struct refusal {
    std::string query;
    std::string filter;
    std::string accepted;  // a piece of the hint
  };
  const std::vector<refusal> refusals = {
      {"requests?kdh=JT3084743373888", "kdh", "kddh, status, scenario, route, billed, since, limit"},
      {"requests/count?limit=3", "limit", "kddh, status, scenario, route, billed, since"},
      {"requests?status=ok", "status", "from 100 to 999"},
      {"requests?status=1000", "status", "from 100 to 999"},
      {"requests?scenario=quota", "scenario", "quota_exhausted"},
      {"requests?route=forced", "route", "natural, header, query, reserved, fixture, fault"},
      {"requests?billed=yes", "billed", "true or false"},
      {"requests?since=yesterday", "since", "epoch milliseconds"},
      {"requests?since=6D13BEB2-C37A-4CCA-92FA-4095DDD5B52F", "since", "--journal-size"},
      {"requests?limit=0", "limit", ">= 1"},
      {"requests?kddh=", "kddh", "tracking number"},
  };
  for (const refusal& r : refusals) {
    const json problem = get_json(client, "/__admin/" + r.query, 400);
    CHECK(problem["filter"] == r.filter);
    CHECK(problem["error"].get<std::string>().find(r.filter) != std::string::npos);
    CHECK(problem["hint"].get<std::string>().find(r.accepted) != std::string::npos);
  }
}

TEST_CASE("filters are read and matched without a server", "[requests]") {
  const auto parsed = [](kuaidi::mock::query_pairs query, bool with_limit = true) {
    return parse_journal_filter(query, with_limit);
  };
  journal_entry e;
  e.time_ms = 1714536000000;  // 2024-05-01T12:00:00+08:00
  e.kddh = "jt 3084-743373888";
  e.status = 200;
  e.scenario = "success";
  e.route = "natural";
  e.billed = true;

  const auto match = [&](kuaidi::mock::query_pairs query) {
    const auto p = parsed(std::move(query));
    INFO(p.error().error);
    REQUIRE(p.ok());
    return kuaidi::mock::matches(*p, e);
  };
  CHECK(match({}));
  CHECK(match({{"kddh", "JT3084743373888"}, {"status", "200"}, {"billed", "true"}, {"route", "natural"}}));
  CHECK_FALSE(match({{"kddh", "JT3084743373889"}}));
  CHECK_FALSE(match({{"billed", "false"}}));
  CHECK_FALSE(match({{"scenario", "no_record"}}));
  CHECK(match({{"since", "2024-05-01 12:00:00"}}));  // no zone: China time
  CHECK_FALSE(match({{"since", "2024-05-01T12:00:01+08:00"}}));
  CHECK(match({{"since", "1714536000000"}}));  // digits: epoch milliseconds
  CHECK_FALSE(match({{"since", "1714536000001"}}));
  journal_entry admin_call;  // no kddh: never matches a kddh filter
  CHECK_FALSE(kuaidi::mock::matches(*parsed({{"kddh", "JT3084743373888"}}), admin_call));

  CHECK(parsed({{"limit", "7"}})->limit == 7);
  CHECK(parsed({})->limit == 100);
  CHECK(parsed({{"since", "6D13BEB2-C37A-4CCA-92FA-4095DDD5B52F"}})->since_request_id ==
        "6D13BEB2-C37A-4CCA-92FA-4095DDD5B52F");
  CHECK(parsed({{"limit", "7"}}, false).error().bad_filter == "limit");
  CHECK(parsed({{"status", "200"}, {"colour", "red"}}).error().bad_filter == "colour");
}

}  // namespace kuaidi::mock_test
