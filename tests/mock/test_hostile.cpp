// Hostile input never crashes kuaidi-mock and never holds a worker for long: overlong URLs,
// bad percent-encoding and UTF-8, header floods, slow and silent clients, garbage, thousands
// of connections. After each, the server still answers and stops cleanly.

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "expect.hpp"

namespace kuaidi::mock_test {
namespace {

using namespace std::chrono_literals;

std::string get_request(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: APPCODE TESTCODE123456\r\n" +
         extra + "\r\n";
}

void check_still_serving(mock_process& server) {
  auto res = server.client().Get("/query?kddh=JT3084743373888", appcode_header());
  REQUIRE(res);
  CHECK(res->status == 200);
}

void check_raw_gateway(const raw_result& r, const scenario& s) {
  const auto answer = parse_raw_answer(r.received);
  REQUIRE(answer);
  CHECK(answer->status == s.classic.http_status);
  CHECK(answer->header("X-Ca-Error-Message") == std::string(s.classic.message));
  CHECK(answer->body.empty());
}

void raise_descriptor_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

TEST_CASE("overlong URLs get the gateway's URL-too-long answer", "[hostile]") {
  mock_process server;
  // Past the mock's limit, and past the line limit compiled into cpp-httplib (8192).
  for (std::size_t length : {8001u, 9000u, 70000u}) {
    INFO("target length " << length);
    const std::string target = "/query?kddh=" + std::string(length - 12, 'A');
    check_raw_gateway(raw_exchange(server.port(), get_request(target, "Connection: close\r\n")),
                      entry("url_too_long"));
  }
  check_still_serving(server);
}

TEST_CASE("bad percent-encoding and bytes that are not UTF-8 get the documented format errors", "[hostile]") {
  mock_process server;
  auto client = server.client();
  client.set_url_encode(false);
  for (const char* kddh : {"%ZZ12345678", "JT30847433%", "%FF%FE%FD12345678", "JT3084743373%E4%B8"}) {
    INFO("kddh=" << kddh);
    auto res = client.Get((std::string("/query?kddh=") + kddh).c_str(), appcode_header());
    REQUIRE(res);
    CHECK(res->status == entry("number_format_invalid").http_status);
    CHECK(nlohmann::json::parse(res->body, nullptr, false)["msg"] == std::string(entry("number_format_invalid").msg));
  }
  check_answer(client.Get("/query?kddh=JT3084743373888&tel=%FF%FE12", appcode_header()), entry("tel_invalid"),
               gateway_generation::classic);
  check_still_serving(server);
}

TEST_CASE("header floods and huge header lines are refused with 431 and the connection closed", "[hostile]") {
  mock_process server;
  std::string flood;
  for (int i = 0; i < 3000; ++i) flood += "X-Flood-" + std::to_string(i) + ": " + std::string(60, 'f') + "\r\n";
  for (const std::string& extra : {flood, "X-Huge: " + std::string(200000, 'h') + "\r\n"}) {
    const raw_result r = raw_exchange(server.port(), get_request("/query?kddh=JT3084743373888", extra));
    CHECK_FALSE(r.timed_out);
    const auto answer = parse_raw_answer(r.received);
    REQUIRE(answer);
    CHECK(answer->status == 431);
    CHECK(answer->body.find("headers larger than") != std::string::npos);
  }
  check_still_serving(server);
}

TEST_CASE("slow and silent clients lose their worker after --read-timeout", "[hostile]") {
  mock_process server({"--read-timeout", "1"});
  const int slow = raw_connect(server.port());
  REQUIRE(slow >= 0);
  const std::string start = "GET /query?kddh=JT30";
  REQUIRE(::send(slow, start.data(), start.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(start.size()));
  std::string received;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(slow, buffer, sizeof buffer, 0)) > 0;) received.append(buffer, static_cast<std::size_t>(n));
  ::close(slow);
  const auto answer = parse_raw_answer(received);
  REQUIRE(answer);
  CHECK(answer->status == 408);
  CHECK(answer->body.find("--read-timeout") != std::string::npos);

  const raw_result silent = raw_exchange(server.port(), "", 10s);
  CHECK_FALSE(silent.timed_out);  // the server closed it
  CHECK(silent.received.empty());
  check_still_serving(server);
}

TEST_CASE("garbage and unsupported requests get 400 and a closed connection", "[hostile]") {
  mock_process server;
  for (const std::string& bytes : {std::string("\x00\x01\x02garbage\r\n\r\n", 14),
                                   std::string("GET /query HTTP/9.9\r\n\r\n"),
                                   std::string("BREW /query HTTP/1.1\r\n\r\n")}) {
    const raw_result r = raw_exchange(server.port(), bytes, 10s);
    CHECK_FALSE(r.timed_out);
    const auto answer = parse_raw_answer(r.received);
    REQUIRE(answer);
    CHECK(answer->status == 400);
    CHECK(answer->header("Connection") == "close");
  }
  check_still_serving(server);
}

TEST_CASE("thousands of connections: idle ones do not starve real clients", "[hostile]") {
  raise_descriptor_limit();
  mock_process server({"--threads", "64"});
  std::vector<int> idle;
  for (int i = 0; i < 2000; ++i) {
    const int fd = raw_connect(server.port());
    if (fd < 0) break;
    idle.push_back(fd);
  }
  CHECK(idle.size() == 2000);
  // Real clients still get answers while the idle connections sit there.
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  for (int i = 0; i < 200; ++i)
    clients.emplace_back([&] {
      const raw_result r = raw_exchange(server.port(),
                                        get_request("/query?kddh=JT3084743373888", "Connection: close\r\n"), 30s);
      const auto answer = parse_raw_answer(r.received);
      if (answer && answer->status == 200) ++answered;
    });
  for (auto& t : clients) t.join();
  CHECK(answered == 200);
  for (int fd : idle) ::close(fd);
  check_still_serving(server);
  CHECK(server.stop() == 0);
}

TEST_CASE("SIGTERM and SIGINT stop the server cleanly, even with open connections", "[hostile]") {
  for (int signal_number : {SIGTERM, SIGINT}) {
    mock_process server;
    const int open_connection = raw_connect(server.port());
    REQUIRE(open_connection >= 0);
    check_still_serving(server);
    ::kill(server.pid(), signal_number);
    CHECK(server.stop() == 0);
    CHECK(server.stdout_text().find("kuaidi-mock stopped") != std::string::npos);
    ::close(open_connection);
  }
}

}  // namespace kuaidi::mock_test
