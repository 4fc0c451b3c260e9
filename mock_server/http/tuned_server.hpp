#pragma once
// cpp-httplib 0.11.4 (Debian's .so) driven by a small epoll event loop instead of a thread per
// connection. httplib still parses every request and runs the handlers (process_request); the
// loop owns the sockets, so the mock gets what the .so's compiled-in design cannot give:
// - no context switch per request (on this machine thread-per-connection spent a third of its
//   time switching), every keep-alive connection served however many there are;
// - a listen backlog of 4096 instead of the .so's 5 (a burst of connects must not wait for SYN
//   retries), and no SO_REUSEPORT (a busy port is an error, not a silent share);
// - one deadline and one byte budget per request (slow or flooding clients are answered 408 /
//   431 and closed), a bounded keep-alive idle time, and a shutdown that is immediate;
// - framing checked before httplib parses (NUL, bare CR, folded or over-long header lines,
//   conflicting lengths: 400/431), chunked request bodies, Connection tokens in any case, and a
//   lingering close so a client still sending reads its error answer instead of a reset;
// - latency as a timer, not a sleeping thread; one send() per answer; a TCP reset on demand.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kuaidi::mock {

struct connection_limits {
  std::size_t threads = 2;  // event-loop threads
  std::chrono::seconds keep_alive_idle{5};
  std::chrono::seconds request_deadline{5};  // the whole request must arrive within this
  std::chrono::seconds write_timeout{5};
  std::size_t max_request_bytes = 64 * 1024;
};

// cpp-httplib 0.11.4 (the .so) refuses a longer header line, terminator included.
constexpr std::size_t header_line_limit = 8192;

// Why a request could not be taken whole.
enum class read_failure {
  none,
  line_too_long,         // the request line is past httplib's limit
  too_large,             // request line and headers past --max-request-bytes
  header_line_too_long,  // one header line past httplib's limit
  body_too_large,        // a chunked body past --max-request-bytes
  malformed,             // framing that cannot be trusted (NUL, bare CR, folding, bad lengths)
  too_slow,
  closed
};

// A request answered before httplib could parse it, and what can be told of it.
struct refused_request {
  read_failure why = read_failure::none;
  std::string_view problem;       // what was wrong with malformed framing
  std::string_view request_line;  // as much of the first line as arrived, at most 1 KB
  std::string remote;             // the peer's address
};

class event_loop;

class tuned_server : public httplib::Server {
 public:
  explicit tuned_server(connection_limits limits);
  ~tuned_server() override;

  // The bound port, or -1 (with errno set) when the address cannot be bound.
  int bind(const std::string& host, int port);
  // Stops accepting and closes every connection; listen returns at once.
  void shutdown();
  bool stopping() const { return stopping_; }

  // For handlers, about the connection being served:
  static read_failure current_read_failure();
  static void reset_current_connection();     // an RST instead of the answer (after any delay)
  static void close_current_connection();     // close once the answer is sent
  static void delay_current_answer(std::chrono::milliseconds delay);

  // The bytes sent for a request that never arrived whole or cannot be framed.
  std::function<std::string(const refused_request&)> unreadable_request_answer;

 private:
  friend class event_loop;
  bool process_and_close_socket(socket_t sock) override;
  bool serve(httplib::Stream& stream, bool& close_connection);

  const connection_limits limits_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> next_loop_{0};
  std::vector<std::unique_ptr<event_loop>>* loops_ = nullptr;  // set while listening
};

}  // namespace kuaidi::mock
