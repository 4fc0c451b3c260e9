// Soak driver for kuaidi-mock (issue 5): mixed traffic over every catalogue entry against a
// classic and a VPC gateway server at once (HEAD for a tenth of the natural queries), with faults,
// fixture rewrites and quota resets. Every answer is checked byte for byte against what the core
// builds from the catalogue (a HEAD answer: the GET answer's head); the servers' RSS, descriptors
// and journal are sampled. scripts/soak_mock.sh starts the servers with
// `--server-args` and the file from `--write-fixtures`, then runs this; see --help.

#include <signal.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>

#include "kuaidi/accounts.hpp"
#include "kuaidi/time.hpp"
#include "run.hpp"

namespace kuaidi::soak {

std::vector<std::string> server_args() {
  std::vector<std::string> args = {"--now",
                                   pinned_clock,
                                   "--backend-timeout",
                                   std::to_string(backend_timeout_ms),
                                   "--latency",
                                   server_latency,
                                   "--fault-rate",
                                   server_fault_rate,
                                   "--faults",
                                   server_faults,
                                   "--journal-size",
                                   std::to_string(journal_capacity),
                                   "--keep-alive-timeout",
                                   std::to_string(keep_alive_timeout_s),
                                   "--max-url-length",
                                   std::to_string(max_url_length)};
  for (const soak_account* a :
       {&main_account, &quota_account, &refused_accounts[0], &refused_accounts[1], &refused_accounts[2]}) {
    args.push_back("--appcode");
    args.push_back(std::string(a->code) + ":" + a->quota_and_state);
  }
  return args;
}

std::int64_t anchor_seconds() {
  static const std::int64_t anchor = *kuaidi::parse_instant(pinned_clock);
  return anchor;
}

const scenario& entry(std::string_view id) {
  const scenario* s = find_scenario(id);
  if (!s) {
    std::cerr << "soak: the catalogue has no entry '" << id << "': the driver is out of date\n";
    std::exit(2);
  }
  return *s;
}

std::string cut(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : text.substr(0, n) + "…(" + std::to_string(text.size()) + " bytes)";
}

namespace {

const char* usage =
    "kuaidi_soak_mock — the soak driver for kuaidi-mock (run by scripts/soak_mock.sh)\n\n"
    "  --server-args                 print the servers' extra arguments, one a line, and exit\n"
    "  --write-fixtures FILE         write version 1 of the fixture file and exit\n"
    "  --server NAME=PORT:PID        a running server, NAME classic or vpc (give both)\n"
    "  --fixtures FILE               the servers' --fixtures file, rewritten while the run lasts\n"
    "  --seconds S                   how long the traffic runs (default 600)\n"
    "  --clients N                   concurrent traffic clients (default 6)\n"
    "  --seed N                      seed of the traffic (default 1)\n"
    "  --out DIR                     where SOAK.md, rss.csv and summary.json go (default build/soak)\n"
    "  --vectors FILE                tests/vectors/mock_natural.json\n";

std::optional<server_arg> parse_server(const std::string& arg) {
  const auto eq = arg.find('='), colon = arg.find(':');
  if (eq == std::string::npos || colon == std::string::npos || colon < eq) return std::nullopt;
  const std::string name = arg.substr(0, eq);
  if (name != "classic" && name != "vpc") return std::nullopt;
  const auto port = text::whole_number(std::string_view(arg).substr(eq + 1, colon - eq - 1), 1, 65535);
  const auto pid = text::whole_number(std::string_view(arg).substr(colon + 1), 1, INT32_MAX);
  if (!port || !pid) return std::nullopt;
  return server_arg{name, static_cast<int>(*port), static_cast<pid_t>(*pid)};
}

int bad_usage(const std::string& what) {
  std::cerr << "kuaidi_soak_mock: " << what << "\n\n" << usage;
  return 2;
}

}  // namespace
}  // namespace kuaidi::soak

int main(int argc, char** argv) {
  using namespace kuaidi::soak;
  const std::vector<std::string> args(argv + 1, argv + argc);
  run_options options;
  std::vector<server_arg> servers;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help") return std::cout << usage, 0;
    if (a == "--server-args") {
      for (const auto& arg : server_args()) std::cout << arg << "\n";
      return 0;
    }
    std::optional<std::string> v = value();
    if (!v) return bad_usage(a + " needs a value");
    if (a == "--write-fixtures") {
      std::ofstream out(*v, std::ios::binary | std::ios::trunc);
      out << fixture_document(1).dump(2);
      return out ? 0 : bad_usage("cannot write " + *v);
    }
    if (a == "--server") {
      const auto s = parse_server(*v);
      if (!s) return bad_usage("--server takes classic=PORT:PID or vpc=PORT:PID, got '" + *v + "'");
      servers.push_back(*s);
    } else if (a == "--fixtures")
      options.fixtures_path = *v;
    else if (a == "--seconds") {
      const char* const end = v->data() + v->size();
      if (std::from_chars(v->data(), end, options.seconds).ptr != end || !(options.seconds > 0))
        return bad_usage("--seconds needs a number of seconds above 0, got '" + *v + "'");
    } else if (a == "--clients") {
      const auto n = kuaidi::text::whole_number(*v, 1, 1000);
      if (!n) return bad_usage("--clients needs a whole number from 1 to 1000, got '" + *v + "'");
      options.clients = static_cast<int>(*n);
    } else if (a == "--seed") {
      const auto n = kuaidi::text::whole_number(*v, 0, 9007199254740991LL);
      if (!n) return bad_usage("--seed needs a whole number >= 0, got '" + *v + "'");
      options.seed = static_cast<std::uint64_t>(*n);
    } else if (a == "--out")
      options.out_dir = *v;
    else if (a == "--vectors")
      options.vectors_path = *v;
    else
      return bad_usage("unknown option " + a);
  }
  if (servers.size() != 2 || servers[0].name == servers[1].name)
    return bad_usage("give one --server classic=PORT:PID and one --server vpc=PORT:PID");
  if (options.fixtures_path.empty())
    return bad_usage("--fixtures FILE is required (the servers' fixture file)");
  if (options.seconds <= 0 || options.clients <= 0)
    return bad_usage("--seconds and --clients must be above 0");
  ::signal(SIGPIPE, SIG_IGN);
  return run_soak(options, servers);
}
