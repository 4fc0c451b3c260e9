// Connections the server ends itself: idle keep-alive ones after --keep-alive-timeout, and all
// of them at SIGTERM or SIGINT. Raw HTTP abuse (malformed requests, floods, slow, silent and
// thousands of clients) is in test_abuse.cpp.

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "expect.hpp"

namespace kuaidi::mock_test {

using namespace std::chrono_literals;

TEST_CASE("an idle keep-alive connection is closed after --keep-alive-timeout, not before", "[hostile]") {
  mock_process server({"--keep-alive-timeout", "1"});
  const int fd = raw_connect(server.port());
  REQUIRE(fd >= 0);
  const std::string request =
      "GET /query?kddh=JT3084743373888 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: APPCODE "
      "TESTCODE123456\r\n\r\n";
  const auto sent_at = std::chrono::steady_clock::now();
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  const raw_result r = raw_read_until_closed(fd, 30s);
  const auto open_for = std::chrono::steady_clock::now() - sent_at;
  CHECK_FALSE(r.timed_out);
  CHECK(open_for >= 1s);
  std::size_t at = 0;
  const auto answer = parse_raw_answer_at(r.received, at);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->header("Keep-Alive").value_or("").rfind("timeout=1,", 0) == 0);
  CHECK(at == r.received.size());
}

TEST_CASE("SIGTERM and SIGINT stop the server cleanly, even with open connections", "[hostile]") {
  for (int signal_number : {SIGTERM, SIGINT}) {
    mock_process server;
    const int open_connection = raw_connect(server.port());
    REQUIRE(open_connection >= 0);
    auto res = server.client().Get("/query?kddh=JT3084743373888", appcode_header());
    REQUIRE(res);
    CHECK(res->status == 200);
    ::kill(server.pid(), signal_number);
    CHECK(server.stop() == 0);
    CHECK(server.stdout_text().find("kuaidi-mock stopped") != std::string::npos);
    ::close(open_connection);
  }
}

}  // namespace kuaidi::mock_test
