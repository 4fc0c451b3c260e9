#include "tuned_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "http_text.hpp"

namespace kuaidi::mock {

namespace {

using steady = std::chrono::steady_clock;

constexpr int listen_backlog = 4096;
constexpr std::size_t read_chunk = 16 * 1024;
constexpr std::chrono::milliseconds sweep_interval{100};
constexpr int events_per_wait = 256;

std::string address_text(const sockaddr_storage& address, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  return text;
}

constexpr std::size_t chunk_size_line_limit = 1024;

// The text before the first line end, cut at `limit` bytes.
std::string_view first_line(std::string_view input, std::size_t limit) {
  input = input.substr(0, std::min(input.find('\n'), limit));
  if (!input.empty() && input.back() == '\r') input.remove_suffix(1);
  return input;
}

// What a request head says about its framing and its connection, or why it cannot be trusted.
struct head_facts {
  std::size_t content_length = 0;
  bool has_content_length = false;
  bool chunked = false;
  bool http10 = false;
  bool close = false;  // "Connection: close" in any case, or HTTP/1.0 without keep-alive
  read_failure failure = read_failure::none;
  const char* problem = "";
};

head_facts refuse(head_facts f, read_failure why, const char* problem) {
  f.failure = why;
  f.problem = problem;
  return f;
}

// A Content-Length value: digits only; past 18 digits it is larger than any limit.
std::optional<std::size_t> parse_content_length(std::string_view value) {
  if (value.empty()) return std::nullopt;
  std::size_t n = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] < '0' || value[i] > '9') return std::nullopt;
    if (i >= 18) return std::numeric_limits<std::size_t>::max();
    n = n * 10 + static_cast<std::size_t>(value[i] - '0');
  }
  return n;
}

void read_connection_tokens(std::string_view value, bool& close, bool& keep_alive) {
  any_list_item(value, [&](std::string_view token) {
    close = close || iequals(token, "close");
    keep_alive = keep_alive || iequals(token, "keep-alive");
    return false;
  });
}

head_facts read_header(head_facts f, std::string_view name, std::string_view value, bool& keep_alive) {
  if (iequals(name, "content-length")) {
    const auto length = parse_content_length(value);
    if (!length) return refuse(f, read_failure::malformed, "Content-Length is not a whole number of bytes");
    if (f.has_content_length && f.content_length != *length)
      return refuse(f, read_failure::malformed, "two different Content-Length headers");
    f.content_length = *length;
    f.has_content_length = true;
  } else if (iequals(name, "transfer-encoding")) {
    if (!iequals(value, "chunked"))
      return refuse(f, read_failure::malformed, "a Transfer-Encoding other than chunked");
    f.chunked = true;
  } else if (iequals(name, "connection")) {
    read_connection_tokens(value, f.close, keep_alive);
  }
  return f;
}

// One pass over the head (request line, header lines, the blank line that ends them).
head_facts inspect_head(std::string_view head) {
  head_facts f;
  bool keep_alive = false;
  bool request_line = true;
  while (!head.empty()) {
    const std::size_t eol = head.find('\n');
    std::string_view line = head.substr(0, eol);
    const std::size_t length = eol == std::string_view::npos ? head.size() : eol + 1;
    head.remove_prefix(length);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos)
      return refuse(f, read_failure::malformed, "a NUL byte in the request line or headers");
    if (line.find('\r') != std::string_view::npos)
      return refuse(f, read_failure::malformed, "a CR byte that does not end a line");
    if (request_line) {
      request_line = false;
      f.http10 = line.size() >= 9 && line.substr(line.size() - 9) == " HTTP/1.0";
      continue;
    }
    if (line.empty()) break;
    if (length > header_line_limit) return refuse(f, read_failure::header_line_too_long, "");  // not httplib's bare 400
    if (line.front() == ' ' || line.front() == '\t')
      return refuse(f, read_failure::malformed, "a header line starting with a space or tab (obsolete line folding)");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // httplib skips it; so does every lenient server
    f = read_header(f, line.substr(0, colon), trim_ows(line.substr(colon + 1)), keep_alive);
    if (f.failure != read_failure::none) return f;
  }
  if (f.chunked && f.has_content_length)
    return refuse(f, read_failure::malformed, "both Content-Length and Transfer-Encoding");
  if (f.http10 && !keep_alive) f.close = true;
  return f;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Where a chunked body ends: chunk-size lines in hex (extensions allowed), data, CRLF, and after
