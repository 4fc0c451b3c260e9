// The run's other workers (fixture rewrites, quota rounds, the monitor of RSS, descriptors and
// journal), the checks after the traffic, and the run itself.

#include <dirent.h>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "raw_http.hpp"
#include "run.hpp"

namespace kuaidi::soak {

proc_status read_proc_status(pid_t pid) {
  proc_status s;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    const auto value = [&] { return std::atol(line.c_str() + line.find(':') + 1); };
    if (line.rfind("State:", 0) == 0)
      s.alive = line.find('Z') == std::string::npos && line.find('X') == std::string::npos;
    else if (line.rfind("VmRSS:", 0) == 0)
      s.rss_kb = value();
    else if (line.rfind("VmHWM:", 0) == 0)
      s.hwm_kb = value();
    else if (line.rfind("Threads:", 0) == 0)
      s.threads = value();
  }
  return s;
}

// Rewrites the fixture file every few seconds (atomically, in two steps, twice quickly, or broken).
class fixture_writer {
 public:
  explicit fixture_writer(soak_run& run) : run_(run), rng_(run.options.seed * 31 + 7) {
    for (auto& s : run.servers) conns_.push_back(std::make_unique<connection>(s.port));
  }

  // During priming: large reloads by the watcher and by several event loops (a fresh connection
  // goes to the next loop) take their memory before RSS is judged.
  void prime() {
    put_atomically(++version_, true);
    const auto written_at = steady::now();
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      await_switch(i, version_, written_at);
      for (int n = 0; n < 12; ++n) connection(run_.servers[i].port).exchange(reload_request());
    }
    write_atomically(++version_, true);
  }

  void loop() {
    int& version = version_;
    bool bad_on_disk = false;
    while (run_.pause(std::chrono::milliseconds(1500 + rng_() % 2000))) {
      const unsigned roll = rng_() % 100;
      if (roll < 20 && !bad_on_disk) {
        write_broken(version);
        bad_on_disk = true;
        continue;
      }
      // Large reloads fragment the heap: they race only in the warm-up, before RSS is judged.
      const bool warming = run_.elapsed_s() < run_.warm_until_s;
      ++version;
      if (warming && roll < 60)
        write_twice(++version);
      else if (roll < 60)
        write_atomically(version, rng_() % 2 == 0);
      else
        write_in_two_steps(version);
      bad_on_disk = false;
    }
  }

 private:
  std::string path() const { return run_.options.fixtures_path; }

  bool put_atomically(int version, bool padded = false) {
    const std::string temp = path() + ".tmp";
    std::ofstream(temp, std::ios::binary | std::ios::trunc) << fixture_document(version, padded).dump(2);
    run_.book.now_writing(version);
    if (std::rename(temp.c_str(), path().c_str()) == 0) return true;
    run_.fail("cannot rename " + temp);
    return false;
  }

  void write_atomically(int version, bool reload_at_once) {
    if (!put_atomically(version)) return;
    const auto written_at = steady::now();
    run_.note("fixture versions written atomically");
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      if (reload_at_once)
        reload_now(i, version);
      else
        await_switch(i, version, written_at);
    }
  }

  // A large version, its reload started on another event loop, then a small one reloaded at once:
  // the slow large reload must not land after the quick small one.
  void write_twice(int version) {
    if (!put_atomically(version - 1, true)) return;
    std::vector<std::unique_ptr<connection>> slow;
    for (auto& s : run_.servers) {
      slow.push_back(std::make_unique<connection>(s.port));
      slow.back()->send(reload_request());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3 + rng_() % 8));
    if (!put_atomically(version)) return;
    run_.note("fixture versions written twice in quick succession");
    const std::size_t first = rng_() % run_.servers.size();
    for (std::size_t n = 0; n < run_.servers.size(); ++n)
      reload_now((first + n) % run_.servers.size(), version);
    for (std::size_t i = 0; i < slow.size(); ++i) {
      const wire_answer a = slow[i]->receive(reload_request());
      if (a.status != 200)
        run_.fail(run_.servers[i].name + ": POST /__admin/reload of a large file: " + a.describe());
    }
    const auto until = steady::now() + 700ms;
    while (steady::now() < until)
      for (std::size_t i = 0; i < run_.servers.size(); ++i) probe(i, version, version);
  }

  static wire_request reload_request() {
    wire_request r;
    r.method = "POST";
    r.target = "/__admin/reload";
    return r;
  }

  // Half the file, a reload that must refuse it, then the rest: the old version serves meanwhile.
  void write_in_two_steps(int version) {
    const std::string text = fixture_document(version).dump(2);
    run_.book.now_writing(version);
    std::ofstream out(path(), std::ios::binary | std::ios::trunc);
    out << text.substr(0, text.size() / 2) << std::flush;
    for (std::size_t i = 0; i < run_.servers.size(); ++i) expect_refusal(i, "half-written file", "");
    run_.pause(std::chrono::milliseconds(200 + rng_() % 400));
    out << text.substr(text.size() / 2) << std::flush;
    out.close();
    const auto written_at = steady::now();
    run_.note("fixture versions written in two steps");
    for (std::size_t i = 0; i < run_.servers.size(); ++i) await_switch(i, version, written_at);
  }

  void write_broken(int live) {
    const broken_file bad = broken_fixture_file(live + 1, static_cast<unsigned>(rng_()));
    const std::string temp = path() + ".tmp";
    std::ofstream(temp, std::ios::binary | std::ios::trunc) << bad.text;
    if (std::rename(temp.c_str(), path().c_str()) != 0) return run_.fail("cannot rename " + temp);
    run_.note("bad fixture files rejected (" + bad.kind + ")");
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      expect_refusal(i, bad.kind, bad.place);
      expect_still(i, live);
    }
  }

  wire_answer admin(std::size_t i, const std::string& method, const std::string& target) {
    wire_request r;
    r.method = method;
    r.target = target;
    return conns_[i]->exchange(r);
  }

  // POST /__admin/reload must answer 422 naming the file and the mistake's place.
  void expect_refusal(std::size_t i, const std::string& kind, const std::string& place) {
    server_info& s = run_.servers[i];
    const wire_answer a = admin(i, "POST", "/__admin/reload");
    json body = json::parse(a.body, nullptr, false);
    const std::string error = body.is_discarded() ? "" : body.value("error", "");
    if (a.status != 422 || error.find(path()) == std::string::npos || error.find(place) == std::string::npos)
      return run_.fail(s.name + ": a " + kind + " was not refused with 422 naming " +
                       (place.empty() ? "the file" : place) + ": " + a.describe());
    const wire_answer status = admin(i, "GET", "/__admin/fixtures");
    json f = json::parse(status.body, nullptr, false);
    if (f.is_discarded() || !f["last_error"].is_string())
      run_.fail(s.name + ": GET /__admin/fixtures shows no last_error after a " + kind + ": " +
                status.describe());
  }

  // The version being served, checked by the number whose answer names it.
  verdict probe(std::size_t i, int lo, int hi) {
    server_info& s = run_.servers[i];
    query_plan q;
    q.vendor_query = std::string("kddh=") + fixture_trace_number;
    q.authorization = appcode_header(main_account.code);
    q.fault = "none";
    planned p{"fixture probe", q.request(), q, std::nullopt, nullptr, nullptr};
    checked_exchange exchange{run_, s, *conns_[i], nullptr};
    return exchange(p, [&](int, int) { return expect_query(q, s.generation, run_.book, lo, hi); });
  }

  void expect_still(std::size_t i, int live) {
    const verdict v = probe(i, live, live);
    if (v.how.empty())
      run_.fail(run_.servers[i].name + ": a bad fixture file replaced version " + std::to_string(live));
  }

  void reload_now(std::size_t i, int version) {
    server_info& s = run_.servers[i];
    const wire_answer a = admin(i, "POST", "/__admin/reload");
    json body = json::parse(a.body, nullptr, false);
    const std::size_t count = run_.book.plan(version).size();
    if (a.status != 200 || body.is_discarded() || body.value("count", 0u) != count)
      return run_.fail(s.name + ": POST /__admin/reload of version " + std::to_string(version) + ": " +
                       a.describe());
    if (probe(i, version, version).how.empty())
      return run_.fail(s.name + ": right after POST /__admin/reload, version " + std::to_string(version) +
                       " was not served");
    s.live_version = version;
    admin_ok(i);
  }

  void await_switch(std::size_t i, int version, steady::time_point written_at) {
    server_info& s = run_.servers[i];
    for (;;) {
      const verdict v = probe(i, s.live_version, version);
      if (!v.how.empty() && v.matched && v.matched->version == version) break;
      if (v.how.empty()) return;  // already recorded as a wrong answer
      if (steady::now() - written_at > fixture_switch_limit)
        return run_.fail(s.name + ": fixtures did not switch to version " + std::to_string(version) +
                         " within " + std::to_string(std::chrono::seconds(fixture_switch_limit).count()) +
                         " s");
      std::this_thread::sleep_for(20ms);
    }
    s.live_version = version;
    {
      std::lock_guard<std::mutex> lock(run_.mutex);
      run_.switch_ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - written_at).count());
    }
    admin_ok(i);
  }

  // After a valid version is live, the last error is gone.
  void admin_ok(std::size_t i) {
    const wire_answer status = admin(i, "GET", "/__admin/fixtures");
    json f = json::parse(status.body, nullptr, false);
    if (f.is_discarded() || !f["last_error"].is_null())
      run_.fail(run_.servers[i].name + ": last_error stays after a valid reload: " + status.describe());
  }

  soak_run& run_;
  std::mt19937_64 rng_;
  std::vector<std::unique_ptr<connection>> conns_;
  int version_ = 1;  // the newest valid version written
};

