// Raw HTTP abuse against the real binary over sockets (issue 5): malformed request lines, odd
// methods and versions, NUL bytes, bytes that are not UTF-8 and bad percent-encoding in every
// parameter, header floods and huge headers (tests/vectors/http_abuse.json), pipelined requests,
// a client sending one byte a second, a silent client, 2,000 connections opened at once. The
// server answers what it can, drops what it must, and keeps serving everyone else.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "expect.hpp"
#include "vectors.hpp"

namespace kuaidi::mock_test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using steady = std::chrono::steady_clock;

constexpr const char* traced_number = "JT3084743373888";

std::string query_request(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: APPCODE TESTCODE123456\r\n" +
         extra + "\r\n";
}

// The trace a normal client gets for traced_number: what every abuse must leave intact.
void check_trace(int status, const std::string& body) {
  CHECK(status == 200);
  const auto parsed = json::parse(body, nullptr, false);
  CHECK_FALSE(parsed.is_discarded());
  if (parsed.is_discarded()) return;
  CHECK(parsed["msg"] == std::string(entry("success").msg));
  CHECK(parsed["kddh"] == mask_tracking_number(traced_number));
}

void check_still_serving(const mock_process& server) {
  REQUIRE(server.running());
  auto res = server.client().Get(std::string("/query?kddh=") + traced_number, appcode_header());
  REQUIRE(res);
  check_trace(res->status, res->body);
}

// For a thread other than the test's (Catch's assertions are not thread-safe): empty when the
// trace came, else what went wrong. Waits long: under a sanitizer and a loaded machine a burst
// can queue it for seconds; a refused, dropped or stuck request still fails.
std::string trace_problem(const mock_process& server) {
  httplib::Client client(server.base_url());
  client.set_connection_timeout(60);
  client.set_read_timeout(60);
  auto res = client.Get(std::string("/query?kddh=") + traced_number, appcode_header());
  if (!res) return "no answer: " + httplib::to_string(res.error());
  if (res->status != 200 || res->body.find(mask_tracking_number(traced_number)) == std::string::npos)
    return "status " + std::to_string(res->status) + ": " + res->body;
  return {};
}

// The server's descriptor count once no client connection is left over (a closed client's
// socket is closed by the server a moment later): the same count for 200 ms.
int quiet_descriptor_count(int pid) {
  int last = open_descriptor_count(pid);
  auto stable_since = steady::now();
  const auto until = steady::now() + 10s;
  while (steady::now() - stable_since < 200ms && steady::now() < until) {
    std::this_thread::sleep_for(20ms);
    const int now = open_descriptor_count(pid);
    if (now != last) last = now, stable_since = steady::now();
  }
  return last;
}

// Waits (generously) for the server's descriptor count to come back to `baseline`.
int descriptors_after_drain(int pid, int baseline) {
  const auto until = steady::now() + 30s;
  while (open_descriptor_count(pid) != baseline && steady::now() < until) std::this_thread::sleep_for(20ms);
  return open_descriptor_count(pid);
}

// The documented answer `s` as a raw answer carries it: status, and msg or gateway message.
void check_scenario(const raw_answer& answer, const scenario& s) {
  INFO("scenario " << s.id);
  if (s.source == answer_source::gateway) {
    const gateway_error& e = gateway_error_for(s, gateway_generation::classic);
    CHECK(answer.status == e.http_status);
    CHECK(answer.header("X-Ca-Error-Message") == std::string(e.message));
    CHECK(answer.body.empty());
    return;
  }
  CHECK(answer.status == s.http_status);
  CHECK(answer.header("Content-Type") == "application/json;charset=UTF-8");
  const auto body = json::parse(answer.body, nullptr, false);
  CHECK_FALSE(body.is_discarded());
  if (body.is_discarded()) return;
  CHECK(body["ok"] == s.ok);
  CHECK(body["msg"] == render_msg(s));
}

