#pragma once
// The one place that knows cpp-httplib 0.11.4's insides (Debian's .so). The mock's routes are
// httplib handlers, served by our event loops (event_loop.hpp) instead of a thread per connection:
// - httplib hands each accepted socket to process_and_close_socket, a private virtual of 0.11.4's
//   Server that this class overrides to pass the socket to a loop; the loop calls the protected
//   process_request for each framed request, over a Stream that reads only that request's bytes;
// - a listen backlog of 4096 instead of the .so's 5 (a burst of connects must not wait for SYN
//   retries), and no SO_REUSEPORT (a busy port is an error, not a silent share);
// - the hot path skips httplib: a plain head (read_plain_head) is offered to direct_route first,
//   and its answer is written byte for byte as httplib writes a Response (write_answer), because
//   httplib's parser (a case-insensitive multimap of headers, percent-decoded values, printf per
//   line) costs more than the simulation. A changed httplib needs write_answer checked again.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "event_loop.hpp"
#include "http_framing.hpp"

namespace kuaidi::mock {

// An answer as the mock sets it on an httplib::Response: each header with set_header, then the
// body with set_content(body, content_type) when content_type is not empty, or, truncated,
// set_content_provider(body.size(), content_type) sending half of it before the connection fails.
struct direct_answer {
  int status = 200;
  std::vector<header_view> headers;
  std::string_view content_type;
  std::string_view body;
  bool truncated = false;
};

class tuned_server : public httplib::Server, private request_handler {
 public:
  explicit tuned_server(connection_limits limits);
  ~tuned_server() override;

  // The bound port, or -1 (with errno set) when the address cannot be bound.
  int bind(const std::string& host, int port);
  // Stops accepting and closes every connection; listen returns at once.
  void shutdown();
  bool stopping() const override { return stopping_; }

  // For handlers, about the connection being served:
  static read_failure current_read_failure();
  static void reset_current_connection();  // an RST instead of the answer (after any delay)
  static void close_current_connection();  // close once the answer is sent
  static void delay_current_answer(std::chrono::milliseconds delay);

  // The bytes sent for a request that never arrived whole or cannot be framed.
  std::function<std::string(const refused_request&)> unreadable_request_answer;

  // Offered every plain request without a body before httplib parses it: true when it answered
  // (with write_answer), false to leave the request to httplib's routes.
  std::function<bool(const request_head& head, const std::string& remote, std::string& out)> direct_route;

  // Appends what httplib 0.11.4 sends for `answer` to a GET request with this head.
  void write_answer(std::string& out, const request_head& head, const direct_answer& answer) const;

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool serve(loop_connection& c, const framing& f) override;
  std::string unreadable(const refused_request& refused) override;

  const connection_limits limits_;
  const std::string keep_alive_;  // the value httplib writes in "Keep-Alive"
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> next_loop_{0};
  std::vector<std::unique_ptr<event_loop>>* loops_ = nullptr;  // set while listening
};

}  // namespace kuaidi::mock
