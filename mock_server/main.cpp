// kuaidi-mock: parse the command line, answer the listing and signing commands, or serve until
// SIGINT/SIGTERM.

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "http_server.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/signature.hpp"
#include "kuaidi/version.hpp"
#include "options.hpp"
#include "report_file.hpp"

namespace {

using namespace kuaidi;
using namespace kuaidi::mock;

// kuaidi-mock --version: the version, the catalogue's size and how the core was built.
std::string version_text() {
  return std::string("kuaidi-mock ") + kuaidi::version + "\n" +
         std::to_string(kuaidi::all_scenarios().size()) +
         " documented answers in the catalogue\ncore built with " + kuaidi::build_compiler + ", " +
         kuaidi::build_type + "\n";
}

// The page installed beside the binary, used when --web-root is not given: <exe>/../share/kuaidi-kit/web
// (bin/ and share/ of the unpacked tarball, or /usr/bin and /usr/share of the .deb). Empty if absent.
std::string installed_web_root() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto root = exe.parent_path().parent_path() / "share" / "kuaidi-kit" / "web";
  return std::filesystem::is_regular_file(root / "index.html", error) ? root.string() : std::string();
}

int print_signature(const mock_options& o) {
  const auto params = kuaidi::params_from_query_string(*o.sign_query);
  kuaidi::signed_parameters signed_params;
  for (const auto& [name, value] : params.all)
    if (name != "sign") signed_params.emplace_back(name, value);
  std::cout << "algorithm:      " << kuaidi::to_string(o.algorithm) << "\n"
            << "string_to_sign: " << kuaidi::string_to_sign(signed_params, o.sign_secret, o.algorithm) << "\n"
            << "sign:           " << kuaidi::compute_sign(signed_params, o.sign_secret, o.algorithm) << "\n";
  return 0;
}

// Thousands of connections need more descriptors than the usual soft limit of 1024.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::string describe_mode(const mock_options& o) {
  return std::string(kuaidi::to_string(o.gateway)) + " gateway, " +
         (o.mode == platform::market ? "Aliyun market (AppCode)" : "vendor's own platform (appid + sign)");
}

// --report and --fail-on once the server has stopped: the exit status.
int referee_verdict(const mock_options& options, const referee_report& report) {
  int status = 0;
  if (!options.report_path.empty()) {
    if (const auto written = write_report_file(options.report_path, report)) {
      std::cout << "referee report written to " << options.report_path << std::endl;
    } else {
      std::cerr << "kuaidi-mock: " << written.error() << "\n";
      status = 1;
    }
  }
  for (const referee_rule rule : fired(report, options.fail_on)) {
    const referee_finding& f = *report.find(rule);
    std::cerr << "kuaidi-mock: --fail-on: " << to_string(rule) << " fired (" << f.count
              << " request(s), first " << f.first_request_id << ")\n";
    status = 1;
  }
  return status;
}

// A report that could not be written would be lost at the end of the run: say so before serving.
bool report_folder_exists(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
  std::error_code error;
  return std::filesystem::is_directory(folder, error);
}

int serve(const mock_options& options) {
  // Signals are taken by one thread with sigwait; every other thread inherits the block.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  raise_descriptor_limit();

  mock_server server(options);
  if (const auto started = server.start(); !started) {
    std::cerr << "kuaidi-mock: " << started.error() << "\n";
    return 2;
  }
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file) << server.port() << "\n";
  }
  std::cout << "kuaidi-mock listening on " << server.url() << " (" << describe_mode(options)
            << "); admin API at " << server.url() << "__admin/" << std::endl;

  std::atomic<bool> finished{false};
  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    // httplib ignores stop() before it is listening: repeat until run() has returned.
    while (!finished) {
      server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  server.run();
  finished = true;
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes the waiter if no signal came
  signal_waiter.join();
  std::cout << "kuaidi-mock stopped" << std::endl;
  return referee_verdict(options, server.report());
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto parsed = parse_options(args);
  if (!parsed) {
    std::cerr << "kuaidi-mock: " << parsed.error() << "\n";
    return 2;
  }
  const mock_options& o = *parsed;
  if (o.help) return std::cout << usage_text(), 0;
  if (o.version) return std::cout << version_text(), 0;
  if (o.list == scenario_listing::markdown) return std::cout << scenarios_markdown(), 0;
  if (o.list == scenario_listing::json) return std::cout << scenarios_json(o.gateway).dump(2) << "\n", 0;
  if (o.sign_query) return print_signature(o);
  if (!o.report_path.empty() && !report_folder_exists(o.report_path)) {
    std::cerr << "kuaidi-mock: --report " << o.report_path << ": its folder does not exist; create it or "
              << "name a file in an existing folder\n";
    return 2;
  }
  if (o.web_root.empty()) {
    mock_options with_page = o;
    with_page.web_root = installed_web_root();
    return serve(with_page);
  }
  return serve(o);
}
