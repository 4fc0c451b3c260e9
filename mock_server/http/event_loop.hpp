#pragma once
// The mock's connections: one thread, one epoll set, many keep-alive connections per loop, with
// - no context switch per request and every keep-alive connection served however many there are;
// - one deadline and one byte budget per request (slow or flooding clients are answered 408 /
//   431 and closed), a bounded keep-alive idle time, and a shutdown that is immediate;
// - framing checked before anything parses a request (http_framing.hpp), and a lingering close so
//   a client still sending reads its error answer instead of a reset;
// - latency as a timer, not a sleeping thread; one send() per answer; a TCP reset on demand.
// What a request is answered with is the request_handler's (tuned_server.hpp).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http_framing.hpp"

namespace kuaidi::mock {

struct connection_limits {
  std::size_t threads = 2;  // event-loop threads
  std::chrono::seconds keep_alive_idle{5};
  std::chrono::seconds request_deadline{5};  // the whole request must arrive within this
  std::chrono::seconds write_timeout{5};
  std::size_t max_request_bytes = 64 * 1024;
};

// A request answered before it could be parsed, and what can be told of it.
struct refused_request {
  read_failure why = read_failure::none;
  std::string_view problem;       // what was wrong with malformed framing
  std::string_view request_line;  // as much of the first line as arrived, at most 1 KB
  std::string remote;             // the peer's address
};

// One accepted socket: what has arrived, what is still to send, and what is to become of it.
struct loop_connection {
  loop_connection(int fd, std::uint64_t id);

  int fd() const { return fd_; }
  std::uint64_t id() const { return id_; }
  bool sending() const { return out_pos < out.size(); }
  std::string_view pending_input() const { return std::string_view(in).substr(in_pos); }
  const std::string& remote_ip() const { return remote_ip_; }
  int remote_port() const { return remote_port_; }
  const std::string& local_ip() const { return local_ip_; }
  int local_port() const { return local_port_; }

  std::string in;
  std::size_t in_pos = 0;
  std::size_t request_end = 0;  // where the request being served ends in `in`
  std::string out;
  std::size_t out_pos = 0;
  std::chrono::steady_clock::time_point deadline;
  bool peer_closed = false;
  bool close_when_sent = false;
  bool lingering = false;  // answered and half-closed: reading and discarding until the peer closes
  bool reset_when_due = false;
  std::chrono::milliseconds delay{0};
  bool delayed = false;
  std::uint32_t watched = 0;  // the epoll events currently asked for
  read_failure failure = read_failure::none;

 private:
  int fd_;
  std::uint64_t id_;
  std::string remote_ip_, local_ip_;
  int remote_port_ = 0, local_port_ = 0;
};

// What a loop asks of the server, on the loop's thread.
class request_handler {
 public:
  virtual ~request_handler() = default;
  // Answers the framed request at c.in_pos (its bytes end at c.request_end) by appending to c.out;
  // false when the connection cannot carry another request.
  virtual bool serve(loop_connection& c, const framing& f) = 0;
  // The bytes sent for a request that never arrived whole or cannot be framed.
  virtual std::string unreadable(const refused_request& refused) = 0;
  virtual bool stopping() const = 0;
};

class event_loop {
 public:
  event_loop(request_handler& handler, const connection_limits& limits);
  ~event_loop();  // closes every connection and joins the thread
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  // From the accepting thread: the loop serves the socket from now on.
  void adopt(int fd);

 private:
  class impl;
  std::unique_ptr<impl> impl_;
};

// The connection whose request this thread is serving, or null.
loop_connection* serving_now();

}  // namespace kuaidi::mock