// Exhausts the quota AppCode, checks the 403 and the counters, resets via admin, and again.
class quota_prober {
 public:
  quota_prober(soak_run& run, std::size_t index)
      : run_(run), server_(run.servers[index]), conn_(server_.port), rng_(run.options.seed * 97 + index) {}

  void loop() {
    for (unsigned round = 0; run_.pause(std::chrono::milliseconds(800 + rng_() % 1500)); ++round) {
      if (!reset(round % 2 == 0) || !expect_counters(quota_calls, 0, 0)) continue;
      const int unbilled = spend();
      if (unbilled < 0) continue;
      if (!exhausted()) continue;
      if (expect_counters(0, quota_calls, quota_calls + unbilled))
        run_.note("quota rounds (" + server_.name + ")");
    }
  }

 private:
  wire_answer admin(const std::string& method, const std::string& target) {
    wire_request r;
    r.method = method;
    r.target = target;
    return conn_.exchange(r);
  }

  bool reset(bool quotas_only) {
    const wire_answer a = admin("POST", quotas_only ? "/__admin/quotas/reset" : "/__admin/reset");
    if (a.status == 200 && secrets_problem(a.body).empty()) return true;
    run_.fail(server_.name + ": quota reset: " + a.describe());
    return false;
  }

  bool expect_counters(std::int64_t remaining, std::int64_t billed, std::int64_t admitted) {
    const wire_answer a = admin("GET", std::string("/__admin/quotas/") + quota_account.code);
    json q = json::parse(a.body, nullptr, false);
    if (a.status == 200 && !q.is_discarded() && q["remaining"] == remaining && q["billed"] == billed &&
        q["admitted"] == admitted && q["appcode"] == kuaidi::mask_appcode(quota_account.code))
      return true;
    run_.fail(server_.name + ": quota counters: expected remaining " + std::to_string(remaining) +
              ", billed " + std::to_string(billed) + ", admitted " + std::to_string(admitted) + ", got " +
              a.describe());
    return false;
  }