// The vectors' strings hold one byte per character: U+0000..U+00FF are the bytes 00..FF.
std::string bytes_of(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80) {
      out += static_cast<char>(lead);
      continue;
    }
    INFO("a character above U+00FF in tests/vectors/http_abuse.json: write bytes as \\u0000-\\u00ff");
    REQUIRE((lead == 0xC2 || lead == 0xC3));
    REQUIRE(i + 1 < utf8.size());
    out += static_cast<char>(((lead & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
  }
  return out;
}

std::string request_bytes(const json& request) {
  if (request.is_string()) return bytes_of(request.get<std::string>());
  std::string out;
  for (const auto& part : request) {
    if (part.is_string()) {
      out += bytes_of(part.get<std::string>());
      continue;
    }
    const std::string unit = bytes_of(part.at("repeat").get<std::string>());
    for (int i = 0; i < part.at("times").get<int>(); ++i) out += unit;
  }
  return out;
}

struct abuse_vectors {
  std::string follow_up;
  json cases;
};

abuse_vectors load_vectors() {
  const auto parsed = json::parse(read_text_file(KUAIDI_VECTORS_DIR "/http_abuse.json"), nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return {request_bytes(parsed.at("follow_up")), parsed.at("cases")};
}

void check_expected_answer(const raw_answer& answer, const json& expect) {
  CHECK(answer.status == expect.at("status").get<int>());
  CHECK(kuaidi::mock::is_request_id(answer.header("X-Ca-Request-Id").value_or("")));
  if (expect.contains("scenario")) check_scenario(answer, entry(expect["scenario"].get<std::string>()));
  if (expect.contains("body_contains")) {
    INFO("body: " << answer.body);
    CHECK(answer.body.find(expect["body_contains"].get<std::string>()) != std::string::npos);
  }
}

// One vector: the abuse, then a normal request on the same connection, then the end of sending.
// Failures are CHECKs, so that one wrong answer does not hide the other vectors'.
void run_vector(const mock_process& server, const json& vector, const std::string& follow_up) {
  kuaidi::test::require_known_keys(vector, {"group", "name", "request", "expect"});
  const std::string bytes = request_bytes(vector.at("request"));
  const json& expect = vector.at("expect");
  if (expect.is_object())
    kuaidi::test::require_known_keys(expect, {"status", "scenario", "body_contains", "keep_alive"});
  if (expect == "closed") {
    const raw_result r = raw_exchange_to_end(server.port(), bytes);
    CHECK_FALSE(r.timed_out);
    CHECK(r.received.empty());
    return;
  }
  const raw_result r = raw_exchange_to_end(server.port(), bytes + follow_up);
  CHECK_FALSE(r.timed_out);
  std::size_t at = 0;
  const auto first = parse_raw_answer_at(r.received, at, bytes.rfind("HEAD ", 0) == 0);
  INFO("received: " << r.received.substr(0, 600));
  CHECK(first);
  if (!first) return;
  check_expected_answer(*first, expect);
  if (expect.at("keep_alive").get<bool>()) {
    CHECK(first->header("Connection") != "close");
    const auto second = parse_raw_answer_at(r.received, at);
    CHECK(second);
    if (second) check_trace(second->status, second->body);
  } else {
    CHECK(first->header("Connection") == "close");
    CHECK_FALSE(first->header("Keep-Alive"));
  }
  CHECK(at == r.received.size());  // nothing after: a refused request's follow-up gets no answer
}

}  // namespace

TEST_CASE("raw abuse vectors: each gets its exact answer or a clean close, and the server keeps serving",
          "[abuse]") {
  const abuse_vectors vectors = load_vectors();
  REQUIRE(vectors.cases.size() >= 90);
  mock_process server;
  for (const auto& vector : vectors.cases) {
    INFO(vector.at("group").get<std::string>() << ": " << vector.at("name").get<std::string>());
    run_vector(server, vector, vectors.follow_up);
    check_still_serving(server);
  }
}

namespace {

struct pipelined {
  std::string bytes;
  const scenario* expected = nullptr;  // the documented answer; null for the non-query requests
  int status = 200;
  bool head = false;
  std::string body_contains;
};

// One GET per catalogue entry, by the reserved number /__admin/scenarios lists for it.
std::vector<pipelined> reserved_number_requests(const mock_process& server) {
  auto listing = server.client().Get("/__admin/scenarios");
  REQUIRE(listing);
  const auto parsed = json::parse(listing->body, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  std::vector<pipelined> requests;
  for (const auto& s : parsed.at("scenarios")) {
    const scenario& expected = entry(s.at("id").get<std::string>());
    requests.push_back({query_request("/query?kddh=" + s.at("reserved_kddh").get<std::string>()), &expected});
  }
  REQUIRE(requests.size() == all_scenarios().size());
  return requests;
}

// Requests of other shapes, put between the queries: bodies, HEAD, preflight, a delayed answer.
std::vector<pipelined> other_requests() {
  return {
      {"HEAD /query?kddh=" + std::string(traced_number) +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: APPCODE TESTCODE123456\r\n\r\n",
       nullptr, 200, true},
      {"POST /__admin/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}", nullptr, 200, false,
       "\"reset\": true"},
      {"POST /__admin/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
       "chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
       nullptr, 200, false, "\"reset\": true"},
      {"OPTIONS /query HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://example.test\r\n\r\n", nullptr, 200},
      {query_request("/query?kddh=" + std::string(traced_number), "Content-Length: 7\r\n") + "ignored",
       &entry("success")},
      {query_request("/query?kddh=" + std::string(traced_number), "X-Mock-Latency: 300\r\n"),
       &entry("success")},
      {"GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", nullptr, 200, false, "\"status\": \"ok\""},
  };
}

void check_pipelined(const raw_answer& answer, const pipelined& request) {
  INFO("request: " << request.bytes.substr(0, request.bytes.find('\r')));
  if (request.expected) return check_scenario(answer, *request.expected);
  CHECK(answer.status == request.status);
  if (request.head) CHECK(answer.header("Content-Length").value_or("0") != "0");
  if (!request.body_contains.empty()) CHECK(answer.body.find(request.body_contains) != std::string::npos);
}

}  // namespace

TEST_CASE("pipelined requests in one write get their answers in order on the same connection", "[abuse]") {
  mock_process server;
  std::vector<pipelined> requests = reserved_number_requests(server);
  const std::vector<pipelined> others = other_requests();
  for (std::size_t i = 0; i < others.size(); ++i)
    requests.insert(requests.begin() + static_cast<std::ptrdiff_t>(1 + i * 5), others[i]);
  requests.push_back({query_request("/query?kddh=" + std::string(traced_number), "Connection: close\r\n"),
                      &entry("success")});
  std::string all;
  for (const auto& r : requests) all += r.bytes;

  // Sent without ending the sending side: the last request's Connection: close ends the exchange.
  const raw_result r = raw_exchange(server.port(), all, 30s);
  CHECK_FALSE(r.timed_out);
  std::size_t at = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO("answer " << i + 1 << " of " << requests.size());
    const auto answer = parse_raw_answer_at(r.received, at, requests[i].head);
    REQUIRE(answer);
    check_pipelined(*answer, requests[i]);
  }
  CHECK(at == r.received.size());
  check_still_serving(server);
}

namespace {

constexpr int read_timeout_s = 3;

bool peer_has_closed(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char byte;
  return ::recv(fd, &byte, 1, MSG_PEEK) <= 0;
}

// A client that sends its request one byte a second and reads whatever comes back.
struct trickling_client {
  int fd = -1;
  steady::time_point first_byte;
  std::atomic<std::size_t> sent{0};
  raw_result result;
  std::chrono::milliseconds dropped_after{0};

  void run(const std::string& request) {
    first_byte = steady::now();
    for (; sent < request.size(); ++sent) {
      if (::send(fd, request.data() + sent, 1, MSG_NOSIGNAL) != 1) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 1000) > 0) break;  // the server answered (or closed)
    }
    result = raw_read_until_closed(fd, 30s);
    dropped_after = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - first_byte);
  }
};

}  // namespace