// the last (size 0) chunk any trailer lines up to a blank one.
struct chunked_scan {
  enum { incomplete, complete, malformed, too_large } what = incomplete;
  std::size_t length = 0;
  std::size_t trailers_at = 0, trailers_length = 0;  // trailer lines, which httplib 0.11.4 refuses
  const char* problem = "";
};

chunked_scan scan_chunked(std::string_view body, std::size_t max_data) {
  chunked_scan scan;
  std::size_t at = 0, data = 0;
  const auto bad = [&scan](const char* problem) {
    scan.what = chunked_scan::malformed;
    scan.problem = problem;
    return scan;
  };
  for (;;) {
    const std::size_t eol = body.find('\n', at);
    if (eol == std::string_view::npos)
      return body.size() - at > chunk_size_line_limit ? bad("a chunk-size line that never ends") : scan;
    std::string_view line = body.substr(at, eol - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = eol + 1;
    std::size_t size = 0, digits = 0;
    for (; digits < line.size() && hex_digit(line[digits]) >= 0; ++digits) {
      if (digits >= 15) return bad("a chunk size with too many digits");
      size = size * 16 + static_cast<std::size_t>(hex_digit(line[digits]));
    }
    const std::string_view rest = trim_ows(line.substr(digits));
    if (digits == 0 || (!rest.empty() && rest.front() != ';')) return bad("a chunk size that is not hexadecimal");
    if (size == 0) break;
    data += size;
    if (data > max_data) {
      scan.what = chunked_scan::too_large;
      return scan;
    }
    if (body.size() < at + size + 2) return scan;
    if (body.substr(at + size, 2) != "\r\n") return bad("a chunk whose data is not followed by CRLF");
    at += size + 2;
  }
  scan.trailers_at = at;
  for (;;) {  // trailer lines
    const std::size_t eol = body.find('\n', at);
    if (eol == std::string_view::npos) return scan;
    const std::size_t line_length = eol - at;
    at = eol + 1;
    if (line_length == 0 || (line_length == 1 && body[eol - 1] == '\r')) break;
    scan.trailers_length = at - scan.trailers_at;
  }
  scan.what = chunked_scan::complete;
  scan.length = at;
  return scan;
}

// Where the first buffered request ends, or why it is refused before httplib sees it.
struct framing {
  enum { incomplete, complete, refused } what = incomplete;
  std::size_t length = 0;
  std::size_t trailers_at = 0, trailers_length = 0;
  head_facts head;
  read_failure failure = read_failure::none;
  const char* problem = "";
};

framing refused(read_failure why, const char* problem = "") {
  framing f;
  f.what = framing::refused;
  f.failure = why;
  f.problem = problem;
  return f;
}

framing frame_request(std::string_view pending, std::size_t max_bytes) {
  framing f;
  const std::size_t crlf = pending.find("\r\n\r\n");
  const std::size_t lf = pending.find("\n\n");
  const std::size_t head = std::min(crlf == std::string_view::npos ? crlf : crlf + 4,
                                    lf == std::string_view::npos ? lf : lf + 2);
  if (head == std::string_view::npos && pending.size() < max_bytes) return f;
  if (head == std::string_view::npos || head > max_bytes) {
    const bool line_whole = pending.substr(0, max_bytes).find('\n') != std::string_view::npos;
    return refused(line_whole ? read_failure::too_large : read_failure::line_too_long);
  }
  f.head = inspect_head(pending.substr(0, head));
  if (f.head.failure != read_failure::none) return refused(f.head.failure, f.head.problem);
  // The whole request fits --max-request-bytes, so that the loop always has room to read it.
  const std::size_t body_room = max_bytes - head;
  if (f.head.chunked) {
    const chunked_scan body = scan_chunked(pending.substr(head), body_room);
    if (body.what == chunked_scan::malformed) return refused(read_failure::malformed, body.problem);
    if (body.what == chunked_scan::too_large) return refused(read_failure::body_too_large);
    if (body.what == chunked_scan::incomplete)
      return pending.size() >= max_bytes ? refused(read_failure::body_too_large) : f;
    f.what = framing::complete;
    f.length = head + body.length;
    f.trailers_at = head + body.trailers_at;
    f.trailers_length = body.trailers_length;
    return f;
  }
  // Refused before it arrives (httplib reads no GET body, and would frame the next request in it).
  if (f.head.content_length > body_room) return refused(read_failure::body_too_large);
  if (pending.size() < head + f.head.content_length) return f;
  f.what = framing::complete;
  f.length = head + f.head.content_length;
  return f;
}

// Empty lines before a request line are skipped (RFC 9112 §2.2): some clients send a CRLF after
// a body.
std::size_t leading_empty_lines(std::string_view pending) {
  std::size_t at = 0;
  while (at < pending.size()) {
    if (pending[at] == '\n') ++at;
    else if (pending.substr(at, 2) == "\r\n") at += 2;
    else break;
  }
  return at;
}

// The position of the header line named `name` in an answer's head, or npos.
std::size_t find_answer_header(std::string_view head, std::string_view name) {
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos; at = head.find("\r\n", at + 2)) {
    const std::string_view line = head.substr(at + 2);
    if (line.size() > name.size() && line[name.size()] == ':' && iequals(line.substr(0, name.size()), name))
      return at + 2;
  }
  return std::string_view::npos;
}

