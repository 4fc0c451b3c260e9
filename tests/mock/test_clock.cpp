// The simulated clock: a client polling one number while the clock is advanced sees events only
// ever added and none after the clock; after 30 simulated days every parcel has arrived or stayed
// a problem; --clock-rate runs the clock from --now; bad changes get 400 saying what is accepted.

#include <thread>

#include "expect.hpp"
#include "kuaidi/time.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

constexpr const char* start_iso = "2022-10-27T20:00:00+08:00";

json advance(httplib::Client& client, const std::string& span) {
  return json_of(client.Post("/__admin/clock", json{{"advance", span}}.dump(), "application/json"));
}

json query(httplib::Client& client, const std::string& number) {
  auto res = client.Get(("/query?kddh=" + number).c_str(), appcode_header());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const json body = json::parse(res->body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  return body;
}

// "2022-10-28T02:00:00+08:00" (the clock) → "2022-10-28 02:00:00" (how events write time).
std::string as_event_time(const json& clock) {
  return clock["now"].get<std::string>().substr(0, 19).replace(10, 1, " ");
}

}  // namespace

TEST_CASE("polling one number while the clock advances: events only added, none after the clock", "[clock]") {
  mock_process server({"--now", start_iso});
  auto client = server.client();
  json clock = json_of(client.Get("/__admin/clock"));
  CHECK(clock["now"] == start_iso);
  CHECK(clock["anchor"] == start_iso);
  CHECK(clock["rate"] == 0);

  json before = query(client, "JT3084743373888");
  REQUIRE(before["status"] == 2);  // on its way when the clock starts
  std::size_t grew = 0;
  for (int step = 1; step <= 16; ++step) {
    clock = advance(client, "3h");
    INFO("clock " << clock.dump());
    CHECK(clock["now_ms"] == (*parse_instant(start_iso) + step * 3 * 3600) * 1000);
    const json now = query(client, "JT3084743373888");
    const json& events = now["data"];
    const json& old = before["data"];
    REQUIRE(events.size() >= old.size());
    const std::size_t added = events.size() - old.size();
    grew += added > 0;
    for (std::size_t i = 0; i < old.size(); ++i) CHECK(events[added + i] == old[i]);
    for (const auto& e : events) CHECK(e["time"].get<std::string>() <= as_event_time(clock));
    if (added == 0) CHECK(now["status"] == before["status"]);
    if (before["status"] == 3) CHECK(added == 0);
    const std::string newest = events[0]["content"];
    CHECK(coarse(state_from_status(now["status"])) == coarse(stage_from_text(newest)));
    before = now;
  }
  CHECK(grew >= 3);
  CHECK(before["status"] == 3);  // delivered within two days, and stays so
}

TEST_CASE("after 30 simulated days every synthetic parcel has arrived or stayed a problem", "[clock]") {
  mock_process server({"--now", start_iso});
  auto client = server.client();
  std::size_t on_the_way = 0;
  const auto numbers = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 60; ++i) out.push_back("JT30847433" + std::to_string(10000 + i * 37));
    return out;
  }();
  for (const auto& number : numbers) {
    const int status = query(client, number)["status"];
    on_the_way += status == 1 || status == 2;
  }
  CHECK(on_the_way * 3 >= numbers.size());
  advance(client, "30d");
  for (const auto& number : numbers) {
    INFO("kddh " << number);
    const int status = query(client, number)["status"];
    CHECK((status == 3 || status == 4));
  }
}

TEST_CASE("--clock-rate runs the simulated clock from --now", "[clock]") {
  mock_process server({"--now", start_iso, "--clock-rate", "3600"});
  auto client = server.client();
  const json first = json_of(client.Get("/__admin/clock"));
  CHECK(first["rate"] == 3600);
  CHECK(first["anchor"] == start_iso);
  const json at_start = query(client, "JT3084743373888");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // At least a second has passed, so at least a simulated hour.
  const json later = json_of(client.Get("/__admin/clock"));
  CHECK(later["now_ms"].get<std::int64_t>() - first["now_ms"].get<std::int64_t>() >= 3600 * 1000);
  const std::string later_on = R"({"set": "2022-11-27T20:00:00+08:00"})";
  const json moved = json_of(client.Post("/__admin/clock", later_on, "application/json"));
  CHECK(moved["now_ms"].get<std::int64_t>() >= *parse_instant("2022-11-27T20:00:00+08:00") * 1000);
  const json arrived = query(client, "JT3084743373888");
  CHECK(arrived["status"] == 3);
  CHECK(arrived["data"].size() > at_start["data"].size());
}

TEST_CASE("a clock change it cannot read gets 400 saying what is accepted", "[clock]") {
  mock_process server({"--now", start_iso});
  auto client = server.client();
  for (const char* body : {R"({"advance": "6 hours"})", R"({"set": "tomorrow"})",
                           R"({"advance": "6h", "set": "0"})", R"({"rewind": "6h"})", "six hours", ""}) {
    INFO("body " << body);
    const json refused = json_of(client.Post("/__admin/clock", body, "application/json"), 400);
    const std::string error = refused["error"];
    CHECK(error.find(R"({"advance": "6h"})") != std::string::npos);
    CHECK(error.find(R"({"set": "2022-10-28T09:00:00+08:00"})") != std::string::npos);
  }
  CHECK(json_of(client.Get("/__admin/clock"))["now"] == start_iso);  // nothing moved
  json_of(client.Put("/__admin/clock", R"({"advance": "6h"})", "application/json"), 405);
  const run_result bad = run_mock({"--clock-rate", "fast"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--clock-rate needs simulated seconds per real second") != std::string::npos);
}

}  // namespace kuaidi::mock_test