  query_plan quota_query(const std::string& vendor_query) const {
    query_plan q;
    q.vendor_query = vendor_query;
    q.authorization = appcode_header(quota_account.code);
    q.fault = "none";
    return q;
  }

  // Every call that may be billed, plus some that may not; -1 when an answer was wrong.
  int spend() {
    int unbilled = 0;
    for (int billed = 0; billed < quota_calls;) {
      const bool free_call = rng_() % 4 == 0;
      const query_plan q = quota_query(free_call ? "code=zhongtong" : "kddh=" + pick(rng_, run_.pool));
      checked_exchange exchange{run_, server_, conn_, nullptr};
      const verdict v = exchange.query("quota", q);
      if (v.how.empty()) return -1;
      if (v.matched->status / 100 == 2)
        ++billed;
      else
        ++unbilled;
    }
    return unbilled;
  }

  bool exhausted() {
    const query_plan q = quota_query("kddh=" + pick(rng_, run_.pool));
    planned p{"quota", q.request(), q, std::nullopt, nullptr, nullptr};
    expectation e;
    e.answers = {gateway_spec(entry("quota_exhausted"), server_.generation)};
    checked_exchange exchange{run_, server_, conn_, nullptr};
    const verdict v = exchange(p, [&](int, int) { return e; });
    if (!v.how.empty()) run_.note("quota exhausted answers (403 checked)");
    return !v.how.empty();
  }

