#include "event_loop.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace kuaidi::mock {

namespace {

using steady = std::chrono::steady_clock;

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

thread_local loop_connection* current_connection = nullptr;

}  // namespace

loop_connection::loop_connection(int fd, std::uint64_t id) : fd_(fd), id_(id) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    remote_ip_ = address_text(address, remote_port_);
  length = sizeof address;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    local_ip_ = address_text(address, local_port_);
}

loop_connection* serving_now() { return current_connection; }

// One thread, one epoll set, many connections.
class event_loop::impl {
 public:
  impl(request_handler& handler, const connection_limits& limits)
      : handler_(handler),
        limits_(limits),
        epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
        wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.ptr = nullptr;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    thread_ = std::thread([this] { run(); });
  }

  ~impl() {
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
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(delayed_.begin()->first - steady::now());
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
        if (c.pending_input().empty())
          c.deadline = steady::now() + limits_.request_deadline;  // a new request begins
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
    const bool served = handler_.serve(c, f);
    current_connection = nullptr;
    c.in_pos = c.request_end;
    if (!served || f.head.close || handler_.stopping()) c.close_when_sent = true;
    state_connection(c.out, c.close_when_sent, f.head.http10);
    if (c.reset_when_due) c.out.clear(), c.out_pos = 0;
    if (c.delay.count() > 0) c.delayed = true;
    if (c.in_pos > read_chunk && c.in_pos * 2 > c.in.size()) {
      c.in.erase(0, c.in_pos);
      c.in_pos = 0;
    }
    c.deadline =
        steady::now() + (c.pending_input().empty() ? limits_.keep_alive_idle : limits_.request_deadline);
  }

  void answer_unreadable(loop_connection& c, read_failure why, std::string_view problem = {}) {
    c.failure = why;
    c.out += handler_.unreadable({why, problem, first_line(c.pending_input(), 1024), c.remote_ip()});
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

  request_handler& handler_;
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

event_loop::event_loop(request_handler& handler, const connection_limits& limits)
    : impl_(std::make_unique<impl>(handler, limits)) {}

event_loop::~event_loop() = default;

void event_loop::adopt(int fd) { impl_->adopt(fd); }

}  // namespace kuaidi::mock