// The answer's head says what the loop does with the connection: httplib writes "Keep-Alive" to
// every client that did not send exactly "Connection: close" (even beside our "Connection:
// close"), and never "Connection: keep-alive", which an HTTP/1.0 client needs to reuse it.
void state_connection(std::string& answer, bool closing, bool http10) {
  if (!closing && !http10) return;  // what httplib wrote is right
  const std::size_t head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) return;
  const std::string_view head(answer.data(), head_end + 2);
  const bool stated = find_answer_header(head, "Connection") != std::string_view::npos;
  if (!closing) {
    if (http10 && !stated) answer.insert(head_end + 2, "Connection: keep-alive\r\n");
    return;
  }
  const std::size_t keep_alive = find_answer_header(head, "Keep-Alive");
  if (keep_alive != std::string_view::npos) {
    const std::size_t line_end = answer.find("\r\n", keep_alive) + 2;
    answer.replace(keep_alive, line_end - keep_alive, stated ? "" : "Connection: close\r\n");
  } else if (!stated) {
    answer.insert(head_end + 2, "Connection: close\r\n");
  }
}

}  // namespace

// One accepted socket, and the Stream httplib parses a buffered request from.
class loop_connection final : public httplib::Stream {
 public:
  loop_connection(int fd, std::uint64_t id) : fd_(fd), id_(id) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      remote_ip_ = address_text(address, remote_port_);
    length = sizeof address;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      local_ip_ = address_text(address, local_port_);
  }

  bool is_readable() const override { return in_pos < request_end; }
  bool is_writable() const override { return fd_ >= 0; }

  // Only the framed request's bytes: httplib never reads into the next request.
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, request_end - in_pos);
    if (n == 0) return -1;
    std::memcpy(ptr, in.data() + in_pos, n);
    in_pos += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (fd_ < 0) return -1;
    out.append(ptr, size);
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return fd_; }

  int fd() const { return fd_; }
  std::uint64_t id() const { return id_; }
  bool sending() const { return out_pos < out.size(); }
  std::string_view pending_input() const { return std::string_view(in).substr(in_pos); }

  std::string in;
  std::size_t in_pos = 0;
  std::size_t request_end = 0;
  std::string out;
  std::size_t out_pos = 0;
  steady::time_point deadline;
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

