// Synthetic traces: deterministic per number, times in China time at or before the pinned
// clock and newest first, a status that agrees with the newest event, masked phones and number,
// and the phone-tail rule for carriers that need it.

#include <regex>

#include "expect.hpp"
#include "kuaidi/interpret.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

constexpr const char* pinned_iso = "2024-05-01T12:00:00+08:00";
constexpr long long pinned_seconds = 1714536000;

std::string body_of(httplib::Client& client, const std::string& query) {
  auto res = client.Get(("/query?" + query).c_str(), appcode_header());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return res->body;
}

}  // namespace

TEST_CASE("a number always gets the same trace for the same clock", "[trace]") {
  mock_process first({"--now", pinned_iso});
  mock_process second({"--now", std::to_string(pinned_seconds)});
  mock_process later({"--now", "2024-05-03T12:00:00+08:00"});
  auto a = first.client(), b = second.client(), c = later.client();
  for (const char* number : {"JT3084743373888", "YT8962646785389", "73610555582883"}) {
    INFO("kddh " << number);
    const std::string query = std::string("kddh=") + number;
    const std::string once = body_of(a, query);
    CHECK(body_of(a, query) == once);
    CHECK(body_of(b, query) == once);
    CHECK(body_of(c, query) != once);
  }
}

TEST_CASE("trace times, order, status and masking", "[trace]") {
  mock_process server({"--now", pinned_iso});
  auto client = server.client();
  const std::regex eleven_digits("\\d{11}");
  std::set<int> statuses;
  for (int i = 0; i < 60; ++i) {
    const std::string number = "JT30847433" + std::to_string(10000 + i * 37);
    INFO("kddh " << number);
    const json body = json::parse(body_of(client, "kddh=" + number));
    CHECK(body["kddh"] == mask_tracking_number(number));
    CHECK(body["kdmc"] == carrier_name("jtexpress"));
    const json& events = body["data"];
    REQUIRE_FALSE(events.empty());
    std::int64_t previous = pinned_seconds + 8 * 3600 + 1;  // event times are China wall-clock
    for (const auto& e : events) {
      const auto at = parse_event_time(e["time"].get<std::string>());
      REQUIRE(at);
      CHECK(*at < previous);
      previous = *at;
      CHECK_FALSE(std::regex_search(e["content"].get<std::string>(), eleven_digits));
    }
    const int status = body["status"];
    statuses.insert(status);
    CHECK(coarse(state_from_status(status)) ==
          coarse(stage_from_text(events[0]["content"].get<std::string>())));
  }
  CHECK(statuses.size() >= 3);  // picked up, in transit and delivered all occur
}

TEST_CASE("carriers that need the phone tail, and code over detection", "[trace]") {
  mock_process server({"--now", pinned_iso});
  auto client = server.client();
  check_answer(client.Get("/query?kddh=SF1385628716739", appcode_header()), entry("no_record"),
               gateway_generation::classic, {carrier_name("shunfeng"), "SF1385628716739", ""});
  check_answer(client.Get("/query?kddh=SF1385628716739&tel=8888", appcode_header()), entry("success"),
               gateway_generation::classic, {carrier_name("shunfeng"), "SF1385628716739", ""});
  // A full mobile number is accepted as tel (its last 4 digits are used).
  check_answer(client.Get("/query?kddh=SF1385628716739&tel=13800138000", appcode_header()), entry("success"),
               gateway_generation::classic, {carrier_name("shunfeng"), "SF1385628716739", ""});
  check_answer(client.Get("/query?kddh=JT3084743373888&code=yuantong", appcode_header()), entry("success"),
               gateway_generation::classic, {carrier_name("yuantong"), "JT3084743373888", ""});
}

}  // namespace kuaidi::mock_test