TEST_CASE(
    "a client sending one byte a second and a silent client are dropped after --read-timeout, others served "
    "meanwhile",
    "[abuse]") {
  // One event loop: the abusers and the normal client share it.
  mock_process server({"--read-timeout", std::to_string(read_timeout_s), "--threads", "1"});
  const int baseline = quiet_descriptor_count(server.pid());

  const auto silent_since = steady::now();
  const int silent = raw_connect(server.port());
  REQUIRE(silent >= 0);
  trickling_client slow;
  slow.fd = raw_connect(server.port());
  REQUIRE(slow.fd >= 0);
  const std::string request = query_request(std::string("/query?kddh=") + traced_number);
  std::thread trickle([&] { slow.run(request); });

  // Served while both abusers still hold their connections.
  check_still_serving(server);
  check_still_serving(server);
  CHECK_FALSE(peer_has_closed(silent));
  CHECK(slow.sent < request.size());

  const raw_result silent_end = raw_read_until_closed(silent, 30s);
  const auto silent_for = steady::now() - silent_since;
  trickle.join();

  CHECK_FALSE(silent_end.timed_out);
  CHECK(silent_end.received.empty());
  CHECK(silent_for >= std::chrono::seconds(read_timeout_s));

  CHECK_FALSE(slow.result.timed_out);
  CHECK(slow.sent < request.size());  // it never got to finish its request
  CHECK(slow.dropped_after >= std::chrono::seconds(read_timeout_s));
  const auto answer = parse_raw_answer(slow.result.received);
  REQUIRE(answer);
  CHECK(answer->status == 408);
  CHECK(answer->header("Connection") == "close");
  CHECK(answer->body.find("within " + std::to_string(read_timeout_s) + " s (--read-timeout)") !=
        std::string::npos);

  check_still_serving(server);
  CHECK(descriptors_after_drain(server.pid(), baseline) == baseline);  // both gone on the server's side
}