  soak_run& run_;
  server_info& server_;
  connection conn_;
  std::mt19937_64 rng_;
};

// Samples RSS and descriptors every second, the journal every two, the processes' life always.
class monitor {
 public:
  explicit monitor(soak_run& run) : run_(run) {
    for (auto& s : run.servers) conns_.push_back(std::make_unique<connection>(s.port));
  }

  void loop() {
    for (unsigned tick = 0;; ++tick) {
      sample();
      if (tick % 2 == 0) check_journals();
      if (!run_.pause(1000ms)) break;
    }
    sample();
  }

 private:
  void sample() {
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      server_info& s = run_.servers[i];
      const proc_status p = read_proc_status(s.pid);
      if (!p.alive) {
        if (!dead_[i]) {
          run_.fail(s.name + ": the server process " + std::to_string(s.pid) + " is gone (crashed)");
          run_.note("crashes");
        }
        dead_[i] = true;
        run_.stopping = true;
        continue;
      }
      std::lock_guard<std::mutex> lock(run_.mutex);
      run_.samples.push_back({run_.elapsed_s(), s.name, p.rss_kb, p.hwm_kb, p.threads,
                              mock_test::open_descriptor_count(s.pid), s.sent.load()});
    }
  }

  void check_journals() {
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      wire_request r;
      r.target = "/__admin/journal?limit=" + std::to_string(journal_capacity * 10);
      const wire_answer a = conns_[i]->exchange(r);
      json j = json::parse(a.body, nullptr, false);
      if (a.status != 200 || j.is_discarded()) {
        run_.fail(run_.servers[i].name + ": GET /__admin/journal: " + a.describe());
        continue;
      }
      const std::size_t kept = j.value("kept", std::size_t{0});
      if (kept > journal_capacity || j["entries"].size() != kept ||
          j.value("capacity", 0u) != journal_capacity)
        run_.fail(run_.servers[i].name + ": journal beyond its cap: kept " + std::to_string(kept) +
                  ", capacity " + j["capacity"].dump());
      if (std::string p = secrets_problem(a.body); !p.empty())
        run_.fail(run_.servers[i].name + ": journal: " + p);
      std::lock_guard<std::mutex> lock(run_.mutex);
      run_.journal_max_kept = std::max(run_.journal_max_kept, kept);
      run_.journal_max_bytes = std::max(run_.journal_max_bytes, a.body.size());
    }
  }

  soak_run& run_;
  std::vector<std::unique_ptr<connection>> conns_;
  bool dead_[2] = {false, false};
};

// The journal's count of requests so far (admin calls are not journalled).
std::uint64_t recorded_so_far(const server_info& s) {
  connection c(s.port);
  wire_request r;
  r.target = "/__admin/journal?limit=1";
  r.close = true;
  const wire_answer a = c.exchange(r);
  json j = json::parse(a.body, nullptr, false);
  return j.is_discarded() ? 0 : j.value("recorded", std::uint64_t{0});
}

// After the traffic: every request is in the journal's count and every connection is closed.
void final_checks(soak_run& run) {
  for (std::size_t i = 0; i < run.servers.size(); ++i) {
    server_info& s = run.servers[i];
    if (!read_proc_status(s.pid).alive) continue;
    run.journal_recorded[i] = recorded_so_far(s) - run.journal_before[i];
    if (run.journal_recorded[i] != s.sent)
      run.fail(s.name + ": the journal recorded " + std::to_string(run.journal_recorded[i]) +
               " requests, the driver sent " + std::to_string(s.sent.load()));
    const auto until = steady::now() + descriptor_settle_limit;
    long fds = mock_test::open_descriptor_count(s.pid);
    while (fds > run.baseline_fds[i] && steady::now() < until) {
      std::this_thread::sleep_for(100ms);
      fds = mock_test::open_descriptor_count(s.pid);
    }
    run.final_fds[i] = fds;
    if (fds > run.baseline_fds[i])
      run.fail(s.name + ": " + std::to_string(fds) + " descriptors open after every client left, " +
               std::to_string(run.baseline_fds[i]) + " before the run");
  }
}

