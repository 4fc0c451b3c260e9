// Faults, per request (X-Mock-Fault / X-Mock-Latency or __fault / __latency) and per server
// (--fault-rate with --seed, --latency): what a client sees on the wire.

#include "expect.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

std::string raw_get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: APPCODE TESTCODE123456\r\n" +
         extra_headers + "Connection: close\r\n\r\n";
}

std::vector<std::string> journal_faults(const mock_process& server, std::size_t count) {
  auto res = server.client().Get(("/__admin/journal?limit=" + std::to_string(count)).c_str());
  REQUIRE(res);
  const json journal = json::parse(res->body);
  std::vector<std::string> faults;
  for (const auto& e : journal["entries"]) faults.push_back(e.value("fault", "none"));
  REQUIRE(faults.size() == count);
  return faults;
}

}  // namespace

TEST_CASE("connection reset: an RST and not a byte", "[faults]") {
  mock_process server;
  const raw_result r =
      raw_exchange(server.port(), raw_get("/query?kddh=JT3084743373888", "X-Mock-Fault: reset\r\n"));
  CHECK(r.reset);
  CHECK(r.received.empty());
  const raw_result by_query =
      raw_exchange(server.port(), raw_get("/query?kddh=JT3084743373888&__fault=reset"));
  CHECK(by_query.reset);
  auto res = server.client().Get("/__admin/health");  // the server lives on
  REQUIRE(res);
  CHECK(res->status == 200);
}

TEST_CASE("truncated body: Content-Length promises more than arrives before the close", "[faults]") {
  mock_process server;
  const raw_result r =
      raw_exchange(server.port(), raw_get("/query?kddh=JT3084743373888", "X-Mock-Fault: truncate\r\n"));
  CHECK_FALSE(r.timed_out);
  const std::size_t head_end = r.received.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  const auto answer = parse_raw_answer(r.received);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  const std::size_t promised = std::stoul(answer->header("Content-Length").value_or("0"));
  const std::size_t arrived = r.received.size() - head_end - 4;
  CHECK(promised > 0);
  CHECK(arrived < promised);
  CHECK(arrived == promised / 2);
}

TEST_CASE("malformed JSON: a complete HTTP answer whose body does not parse", "[faults]") {
  mock_process server;
  auto res = server.client().Get("/query?kddh=JT3084743373888", {{"Authorization", "APPCODE TESTCODE123456"},
                                                                 {"X-Mock-Fault", "malformed"}});
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Length") == std::to_string(res->body.size()));
  CHECK(json::parse(res->body, nullptr, false).is_discarded());
  CHECK(res->body.rfind("{\"ok\":1,", 0) == 0);
}

TEST_CASE("gateway faults: backend timeout, throttling, any gateway answer", "[faults]") {
  for (auto g : {gateway_generation::classic, gateway_generation::vpc}) {
    mock_process server({"--gateway", g == gateway_generation::vpc ? "vpc" : "classic"});
    auto client = server.client();
    const std::pair<const char*, const char*> cases[] = {{"timeout", "backend_timeout"},
                                                         {"throttle", "throttled"},
                                                         {"service_busy", "service_busy"},
                                                         {"backend_unreachable", "backend_unreachable"}};
    for (const auto& [fault, id] : cases) {
      INFO("X-Mock-Fault: " << fault);
      check_answer(client.Get("/query?kddh=JT3084743373888",
                              {{"Authorization", "APPCODE TESTCODE123456"}, {"X-Mock-Fault", fault}}),
                   entry(id), g);
    }
  }
}

TEST_CASE("latency, fixed or ranged, delays the answer and is journalled", "[faults]") {
  mock_process server;
  auto client = server.client();
  const auto started = std::chrono::steady_clock::now();
  auto res = client.Get("/query?kddh=JT3084743373888",
                        {{"Authorization", "APPCODE TESTCODE123456"}, {"X-Mock-Latency", "300-400"}});
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(waited >= std::chrono::milliseconds(300));  // a lower bound only: never a speed claim
  res = client.Get("/__admin/journal?limit=1");
  REQUIRE(res);
  CHECK(json::parse(res->body)["entries"][0]["duration_us"].get<long long>() >= 300000);
}

TEST_CASE("a bad fault or latency is refused with the syntax", "[faults]") {
  mock_process server;
  auto client = server.client();
  auto res = client.Get("/query?kddh=JT3084743373888",
                        {{"Authorization", "APPCODE TESTCODE123456"}, {"X-Mock-Latency", "soon"}});
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(res->body.find("MIN-MAX") != std::string::npos);
  res = client.Get("/query?kddh=JT3084743373888&__fault=explode", appcode_header());
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(res->body.find("explode") != std::string::npos);
  CHECK(res->body.find("truncate") != std::string::npos);
}

TEST_CASE("server faults: --fault-rate 1 applies to every call", "[faults]") {
  mock_process server({"--fault-rate", "1", "--faults", "malformed"});
  auto client = server.client();
  for (int i = 0; i < 5; ++i) {
    auto res = client.Get("/query?kddh=JT3084743373888", appcode_header());
    REQUIRE(res);
    CHECK(json::parse(res->body, nullptr, false).is_discarded());
  }
  auto res = client.Get("/query?kddh=JT3084743373888",
                        {{"Authorization", "APPCODE TESTCODE123456"}, {"X-Mock-Fault", "none"}});
  REQUIRE(res);
  CHECK_FALSE(json::parse(res->body, nullptr, false).is_discarded());
}

TEST_CASE("server faults with the same --seed repeat exactly", "[faults]") {
  const std::vector<std::string> args = {"--fault-rate", "0.5", "--faults", "malformed,throttle,timeout",
                                         "--seed",       "42"};
  std::vector<std::vector<std::string>> runs;
  for (int run = 0; run < 2; ++run) {
    mock_process server(args);
    auto client = server.client();
    for (int i = 0; i < 24; ++i) REQUIRE(client.Get("/query?kddh=JT3084743373888", appcode_header()));
    runs.push_back(journal_faults(server, 24));
  }
  CHECK(runs[0] == runs[1]);
  const auto clean = std::count(runs[0].begin(), runs[0].end(), "none");
  CHECK(clean > 0);
  CHECK(clean < 24);
  mock_process other({"--fault-rate", "0.5", "--faults", "malformed,throttle,timeout", "--seed", "43"});
  auto client = other.client();
  for (int i = 0; i < 24; ++i) REQUIRE(client.Get("/query?kddh=JT3084743373888", appcode_header()));
  CHECK(journal_faults(other, 24) != runs[0]);
}

}  // namespace kuaidi::mock_test