namespace {
thread_local loop_connection* current_connection = nullptr;
}  // namespace

// One thread, one epoll set, many connections.
class event_loop {
 public:
  event_loop(tuned_server& server, const connection_limits& limits)
      : server_(server),
        limits_(limits),
        epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
        wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.ptr = nullptr;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    thread_ = std::thread([this] { run(); });
  }

  ~event_loop() {
    stop();
    if (thread_.joinable()) thread_.join();
    ::close(wake_fd_);
    ::close(epoll_fd_);
  }

  // From the accepting thread.
  void adopt(int fd) {
    {
      std::lock_guard<std::mutex> lock(pending_mutex_);
      pending_.push_back(fd);
    }
    wake();
  }

  void stop() {
    stopping_ = true;
    wake();
  }

 private:
  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto ignored = ::write(wake_fd_, &one, sizeof one);
  }

  void run() {
    std::vector<epoll_event> events(events_per_wait);
    auto last_sweep = steady::now();
    while (!stopping_) {
      const int ready = ::epoll_wait(epoll_fd_, events.data(), events_per_wait, next_timeout_ms());
      for (int i = 0; i < ready; ++i) {
        if (events[i].data.ptr == nullptr) {
          take_pending();
          continue;
        }
        on_event(*static_cast<loop_connection*>(events[i].data.ptr), events[i].events);
      }
      release_due_answers();
      if (steady::now() - last_sweep >= sweep_interval) {
        sweep();
        last_sweep = steady::now();
      }
    }
    take_pending();
    for (auto& [id, c] : connections_) ::close(c->fd());
    connections_.clear();
  }

  int next_timeout_ms() const {
    if (delayed_.empty()) return static_cast<int>(sweep_interval.count());
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(delayed_.begin()->first - steady::now());
    return static_cast<int>(std::clamp<long long>(wait.count() + 1, 0, sweep_interval.count()));
  }

  void take_pending() {
    std::uint64_t drained;
    [[maybe_unused]] const auto ignored = ::read(wake_fd_, &drained, sizeof drained);
    std::vector<int> fds;
    {
      std::lock_guard<std::mutex> lock(pending_mutex_);
      fds.swap(pending_);
    }
    for (int fd : fds) {
      if (stopping_) {
        ::close(fd);
        continue;
      }
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
      const int on = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      auto c = std::make_unique<loop_connection>(fd, ++last_id_);
      c->deadline = steady::now() + limits_.request_deadline;
      loop_connection& ref = *c;
      connections_.emplace(ref.id(), std::move(c));
      watch(ref, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD);
    }
  }

  void watch(loop_connection& c, std::uint32_t wanted, int operation = EPOLL_CTL_MOD) {
    if (operation == EPOLL_CTL_MOD && wanted == c.watched) return;
    epoll_event e{};
    e.events = wanted;
    e.data.ptr = &c;
    ::epoll_ctl(epoll_fd_, operation, c.fd(), &e);
    c.watched = wanted;
  }

  // Read while there is room and no answer waits; write while an answer waits.
  void update_watch(loop_connection& c) {
    std::uint32_t wanted = 0;
    if (c.lingering) return watch(c, EPOLLIN | EPOLLRDHUP);
    if (c.sending() && !c.delayed) wanted |= EPOLLOUT;
    const bool room = c.pending_input().size() < limits_.max_request_bytes + read_chunk;
    if (!c.peer_closed && !c.delayed && room) wanted |= EPOLLIN | EPOLLRDHUP;
    watch(c, wanted);
  }

  void on_event(loop_connection& c, std::uint32_t events) {
    if (events & EPOLLERR) return close(c);
    if (c.lingering) return discard_input(c);
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) read_input(c);
    if ((events & EPOLLOUT) && !c.delayed && !flush(c)) return;
    advance(c);
  }

  void read_input(loop_connection& c) {
    const std::size_t limit = limits_.max_request_bytes + read_chunk;
    char chunk[read_chunk];
    while (c.pending_input().size() < limit) {
      const ssize_t got = ::recv(c.fd(), chunk, sizeof chunk, 0);
      if (got > 0) {
        if (c.pending_input().empty()) c.deadline = steady::now() + limits_.request_deadline;  // a new request begins
        c.in.append(chunk, static_cast<std::size_t>(got));
        if (static_cast<std::size_t>(got) < sizeof chunk) break;  // drained; epoll says when more comes
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) c.peer_closed = true;
      break;
    }
  }

  // A peer that sends after its answer said close (a pipelined request, the rest of a flood)
  // would make close() send a reset, which can destroy the answer before the peer reads it:
  // half-close instead and discard what still comes, until the peer closes or the deadline.
  void discard_input(loop_connection& c) {
    char chunk[read_chunk];
    for (int reads = 0; reads < 64; ++reads) {
      const ssize_t got = ::recv(c.fd(), chunk, sizeof chunk, 0);
      if (got > 0) continue;
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return close(c);
    }
  }

  void finish(loop_connection& c) {
    if (c.peer_closed) return close(c);
    ::shutdown(c.fd(), SHUT_WR);
    c.lingering = true;
    c.in.clear();
    c.in_pos = 0;
    c.deadline = steady::now() + limits_.request_deadline;
    update_watch(c);
  }

  // Serves buffered requests one at a time, each answer sent before the next is parsed.
  void advance(loop_connection& c) {
    while (!c.sending() && !c.delayed && !c.lingering) {
      if (c.close_when_sent) return finish(c);
      c.in_pos += leading_empty_lines(c.pending_input());
      const framing f = frame_request(c.pending_input(), limits_.max_request_bytes);
      if (f.what == framing::incomplete) {
        if (c.peer_closed) return close(c);
        break;
      }
      if (f.what == framing::refused) {
        answer_unreadable(c, f.failure, f.problem);
      } else {
        serve_one(c, f);
      }
      if (c.delayed) {
        delayed_.emplace(steady::now() + c.delay, c.id());
        break;
      }
      if (c.reset_when_due) return close(c, true);
      if (!flush(c)) return;
    }
    update_watch(c);
  }

  void serve_one(loop_connection& c, const framing& f) {
    // Trailer fields may be discarded (RFC 9112 §7.1.2); httplib would refuse the body for them.
    if (f.trailers_length > 0) c.in.erase(c.in_pos + f.trailers_at, f.trailers_length);
    c.request_end = c.in_pos + f.length - f.trailers_length;
    c.failure = read_failure::none;
    c.delay = std::chrono::milliseconds(0);
    current_connection = &c;
    bool close_connection = false;  // httplib's view: exact-case "close", or HTTP/1.0 without "Keep-Alive"
    const bool served = server_.serve(c, close_connection);
    current_connection = nullptr;
    c.in_pos = c.request_end;
    if (!served || f.head.close || server_.stopping()) c.close_when_sent = true;
    state_connection(c.out, c.close_when_sent, f.head.http10);
    if (c.reset_when_due) c.out.clear(), c.out_pos = 0;
    if (c.delay.count() > 0) c.delayed = true;
    if (c.in_pos > read_chunk && c.in_pos * 2 > c.in.size()) {
      c.in.erase(0, c.in_pos);
      c.in_pos = 0;
    }
    c.deadline = steady::now() + (c.pending_input().empty() ? limits_.keep_alive_idle : limits_.request_deadline);
  }

  void answer_unreadable(loop_connection& c, read_failure why, std::string_view problem = {}) {
    c.failure = why;
    if (server_.unreadable_request_answer) {
      refused_request refused{why, problem, first_line(c.pending_input(), 1024), {}};
      int port = 0;
      c.get_remote_ip_and_port(refused.remote, port);
      c.out += server_.unreadable_request_answer(refused);
    }
    c.in_pos = c.in.size();
    c.close_when_sent = true;
  }

  // false when the connection is gone.
  bool flush(loop_connection& c) {
    while (c.sending()) {
      const ssize_t n = ::send(c.fd(), c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_pos += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        c.deadline = steady::now() + limits_.write_timeout;
        update_watch(c);
        return true;
      }
      close(c);
      return false;
    }
    c.out.clear();
    c.out_pos = 0;
    return true;
  }

  void release_due_answers() {
    const auto now = steady::now();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      const std::uint64_t id = delayed_.begin()->second;
      delayed_.erase(delayed_.begin());
      auto it = connections_.find(id);
      if (it == connections_.end()) continue;
      loop_connection& c = *it->second;
      c.delayed = false;
      if (c.reset_when_due) {
        close(c, true);
        continue;
      }
      if (flush(c)) advance(c);
    }
  }

  // Deadlines: a request that does not arrive whole in time gets 408; idle and stuck
  // connections are closed.
  void sweep() {
    const auto now = steady::now();
    std::vector<loop_connection*> expired;
    for (auto& [id, c] : connections_)
      if (!c->delayed && now > c->deadline) expired.push_back(c.get());
    for (loop_connection* c : expired) {
      if (c->lingering || c->sending() || c->pending_input().empty()) {
        close(*c);
        continue;
      }
      answer_unreadable(*c, read_failure::too_slow);
      if (flush(*c)) advance(*c);
    }
  }

  // An RST instead of a FIN when `reset`: SO_LINGER 0, then close.
  void close(loop_connection& c, bool reset = false) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd(), nullptr);
    if (reset) {
      const linger abort_now{1, 0};
      ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
    }
    ::close(c.fd());
    connections_.erase(c.id());
  }

  tuned_server& server_;
  const connection_limits& limits_;
  const int epoll_fd_;
  const int wake_fd_;
  std::atomic<bool> stopping_{false};
  std::mutex pending_mutex_;
  std::vector<int> pending_;
  std::unordered_map<std::uint64_t, std::unique_ptr<loop_connection>> connections_;
  std::multimap<steady::time_point, std::uint64_t> delayed_;
  std::uint64_t last_id_ = 0;
  std::thread thread_;
};

