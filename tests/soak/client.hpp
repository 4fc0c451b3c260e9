#pragma once
// The driver's side of the wire: raw keep-alive HTTP/1.1 requests and what came back.

#include <optional>
#include <string>
#include <string_view>

#include "soak.hpp"

namespace kuaidi::soak {

// An HTTP/1.1 request as the driver writes it on the socket.
struct wire_request {
  std::string method = "GET";
  std::string target;
  header_list headers;
  std::string body;
  bool close = false;

  std::string bytes() const {
    std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (close) out += "Connection: close\r\n";
    return out + "\r\n" + body;
  }

  // For the report: AppCodes masked, as the mock itself logs them.
  std::string describe() const {
    std::string out = method + " " + cut(target, 160);
    for (const auto& [name, value] : headers) {
      const auto code =
          text::iequals(name, "Authorization") ? kuaidi::appcode_from_authorization(value) : std::nullopt;
      out += "; " + name + ": " + (code ? "APPCODE " + kuaidi::mask_appcode(*code) : value);
    }
    return out;
  }
};

enum class delivery { complete, reset, closed_before_answer, cut_short, timed_out, unreachable, garbled };

std::string_view to_string(delivery d);

struct wire_answer {
  delivery what = delivery::unreachable;
  bool sent = false;  // the request left whole, so the server has it
  int status = 0;
  header_list headers;
  std::string body;
  std::optional<std::size_t> content_length;
  std::string problem;
  bool to_head = false;  // the answer to a HEAD request: a head, and no body

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (text::iequals(n, name)) return v;
    return std::nullopt;
  }
  int header_count(std::string_view name) const {
    return static_cast<int>(std::count_if(headers.begin(), headers.end(),
                                          [&](const auto& h) { return text::iequals(h.first, name); }));
  }
  std::string describe() const {
    if (what != delivery::complete && what != delivery::cut_short)
      return std::string(to_string(what)) + (problem.empty() ? "" : " (" + problem + ")");
    std::string out = std::to_string(status);
    for (const char* name : {"Content-Type", "Content-Length", "X-Ca-Error-Code", "X-Ca-Error-Message",
                             "X-Soak-Version", "X-Mock-Error"})
      if (auto v = header(name)) out += "; " + std::string(name) + ": " + *v;
    if (what == delivery::cut_short) out += "; closed after " + std::to_string(body.size()) + " body bytes";
    return out + "; body " + cut(body, 300);
  }
};

// Status and headers of an answer's head (without the blank line); false when unreadable.
bool parse_head(std::string_view head, wire_answer& a);

// Raw keep-alive HTTP/1.1, no library in between: a truncated body or a reset must show as such.
class connection {
 public:
  explicit connection(int port) : port_(port) {}
  ~connection() { drop(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  wire_answer exchange(const wire_request& r) {
    wire_answer a = send(r);
    return a.sent ? receive(r) : a;
  }

  // The request alone: its answer is read later by receive(), meanwhile other work goes on.
  wire_answer send(const wire_request& r) {
    wire_answer a;
    if (fd_ >= 0 && steady::now() - idle_since_ > reuse_limit) drop();
    if (fd_ < 0 && !open(a.problem)) return a;
    if (!send_all(r.bytes())) {
      a.what = delivery::closed_before_answer;
      a.problem = std::string("send: ") + std::strerror(errno);
      drop();
      return a;
    }
    a.sent = true;
    return a;
  }

  wire_answer receive(const wire_request& r) {
    wire_answer a;
    a.sent = true;
    if (!read_answer(r, a)) {
      drop();
      return a;
    }
    if (r.close || text::iequals(a.header("Connection").value_or(""), "close")) drop();
    idle_since_ = steady::now();
    return a;
  }

  void drop() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    pending_.clear();
  }

 private:
  bool open(std::string& problem) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const timeval wait{static_cast<time_t>(std::chrono::seconds(answer_timeout).count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
    const int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return true;
    problem = std::string("connect: ") + std::strerror(errno);
    drop();
    return false;
  }

  bool send_all(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Appends what arrives; false with `what` set when the connection ended or stalled.
  bool receive_more(wire_answer& a, delivery if_closed) {
    char chunk[16384];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) return pending_.append(chunk, static_cast<std::size_t>(n)), true;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        a.what = delivery::timed_out;
      else if (n < 0 && errno == ECONNRESET && if_closed == delivery::closed_before_answer)
        a.what = delivery::reset;
      else
        a.what = if_closed;
      if (n < 0) a.problem = std::strerror(errno);
      return false;
    }
  }

  bool read_answer(const wire_request& r, wire_answer& a) {
    a.to_head = r.method == "HEAD";
    std::size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!receive_more(a, pending_.empty() ? delivery::closed_before_answer : delivery::garbled))
        return false;
    if (!parse_head(std::string_view(pending_).substr(0, head_end), a)) {
      a.what = delivery::garbled;
      a.problem = "unreadable head: " + cut(pending_.substr(0, head_end), 200);
      return false;
    }
    const std::size_t body_start = head_end + 4;
    const bool bodiless = a.to_head || a.status == 204 || a.status == 304 || a.status < 200;
    if (!bodiless && !a.content_length) {
      a.what = delivery::garbled;
      a.problem = "no Content-Length";
      return false;
    }
    const std::size_t length = bodiless ? 0 : *a.content_length;
    while (pending_.size() < body_start + length) {
      if (!receive_more(a, delivery::cut_short)) {
        a.body = pending_.substr(body_start);
        if (a.what == delivery::reset) a.what = delivery::cut_short;
        return false;
      }
    }
    a.body = pending_.substr(body_start, length);
    pending_.erase(0, body_start + length);
    a.what = delivery::complete;
    if (!pending_.empty()) {
      a.what = delivery::garbled;
      a.problem = std::to_string(pending_.size()) + " stray bytes after the answer";
      return false;
    }
    return true;
  }

  int port_;
  int fd_ = -1;
  steady::time_point idle_since_ = steady::now();
  std::string pending_;
};

}  // namespace kuaidi::soak