namespace {

constexpr std::size_t burst_size = 2000;

// A connect that does not wait for the handshake: the whole burst is in flight at once.
int start_connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Waits for every handshake; the ones refused are closed and set to -1.
std::size_t finish_connects(std::vector<int>& fds, std::chrono::seconds timeout) {
  std::vector<pollfd> waiting;
  for (int fd : fds) waiting.push_back({fd, POLLOUT, 0});
  const auto until = steady::now() + timeout;
  std::size_t pending = fds.size();
  while (pending > 0 && steady::now() < until) {
    if (::poll(waiting.data(), waiting.size(), 100) <= 0) continue;
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      if (waiting[i].fd < 0 || waiting[i].revents == 0) continue;
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
        ::close(fds[i]);
        fds[i] = -1;
      }
      waiting[i].fd = -1;
      --pending;
    }
  }
  std::size_t connected = 0;
  for (int fd : fds) connected += fd >= 0;
  return connected;
}

struct burst_outcome {
  std::size_t answered = 0;  // the whole trace
  std::size_t refused = 0;   // closed or reset without a byte
  std::size_t broken = 0;    // anything else: a partial or wrong answer, or no end in time
};

// Every connected socket sends one request at once; then all answers are read together.
burst_outcome query_all(std::vector<int>& fds, const std::string& request, std::chrono::seconds timeout) {
  burst_outcome outcome;
  std::vector<std::string> received(fds.size());
  std::vector<pollfd> open;
  for (int fd : fds) {
    if (fd < 0) continue;
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
      ++outcome.refused;
      continue;
    }
    open.push_back({fd, POLLIN, 0});
  }
  const auto until = steady::now() + timeout;
  char buffer[8192];
  std::size_t still_open = open.size();
  while (still_open > 0 && steady::now() < until) {
    if (::poll(open.data(), open.size(), 100) <= 0) continue;
    for (std::size_t i = 0; i < open.size(); ++i) {
      if (open[i].fd < 0 || open[i].revents == 0) continue;
      const ssize_t n = ::recv(open[i].fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        received[i].append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EAGAIN) continue;
      std::size_t at = 0;
      const auto answer = parse_raw_answer_at(received[i], at);
      if (received[i].empty())
        ++outcome.refused;
      else if (answer && answer->status == 200 &&
               answer->body.find(mask_tracking_number(traced_number)) != std::string::npos)
        ++outcome.answered;
      else
        ++outcome.broken;
      open[i].fd = -1;
      --still_open;
    }
  }
  outcome.broken += still_open;
  return outcome;
}

void close_all(std::vector<int>& fds) {
  for (int& fd : fds)
    if (fd >= 0) ::close(fd), fd = -1;
}

}  // namespace

