#pragma once
// Starts the real kuaidi-mock binary on a free port for one test and always stops it: the guard
// sends SIGTERM and waits (SIGKILL after 10 s), and the child dies with the test process
// (PR_SET_PDEATHSIG) even if the test itself crashes.

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raw_http.hpp"
#include "request_id.hpp"

namespace kuaidi::mock_test {

// A folder under /tmp for one test's files, removed with everything in it at the end.
class temp_folder {
 public:
  temp_folder();
  ~temp_folder();
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class mock_process {
 public:
  explicit mock_process(std::vector<std::string> args = {});
  ~mock_process();
  mock_process(const mock_process&) = delete;
  mock_process& operator=(const mock_process&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  httplib::Client client() const;

  // SIGTERM and wait: the exit status (or -1 when it had to be killed).
  int stop();
  bool running() const;
  std::string stdout_text() const;
  std::string stderr_text() const;
  const std::string& folder() const { return folder_; }
  int pid() const { return pid_; }

 private:
  void wait_until_ready(const std::string& port_file);

  int pid_ = -1;
  int port_ = 0;
  std::string folder_;
  std::optional<int> exit_status_;
};

// Runs kuaidi-mock to completion (for --list-scenarios, --help, bad flags).
struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};
run_result run_mock(const std::vector<std::string>& args);

// A raw TCP exchange with 127.0.0.1:port: sends `bytes`, reads until the peer closes or
// `timeout` passes. `reset` tells whether the read ended on ECONNRESET.
struct raw_result {
  std::string received;
  bool reset = false;
  bool timed_out = false;
};
raw_result raw_exchange(int port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

// A connected socket, or -1.
int raw_connect(int port);

// Reads `fd` until the peer closes or `timeout` passes, then closes it.
raw_result raw_read_until_closed(int fd, std::chrono::milliseconds timeout);

// Sends `bytes`, ends the sending side (shutdown SHUT_WR: the server sees the end of the
// request stream), and reads until the server closes or `timeout` passes.
raw_result raw_exchange_to_end(int port, const std::string& bytes,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

std::string read_text_file(const std::string& path);
void write_text_file(const std::string& path, const std::string& text);

}  // namespace kuaidi::mock_test
