#pragma once
// One soak run: the servers, what every worker shares and found, and the parts that drive it.

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "oracle.hpp"

namespace kuaidi::soak {

// A request and how its answer is judged.
struct planned {
  std::string kind;
  wire_request request;
  std::optional<query_plan> query;
  std::optional<answer_spec> fixed;
  const scenario* gateway = nullptr;  // a gateway answer, built for the server's generation
  std::function<std::string(const wire_answer&)> custom;
};

struct server_info {
  std::string name;
  gateway_generation generation = gateway_generation::classic;
  int port = 0;
  pid_t pid = 0;
  std::atomic<std::uint64_t> sent{0};  // non-admin requests that left whole: the journal's count
  std::atomic<int> live_version{1};    // newest fixture version this server is known to serve
};

struct wrong_answer {
  std::string server, kind, request, expected, got, problem;
  double at_s = 0;
};

// Counts by name, merged from the threads at the end.
using counts = std::map<std::string, std::uint64_t>;

inline void merge(counts& into, const counts& from) {
  for (const auto& [k, v] : from) into[k] += v;
}

struct rss_sample {
  double t_s;
  std::string server;
  long rss_kb, hwm_kb, threads, fds;
  std::uint64_t requests;
};

struct proc_status {
  bool alive = false;
  long rss_kb = 0, hwm_kb = 0, threads = 0;
};

proc_status read_proc_status(pid_t pid);

struct run_options {
  std::string fixtures_path;
  std::string out_dir = "build/soak";
  std::string vectors_path = std::string(KUAIDI_VECTORS_DIR) + "/mock_natural.json";
  double seconds = 600;
  int clients = 6;
  std::uint64_t seed = 1;
};

// Everything the workers share, and what they found.
class soak_run {
 public:
  soak_run(run_options o, std::deque<server_info>& running) : options(std::move(o)), servers(running) {}

  const run_options options;
  std::deque<server_info>& servers;
  fixture_book book;
  std::vector<std::string> pool;
  std::vector<json> vectors;  // the "open" profile of tests/vectors/mock_natural.json
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> forced_turn{0};
  std::atomic<std::size_t> prime_turn{0};
  steady::time_point started = steady::now();  // priming starts; samples count from here
  steady::time_point deadline;
  double timed_from_s = 0;  // when the timed run began (priming done)
  double warm_until_s = 0;  // the end of the warm-up: priming plus the first 20 % of the timed run

  std::mutex mutex;
  std::vector<wrong_answer> wrong;
  std::uint64_t wrong_count = 0;
  std::vector<std::string> failures;  // checks other than answers: fixtures, quotas, journal, crash
  counts kinds, outcomes, coverage, facts;
  std::vector<rss_sample> samples;
  std::vector<double> switch_ms;
  long baseline_fds[2] = {0, 0};
  long final_fds[2] = {0, 0};
  std::uint64_t journal_before[2] = {0, 0};
  std::uint64_t journal_recorded[2] = {0, 0};
  std::size_t journal_max_kept = 0;
  std::size_t journal_max_bytes = 0;

  double elapsed_s() const { return std::chrono::duration<double>(steady::now() - started).count(); }

  void fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex);
    if (failures.size() < 50)
      failures.push_back("[" + fixed1(elapsed_s()) + " s] " + what);
    else if (failures.size() == 50)
      failures.push_back("… more failures left out");
  }

  void note(const std::string& fact, std::uint64_t n = 1) {
    std::lock_guard<std::mutex> lock(mutex);
    facts[fact] += n;
  }

  void record_wrong(wrong_answer w) {
    w.at_s = elapsed_s();
    std::lock_guard<std::mutex> lock(mutex);
    if (wrong.size() < kept_wrong_answers) wrong.push_back(std::move(w));
    ++wrong_count;
  }

  // Sleeps in small steps so that a stop is seen at once; false when stopping.
  bool pause(std::chrono::milliseconds d) {
    const auto until = steady::now() + d;
    while (steady::now() < until) {
      if (stopping) return false;
      std::this_thread::sleep_for(std::min<steady::duration>(until - steady::now(), 50ms));
    }
    return !stopping;
  }

  static std::string fixed1(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
  }
};

// Sends one request and judges its answer; false when it was wrong.
struct checked_exchange {
  soak_run& run;
  server_info& server;
  connection& conn;
  counts* outcomes;

  verdict operator()(const planned& p, const std::function<expectation(int, int)>& expect) {
    const int lo = server.live_version;
    const wire_answer a = conn.exchange(p.request);
    if (a.sent && p.request.target.rfind("/__admin", 0) != 0) ++server.sent;
    const int hi = run.book.written();
    const expectation e = expect(lo, hi);
    verdict v = judge(e, a, server.generation);
    if (outcomes) ++(*outcomes)[v.how.empty() ? "wrong" : v.how];
    if (v.how.empty())
      run.record_wrong(
          {server.name, p.kind, p.request.describe(),
           describe_expected(e) +
               (e.answers.size() > 1 || (!e.answers.empty() && e.answers.front().version)
                    ? " [fixture versions " + std::to_string(lo) + ".." + std::to_string(hi) + "]"
                    : ""),
           a.describe(), v.problem});
    return v;
  }

  verdict query(const std::string& kind, const query_plan& q) {
    planned p{kind, q.request(), q, std::nullopt, nullptr, nullptr};
    return (*this)(p, [&](int lo, int hi) { return expect_query(q, server.generation, run.book, lo, hi); });
  }
};

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& items) {
  return items[rng() % items.size()];
}

// traffic.cpp
std::vector<std::string> number_pool(std::uint64_t seed);
std::string appcode_header(const char* code);
// No AppCode may appear whole in what the admin API shows.
std::string secrets_problem(const std::string& body);
// Every pool number once per server, natural when it gives a trace, else forced to one (fills both caches).
void prime_loop(soak_run& run);
void client_loop(soak_run& run, int index);

// report.cpp
// The caches clear when full and refill, so RSS saw-tooths: peaks are compared, not instants.
struct rss_verdict {
  long start_kb = 0;       // the first sample, before priming
  long warm_peak_kb = 0;   // the highest up to the end of the warm-up (caches full by then)
  long after_peak_kb = 0;  // the highest after it
  long end_kb = 0;
  double growth = 0;
  bool ok = true;
};
rss_verdict rss_of(const soak_run& run, const std::string& server);
void write_samples(const soak_run& run, const std::string& path);
// The report; true when every check passed.
bool report(soak_run& run, double ran_s, std::ostream& md);

// run.cpp: the whole run against servers already started; the exit status.
struct server_arg {
  std::string name;
  int port;
  pid_t pid;
};
int run_soak(const run_options& options, const std::vector<server_arg>& given);

}  // namespace kuaidi::soak