TEST_CASE(
    "2,000 connections opened at once are answered or cleanly refused, others served meanwhile, descriptors "
    "return to baseline",
    "[abuse]") {
  if (!raise_descriptor_limit(burst_size + 256)) {
    WARN("SKIPPED: RLIMIT_NOFILE cannot be raised to " << burst_size + 256
                                                       << " descriptors for this test (hard limit too low)");
    return;
  }
  // A long --read-timeout: the burst's connections stay open while idle, as a real burst's would.
  mock_process server({"--read-timeout", "120"});
  const int baseline = quiet_descriptor_count(server.pid());
  REQUIRE(baseline > 0);

  std::vector<int> fds;
  for (std::size_t i = 0; i < burst_size; ++i) fds.push_back(start_connect(server.port()));
  const std::size_t connected = finish_connects(fds, 60s);
  INFO(connected << " of " << burst_size << " connected");

  // Every accepted connection is the server's descriptor: it holds them all, idle, and still serves.
  const auto until = steady::now() + 30s;
  while (open_descriptor_count(server.pid()) < baseline + static_cast<int>(connected) &&
         steady::now() < until)
    std::this_thread::sleep_for(20ms);
  CHECK(open_descriptor_count(server.pid()) >= baseline + static_cast<int>(connected));
  check_still_serving(server);

  std::atomic<bool> burst_done{false};
  std::atomic<int> served{0};
  std::string first_problem;  // written by the thread, read after join
  std::thread meanwhile([&] {
    do {
      const std::string problem = trace_problem(server);
      if (problem.empty())
        ++served;
      else if (first_problem.empty())
        first_problem = problem;
      std::this_thread::sleep_for(50ms);
    } while (!burst_done);
  });
  const burst_outcome outcome = query_all(
      fds, query_request(std::string("/query?kddh=") + traced_number, "Connection: close\r\n"), 120s);
  burst_done = true;
  meanwhile.join();
  INFO("answered " << outcome.answered << ", refused " << outcome.refused << ", broken " << outcome.broken
                   << "; meanwhile served " << served);
  CHECK(first_problem == "");
  CHECK(served > 0);
  CHECK(outcome.broken == 0);
  CHECK(outcome.answered + outcome.refused + (burst_size - connected) == burst_size);
  CHECK(outcome.answered > 0);

  close_all(fds);
  CHECK(descriptors_after_drain(server.pid(), baseline) == baseline);
  check_still_serving(server);
}

TEST_CASE("requests refused before routing are journaled with the reason, never with the AppCode",
          "[abuse]") {
  mock_process server;
  const std::string secret = "APPCODE refused-secret-7c1d";
  const raw_result nul = raw_exchange_to_end(
      server.port(), std::string("GET /query?kddh=JT3084743373888 HTTP/1.1\r\nHost: x\r\nAuthorization: ") +
                         secret + std::string("\r\nX-Bad: a\0b\r\n\r\n", 16));
  const raw_result long_line = raw_exchange_to_end(
      server.port(),
      "GET /query?kddh=1 HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(9000, 'a') + "\r\n\r\n");
  const auto nul_answer = parse_raw_answer(nul.received);
  const auto long_answer = parse_raw_answer(long_line.received);
  REQUIRE(nul_answer);
  REQUIRE(long_answer);
  REQUIRE(nul_answer->status == 400);
  REQUIRE(long_answer->status == 431);

  auto client = server.client();
  const auto res = client.Get("/__admin/journal?limit=10");
  REQUIRE(res);
  CHECK(res->body.find("refused-secret") == std::string::npos);
  const json entries = json::parse(res->body)["entries"];
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["status"] == 431);
  CHECK(entries[0]["route"] == "refused");
  CHECK(entries[0]["method"] == "GET");
  CHECK(entries[0]["target"] == "/query?kddh=1");
  CHECK(entries[0]["detail"].get<std::string>().find("8192") != std::string::npos);
  CHECK(entries[0]["request_id"] == long_answer->header("X-Ca-Request-Id").value_or(""));
  CHECK(entries[1]["status"] == 400);
  CHECK(entries[1]["route"] == "refused");
  CHECK(entries[1]["target"] == "/query?kddh=JT3084743373888");
  CHECK(entries[1]["detail"] == nul_answer->body.substr(0, nul_answer->body.find_last_not_of('\n') + 1));
  CHECK(entries[1]["detail"].get<std::string>().find("NUL") != std::string::npos);
  CHECK(entries[1]["remote"] == "127.0.0.1");
  CHECK_FALSE(entries[1].contains("appcode"));
}

}  // namespace kuaidi::mock_test
