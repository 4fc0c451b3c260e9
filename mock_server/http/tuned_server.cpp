#include "tuned_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "text.hpp"

// Defined in the .so, not declared by its header: the reason phrase httplib writes for a status.
namespace httplib::detail {
const char* status_message(int status);
}  // namespace httplib::detail

namespace kuaidi::mock {

namespace {

constexpr int listen_backlog = 4096;
// httplib writes "Keep-Alive: timeout=…, max=…" from this; the event loop closes idle connections.
constexpr std::size_t keep_alive_max_count = 1000000;

// httplib's Stream over one framed request: it reads only that request's bytes, never the next.
class request_stream final : public httplib::Stream {
 public:
  explicit request_stream(loop_connection& c) : c_(c) {}

  bool is_readable() const override { return c_.in_pos < c_.request_end; }
  bool is_writable() const override { return c_.fd() >= 0; }

  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, c_.request_end - c_.in_pos);
    if (n == 0) return -1;
    std::memcpy(ptr, c_.in.data() + c_.in_pos, n);
    c_.in_pos += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    c_.out.append(ptr, size);
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.remote_ip();
    port = c_.remote_port();
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip();
    port = c_.local_port();
  }
  socket_t socket() const override { return c_.fd(); }

 private:
  loop_connection& c_;
};

// httplib hands every accepted socket to its task queue; this one passes it to an event loop
// on the accepting thread, and owns the loops for the time the server listens.
class loop_queue final : public httplib::TaskQueue {
 public:
  loop_queue(request_handler& handler, const connection_limits& limits,
             std::vector<std::unique_ptr<event_loop>>*& published)
      : published_(published) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, limits.threads); ++i)
      loops_.push_back(std::make_unique<event_loop>(handler, limits));
    published_ = &loops_;
  }

  void enqueue(std::function<void()> job) override { job(); }

  void shutdown() override {
    published_ = nullptr;
    loops_.clear();  // stops and joins every loop
  }

 private:
  std::vector<std::unique_ptr<event_loop>> loops_;
  std::vector<std::unique_ptr<event_loop>>*& published_;
};

// httplib reads header names and values as C strings (set_header's CR/LF check, printf's %s).
std::string_view c_string(std::string_view text) { return text.substr(0, text.find('\0')); }

// Requests whose answer httplib changes by what they ask: compressed (Accept-Encoding), cut
// (Range), preceded by 100 Continue (Expect), without a body (HEAD), or read from one of several
// Connection headers.
bool httplib_would_shape(const request_head& head) {
  return head.method == "HEAD" || head.header("Accept-Encoding") || head.header("Range") ||
         head.header("Expect") || head.count("Connection") > 1;
}

}  // namespace

tuned_server::tuned_server(connection_limits limits)
    : limits_(limits),
      keep_alive_("timeout=" + std::to_string(limits.keep_alive_idle.count()) +
                  ", max=" + std::to_string(keep_alive_max_count)) {
  new_task_queue = [this] { return new loop_queue(*this, limits_, loops_); };
  set_tcp_nodelay(true);
  set_keep_alive_max_count(keep_alive_max_count);
  set_keep_alive_timeout(limits_.keep_alive_idle.count());
  set_read_timeout(limits_.request_deadline.count());
  set_write_timeout(limits_.write_timeout.count());
  set_payload_max_length(limits_.max_request_bytes);
  // httplib's default adds SO_REUSEPORT, which lets a second server share a busy port silently.
  set_socket_options([](socket_t sock) {
    const int on = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  });
}

tuned_server::~tuned_server() = default;

int tuned_server::bind(const std::string& host, int port) {
  const bool bound = port == 0 ? (port = bind_to_any_port(host)) > 0 : bind_to_port(host, port);
  if (!bound) return -1;
  ::listen(svr_sock_, listen_backlog);  // listening again only changes the backlog
  return port;
}

void tuned_server::shutdown() {
  stopping_ = true;
  // httplib's stop() asserts a live listening socket: call it once, and only while listening.
  if (is_running() && svr_sock_ != INVALID_SOCKET) stop();
}

