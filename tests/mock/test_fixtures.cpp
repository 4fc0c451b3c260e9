// Fixtures pin exact answers for given numbers; the file is reloaded when it changes and on
// POST /__admin/reload; a bad file is rejected with a message naming the place, and the
// fixtures already loaded stay live.

#include <thread>

#include "expect.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const std::string example_file =
    std::string(KUAIDI_VECTORS_DIR) + "/../../scripts/mock_fixtures.example.json";

// `fixtures` must be a JSON array (a braced single object would be copied, not wrapped).
std::string fixture_file(const json& fixtures) {
  REQUIRE(fixtures.is_array());
  return json({{"fixtures", fixtures}}).dump(2);
}

json pinned_no_record(const std::string& number) { return {{"kddh", number}, {"scenario", "no_record"}}; }

// Polls until the answer's body satisfies `done` (the watcher reloads within a second).
httplib::Result wait_for(httplib::Client& client, const std::string& path,
                         const std::function<bool(const httplib::Response&)>& done) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    auto res = client.Get(path.c_str(), appcode_header());
    if ((res && done(*res)) || std::chrono::steady_clock::now() > until) return res;
    std::this_thread::sleep_for(50ms);
  }
}

}  // namespace

TEST_CASE("the example fixture file pins each kind of answer", "[fixtures]") {
  mock_process server({"--fixtures", example_file, "--gateway", "vpc"});
  auto client = server.client();
  const json example = json::parse(read_text_file(example_file))["fixtures"];

  check_answer(client.Get("/query?kddh=YT8962646785389", appcode_header()), entry("no_record"),
               gateway_generation::vpc, {detected_name("YT8962646785389"), "YT8962646785389", ""});

  auto res = client.Get("/query?kddh=78627000758123", appcode_header());
  REQUIRE(res);
  CHECK(res->status == 200);
  trace pinned;
  pinned.status = example[1]["trace"]["status"];
  pinned.carrier_name = example[1]["trace"]["kdmc"];
  pinned.tracking_number = "78627000758123";
  for (const auto& e : example[1]["trace"]["events"]) pinned.events.push_back({e["time"], e["content"]});
  CHECK(res->body == build_trace_body(pinned));

  // The tel-specific fixture answers only with that tel; without it SF still needs the tail.
  res = client.Get("/query?kddh=SF1385628716739&tel=8888", appcode_header());
  REQUIRE(res);
  CHECK(json::parse(res->body)["data"].size() == 1);
  check_answer(client.Get("/query?kddh=SF1385628716739", appcode_header()), entry("no_record"),
               gateway_generation::vpc, {carrier_name("shunfeng"), "SF1385628716739", ""});

  res = client.Get("/query?kddh=JT5261988016578", appcode_header());
  REQUIRE(res);
  CHECK(res->status == example[3]["response"]["status"].get<int>());
  CHECK(res->body == example[3]["response"]["body"].get<std::string>());
  CHECK(res->get_header_value("Content-Type") == "text/html");
  CHECK(res->get_header_value("X-Example") == "pinned");
}