// The allocator's arenas settle over ~30 s of cache refills; runs under a minute keep half for judging.
double warmup_seconds(double mixed_s) { return std::max(0.2 * mixed_s, std::min(30.0, 0.5 * mixed_s)); }

int run_soak(const run_options& options, const std::vector<server_arg>& given) {
  std::deque<server_info> servers;
  for (const auto& g : given) {
    server_info& s = servers.emplace_back();
    s.name = g.name;
    s.generation = g.name == "vpc" ? gateway_generation::vpc : gateway_generation::classic;
    s.port = g.port;
    s.pid = g.pid;
  }
  soak_run run(options, servers);
  run.pool = number_pool(options.seed);
  run.vectors = open_profile_vectors(options.vectors_path);
  check_model_against_vectors(run);
  for (std::size_t i = 0; i < servers.size(); ++i) {
    run.baseline_fds[i] =
        mock_test::open_descriptor_count(servers[i].pid);  // before the driver's first connection
    run.journal_before[i] = recorded_so_far(servers[i]);
  }
  run.started = steady::now();
  {  // the workers' connections close when they go, before the descriptors are counted
    monitor watch(run);
    std::thread watching([&] { watch.loop(); });
    fixture_writer writer(run);
    std::vector<std::thread> primers;
    primers.emplace_back([&writer] { writer.prime(); });
    for (int i = 0; i < options.clients; ++i) primers.emplace_back([&run] { prime_loop(run); });
    for (auto& t : primers) t.join();
    run.timed_from_s = run.elapsed_s();
    run.warm_until_s = run.timed_from_s + warmup_seconds(options.seconds);
    run.deadline =
        steady::now() + std::chrono::milliseconds(static_cast<std::int64_t>(options.seconds * 1000));

    std::thread writing([&] { writer.loop(); });
    std::vector<std::unique_ptr<quota_prober>> probers;
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < servers.size(); ++i)
      probers.push_back(std::make_unique<quota_prober>(run, i));
    for (auto& p : probers) threads.emplace_back([&p] { p->loop(); });
    for (int i = 0; i < options.clients; ++i) threads.emplace_back([&run, i] { client_loop(run, i); });
    std::thread clock([&] {
      while (steady::now() < run.deadline && !run.stopping) std::this_thread::sleep_for(50ms);
      run.stopping = true;
    });
    for (auto& t : threads) t.join();
    writing.join();
    clock.join();
    watching.join();
  }
  const double ran_s = run.elapsed_s();
  final_checks(run);

  std::ostringstream md;
  const bool passed = report(run, ran_s, md);
  json servers_summary = json::object();
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const rss_verdict r = rss_of(run, servers[i].name);
    servers_summary[servers[i].name] = {
        {"requests", servers[i].sent.load()},
        {"journal_recorded", run.journal_recorded[i]},
        {"rss_kb",
         {{"start", r.start_kb},
          {"warm_peak", r.warm_peak_kb},
          {"after_peak", r.after_peak_kb},
          {"end", r.end_kb}}},
        {"fds", {{"before", run.baseline_fds[i]}, {"after", run.final_fds[i]}}}};
  }
  std::ofstream(options.out_dir + "/SOAK.md") << md.str();
  write_samples(run, options.out_dir + "/rss.csv");
  json summary = {{"passed", passed},
                  {"seconds", ran_s},
                  {"priming_seconds", run.timed_from_s},
                  {"warm_until_seconds", run.warm_until_s},
                  {"wrong_answers", run.wrong_count},
                  {"failed_checks", run.failures},
                  {"outcomes", run.outcomes},
                  {"kinds", run.kinds},
                  {"facts", run.facts},
                  {"servers", servers_summary}};
  std::ofstream(options.out_dir + "/summary.json") << summary.dump(2) << "\n";
  std::cout << md.str();
  return passed ? 0 : 1;
}

}  // namespace kuaidi::soak