namespace {

// httplib hands every accepted socket to its task queue; this one passes it to an event loop
// on the accepting thread, and owns the loops for the time the server listens.
class loop_queue final : public httplib::TaskQueue {
 public:
  loop_queue(tuned_server& server, const connection_limits& limits,
             std::vector<std::unique_ptr<event_loop>>*& published)
      : published_(published) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, limits.threads); ++i)
      loops_.push_back(std::make_unique<event_loop>(server, limits));
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

}  // namespace

tuned_server::tuned_server(connection_limits limits) : limits_(limits) {
  new_task_queue = [this] { return new loop_queue(*this, limits_, loops_); };
  set_tcp_nodelay(true);
  // httplib writes "Keep-Alive: timeout=…, max=…" from these; the event loop enforces them.
  set_keep_alive_max_count(1000000);
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

bool tuned_server::serve(httplib::Stream& stream, bool& close_connection) {
  return process_request(stream, stopping_, close_connection, nullptr);
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
  return current_connection ? current_connection->failure : read_failure::none;
}

void tuned_server::reset_current_connection() {
  if (current_connection) current_connection->reset_when_due = true;
}

void tuned_server::close_current_connection() {
  if (current_connection) current_connection->close_when_sent = true;
}

void tuned_server::delay_current_answer(std::chrono::milliseconds delay) {
  if (current_connection) current_connection->delay = delay;
}

}  // namespace kuaidi::mock
