#include "mock_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace kuaidi::mock_test {

namespace {

using namespace std::chrono_literals;

std::string make_folder() {
  char pattern[] = "/tmp/kuaidi-mock-test-XXXXXX";
  const char* made = ::mkdtemp(pattern);
  REQUIRE(made != nullptr);
  return made;
}

// fork + exec with stdout/stderr sent to files; the child dies with its parent.
int spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  std::vector<char*> argv;
  // KUAIDI_MOCK_BINARY in the environment runs another build (e.g. a sanitizer one) under the tests.
  const char* chosen = std::getenv("KUAIDI_MOCK_BINARY");
  std::string binary = chosen && *chosen ? chosen : KUAIDI_MOCK_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(binary.c_str(), argv.data());
  ::_exit(127);
}

std::optional<int> wait_exit(int pid, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0) return -1;
    if (std::chrono::steady_clock::now() > until) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
}

}  // namespace

temp_folder::temp_folder() : path_(make_folder()) {}

temp_folder::~temp_folder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  std::ofstream(temporary, std::ios::binary) << text;
  REQUIRE(std::rename(temporary.c_str(), path.c_str()) == 0);  // atomic, as editors save
}

mock_process::mock_process(std::vector<std::string> args) : folder_(make_folder()) {
  const std::string port_file = folder_ + "/port";
  args.insert(args.end(), {"--port", "0", "--port-file", port_file, "--log", folder_ + "/requests.log"});
  pid_ = spawn(args, folder_ + "/stdout", folder_ + "/stderr");
  REQUIRE(pid_ > 0);
  try {
    wait_until_ready(port_file);
  } catch (...) {
    stop();  // a constructor that throws runs no destructor
    throw;
  }
}

void mock_process::wait_until_ready(const std::string& port_file) {
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (port_ == 0) {
    if (auto code = wait_exit(pid_, 0ms)) {
      exit_status_ = *code;
      FAIL("kuaidi-mock exited with " << *code << " before listening: " << stderr_text());
    }
    REQUIRE(std::chrono::steady_clock::now() < until);
    const std::string text = read_text_file(port_file);
    if (!text.empty() && text.back() == '\n')
      port_ = std::atoi(text.c_str());
    else
      std::this_thread::sleep_for(5ms);
  }
  httplib::Client health(base_url());
  health.set_connection_timeout(2);
  for (;;) {
    auto res = health.Get("/__admin/health");
    if (res && res->status == 200) break;
    REQUIRE(std::chrono::steady_clock::now() < until);
    std::this_thread::sleep_for(10ms);
  }
}

mock_process::~mock_process() {
  if (pid_ > 0 && !exit_status_) stop();
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

int mock_process::stop() {
  if (exit_status_) return *exit_status_;
  ::kill(pid_, SIGTERM);
  auto code = wait_exit(pid_, 10s);
  if (!code) {
    ::kill(pid_, SIGKILL);
    wait_exit(pid_, 10s);
    code = -1;
  }
  exit_status_ = *code;
  return *code;
}

bool mock_process::running() const { return !exit_status_ && ::kill(pid_, 0) == 0; }

httplib::Client mock_process::client() const {
  httplib::Client c(base_url());
  c.set_connection_timeout(5);
  c.set_read_timeout(10);
  c.set_keep_alive(true);
  return c;
}

std::string mock_process::stdout_text() const { return read_text_file(folder_ + "/stdout"); }
std::string mock_process::stderr_text() const { return read_text_file(folder_ + "/stderr"); }

run_result run_mock(const std::vector<std::string>& args) {
  const std::string folder = make_folder();
  const int pid = spawn(args, folder + "/stdout", folder + "/stderr");
  REQUIRE(pid > 0);
  auto code = wait_exit(pid, 30s);
  if (!code) {
    ::kill(pid, SIGKILL);
    wait_exit(pid, 5s);
  }
  run_result result{code.value_or(-1), read_text_file(folder + "/stdout"),
                    read_text_file(folder + "/stderr")};
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  return result;
}

int raw_connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

raw_result raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  const int fd = raw_connect(port);
  REQUIRE(fd >= 0);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  return raw_read_until_closed(fd, timeout);
}

raw_result raw_read_until_closed(int fd, std::chrono::milliseconds timeout) {
  raw_result result;
  const auto until = std::chrono::steady_clock::now() + timeout;
  char buffer[8192];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      result.received.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    result.reset = n < 0 && errno == ECONNRESET;
    break;
  }
  ::close(fd);
  return result;
}

raw_result raw_exchange_to_end(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  const int fd = raw_connect(port);
  REQUIRE(fd >= 0);
  for (std::size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server stopped reading (a refused flood): its answer still counts
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  return raw_read_until_closed(fd, timeout);
}

}  // namespace kuaidi::mock_test