bool tuned_server::serve(loop_connection& c, const framing& f) {
  if (direct_route && f.head.content_length == 0 && !f.head.chunked) {
    thread_local request_head head;
    if (read_plain_head(c.pending_input().substr(0, f.head_length), head) && !httplib_would_shape(head) &&
        direct_route(head, c.remote_ip(), c.out))
      return true;
  }
  request_stream stream(c);
  bool close_connection = false;  // httplib's view: exact-case "close", or HTTP/1.0 without "Keep-Alive"
  return process_request(stream, stopping_, close_connection, nullptr);
}

std::string tuned_server::unreadable(const refused_request& refused) {
  return unreadable_request_answer ? unreadable_request_answer(refused) : std::string();
}

// What write_response_core does with the Response the mock's handler leaves (0.11.4, routed, no
// ranges, no compression, not HEAD, the error handler declining): Connection or Keep-Alive,
// Content-Type and Content-Length completed, then the head in header-name order and the body.
void tuned_server::write_answer(std::string& out, const request_head& head,
                                const direct_answer& answer) const {
  thread_local std::vector<header_view> reused;  // no allocation once it has grown
  std::vector<header_view>& headers = reused;
  headers.clear();
  const auto set_header = [&headers](std::string_view name, std::string_view value) {
    name = c_string(name);
    value = c_string(value);
    const auto line_break = [](std::string_view text) {
      return text.find('\r') != std::string_view::npos || text.find('\n') != std::string_view::npos;
    };
    if (!line_break(name) && !line_break(value)) headers.push_back({name, value});
  };
  for (const auto& h : answer.headers) set_header(h.name, h.value);
  const bool provider = answer.truncated && !answer.body.empty();
  const std::string_view body = provider || answer.content_type.empty() ? std::string_view() : answer.body;
  if (provider || !answer.content_type.empty()) set_header("Content-Type", answer.content_type);
  char length[24];
  const std::size_t promised = provider ? answer.body.size() : body.size();
  const char* length_end = std::to_chars(length, length + sizeof length, promised).ptr;
  const std::string_view length_text(length, static_cast<std::size_t>(length_end - length));
  const auto has = [&headers](std::string_view name) {
    const auto named = [name](const header_view& h) { return text::iequals(h.name, name); };
    return std::any_of(headers.begin(), headers.end(), named);
  };
  if (promised > 0) headers.push_back({"Content-Length", length_text});
  if (stopping_ || head.header("Connection").value_or("") == "close")
    headers.push_back({"Connection", "close"});
  else
    headers.push_back({"Keep-Alive", keep_alive_});
  if (promised > 0 && !has("Content-Type")) headers.push_back({"Content-Type", "text/plain"});
  if (promised == 0 && !has("Content-Length")) headers.push_back({"Content-Length", "0"});
  order_like_httplib(headers);
  write_answer_head(out, answer.status, httplib::detail::status_message(answer.status), headers);
  if (!provider) {
    out.append(body);
    return;
  }
  // The provider sends half the body and fails: httplib's process_request returns false.
  out.append(answer.body.substr(0, answer.body.size() / 2));
  close_current_connection();
}

bool tuned_server::process_and_close_socket(socket_t sock) {
  if (!loops_ || loops_->empty() || stopping_) {
    ::close(sock);
    return true;
  }
  (*loops_)[next_loop_++ % loops_->size()]->adopt(sock);
  return true;
}

read_failure tuned_server::current_read_failure() {
  const loop_connection* c = serving_now();
  return c ? c->failure : read_failure::none;
}

void tuned_server::reset_current_connection() {
  if (loop_connection* c = serving_now()) c->reset_when_due = true;
}

void tuned_server::close_current_connection() {
  if (loop_connection* c = serving_now()) c->close_when_sent = true;
}

void tuned_server::delay_current_answer(std::chrono::milliseconds delay) {
  if (loop_connection* c = serving_now()) c->delay = delay;
}

}  // namespace kuaidi::mock