TEST_CASE("fixtures reload when the file changes; a bad file keeps the old ones live", "[fixtures]") {
  temp_folder probe;
  const std::string path = probe.path() + "/fixtures.json";
  write_text_file(path, fixture_file(json::array({pinned_no_record("JT3084743373888")})));
  mock_process server({"--fixtures", path});
  auto client = server.client();
  check_answer(client.Get("/query?kddh=JT3084743373888", appcode_header()), entry("no_record"),
               gateway_generation::classic, {detected_name("JT3084743373888"), "JT3084743373888", ""});

  SECTION("a changed file is picked up without a restart") {
    write_text_file(path,
                    fixture_file(json::array({{{"kddh", "JT3084743373888"}, {"scenario", "number_void"}}})));
    auto res = wait_for(client, "/query?kddh=JT3084743373888", [](const httplib::Response& r) {
      return r.body ==
             build_answer_body(entry("number_void"), detected_name("JT3084743373888"), "JT3084743373888");
    });
    check_answer(res, entry("number_void"), gateway_generation::classic,
                 {detected_name("JT3084743373888"), "JT3084743373888", ""});
  }

  SECTION("a bad file is rejected with its place named, and the old fixtures still answer") {
    write_text_file(path,
                    fixture_file(json::array({{{"kddh", "JT3084743373888"}, {"scenario", "no_such_id"}}})));
    const auto until = std::chrono::steady_clock::now() + 10s;
    json status;
    do {
      std::this_thread::sleep_for(50ms);
      status = json::parse(client.Get("/__admin/fixtures")->body);
    } while (status["last_error"].is_null() && std::chrono::steady_clock::now() < until);
    REQUIRE(status["last_error"].is_string());
    const std::string error = status["last_error"];
    CHECK(error.find("fixtures[0].scenario") != std::string::npos);
    CHECK(error.find("no_such_id") != std::string::npos);
    check_answer(client.Get("/query?kddh=JT3084743373888", appcode_header()), entry("no_record"),
                 gateway_generation::classic, {detected_name("JT3084743373888"), "JT3084743373888", ""});

    auto res = client.Post("/__admin/reload", "", "application/json");
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK(res->body.find("no_such_id") != std::string::npos);

    write_text_file(path, "{ \"fixtures\": [ ");
    res = client.Post("/__admin/reload", "", "application/json");
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK(res->body.find("not valid JSON") != std::string::npos);
  }

  SECTION("POST /__admin/reload loads the file at once") {
    write_text_file(path, fixture_file(json::array(
                              {pinned_no_record("JT3084743373888"), pinned_no_record("YT8962646785389")})));
    auto res = client.Post("/__admin/reload", "", "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body)["count"] == 2);
  }
}

// The soak test once caught the watcher, still parsing a large file, installing it after a
// POST /__admin/reload had installed a newer one: answers went back to the old file for a poll.
TEST_CASE("a reload never reinstalls an older file than the one already live", "[fixtures]") {
  temp_folder probe;
  const std::string path = probe.path() + "/fixtures.json";
  const std::string number = "JT3084743373888";
  json large = json::array({pinned_no_record(number)});
  for (int i = 0; i < 40000; ++i)
    large.push_back(pinned_no_record("JT5" + std::to_string(100000000000LL + i)));
  const std::string large_file = fixture_file(large);
  const std::string newest_file =
      fixture_file(json::array({{{"kddh", number}, {"scenario", "number_void"}}}));
  const std::string newest_body = build_answer_body(entry("number_void"), detected_name(number), number);
  write_text_file(path, newest_file);
  mock_process server({"--fixtures", path});
  auto client = server.client();
  // A reload may wait for the watcher's parse of the large file: seconds under ASan on a busy machine.
  client.set_read_timeout(60);

  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    write_text_file(path, large_file);
    std::this_thread::sleep_for(300ms);  // the watcher (250 ms) is now reading the large file
    write_text_file(path, newest_file);
    auto res = client.Post("/__admin/reload", "", "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(json::parse(res->body)["count"] == 1);
    // From here on every answer comes from the newest file, through the watcher's next polls too.
    const auto until = std::chrono::steady_clock::now() + 800ms;
    int stale = 0;
    while (std::chrono::steady_clock::now() < until) {
      auto answer = client.Get(("/query?kddh=" + number).c_str(), appcode_header());
      REQUIRE(answer);
      if (answer->body != newest_body) ++stale;
      std::this_thread::sleep_for(10ms);
    }
    CHECK(stale == 0);
  }
}

TEST_CASE("a fixture file with a mistake is refused at start with a clear message", "[fixtures]") {
  temp_folder probe;
  const std::string path = probe.path() + "/bad.json";
  const struct {
    json fixtures;
    const char* expected;
  } cases[] = {
      {json::array({{{"kddh", "JT3084743373888"}}}), "needs exactly one of"},
      {json::array({{{"kddh", "JT30847433738881234567"}, {"scenario", "success"}}}), "kddh_too_long"},
      {json::array({{{"kddh", "JT3084743373888"},
                     {"trace", {{"events", {{{"time", "yesterday"}, {"content", "x"}}}}}}}}),
       "fixtures[0].trace.events[0].time"},
      {json::array({pinned_no_record("JT3084743373888"), pinned_no_record("JT3084743373888")}), "duplicate"},
      {json::array({{{"kddh", "JT3084743373888"}, {"scenario", "success"}, {"colour", "red"}}}),
       "unknown field \"colour\""},
      // Found by fuzz_fixtures: big numbers used to wrap around into a valid status.
      {json::array({{{"kddh", "JT3084743373888"}, {"response", {{"status", 4294967496ULL}, {"body", ""}}}}}),
       "fixtures[0].response.status: must be an HTTP status between 100 and 999"},
      {json::array({{{"kddh", "JT3084743373888"},
                     {"trace", {{"status", 4294967298ULL}, {"events", json::array()}}}}}),
       "fixtures[0].trace.status"},
  };
  for (const auto& c : cases) {
    INFO("expected message: " << c.expected);
    write_text_file(path, fixture_file(c.fixtures));
    const run_result run = run_mock({"--port", "0", "--fixtures", path});
    CHECK(run.exit_code == 2);
    CHECK(run.err.find(c.expected) != std::string::npos);
    CHECK(run.err.find("fixtures") != std::string::npos);
  }
  const run_result missing = run_mock({"--port", "0", "--fixtures", "/nonexistent/fixtures.json"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot open /nonexistent/fixtures.json") != std::string::npos);
}

}  // namespace kuaidi::mock_test
