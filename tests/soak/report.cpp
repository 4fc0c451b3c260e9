// The soak's report: SOAK.md (verdicts, outcomes, coverage, RSS) and the raw RSS samples.

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "run.hpp"

namespace kuaidi::soak {

rss_verdict rss_of(const soak_run& run, const std::string& server) {
  rss_verdict v;
  for (const auto& s : run.samples) {
    if (s.server != server) continue;
    if (v.start_kb == 0) v.start_kb = s.rss_kb;
    long& peak = s.t_s <= run.warm_until_s ? v.warm_peak_kb : v.after_peak_kb;
    peak = std::max(peak, s.rss_kb);
    v.end_kb = s.rss_kb;
  }
  const long grown = v.after_peak_kb - v.warm_peak_kb;
  v.growth = v.warm_peak_kb > 0 ? static_cast<double>(grown) / static_cast<double>(v.warm_peak_kb) : 0;
  v.ok = v.after_peak_kb > 0 && (grown <= rss_floor_kb || v.growth <= rss_growth_limit);
  return v;
}

std::string mb(long kb) { return soak_run::fixed1(static_cast<double>(kb) / 1024) + " MB"; }

void write_samples(const soak_run& run, const std::string& path) {
  std::ofstream out(path);
  out << "t_s,server,rss_kb,hwm_kb,threads,fds,requests_sent\n";
  for (const auto& s : run.samples)
    out << soak_run::fixed1(s.t_s) << "," << s.server << "," << s.rss_kb << "," << s.hwm_kb << ","
        << s.threads << "," << s.fds << "," << s.requests << "\n";
}

std::string counts_table(const counts& c, const char* what) {
  std::string out = std::string("| ") + what + " | answers |\n|---|---:|\n";
  for (const auto& [k, v] : c) out += "| " + k + " | " + std::to_string(v) + " |\n";
  return out;
}

std::string coverage_table(const soak_run& run, std::vector<std::string>& missing) {
  std::string out = "| catalogue entry | classic | vpc |\n|---|---:|---:|\n";
  for (const scenario& s : all_scenarios()) {
    out += "| `" + std::string(s.id) + "` |";
    for (const auto& server : run.servers) {
      const auto it = run.coverage.find(std::string(s.id) + "|" + server.name);
      const std::uint64_t n = it == run.coverage.end() ? 0 : it->second;
      if (n == 0) missing.push_back(std::string(s.id) + " (" + server.name + ")");
      out += " " + std::to_string(n) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string percentile(std::vector<double> v, double p) {
  if (v.empty()) return "–";
  std::sort(v.begin(), v.end());
  return soak_run::fixed1(v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))]) + " ms";
}

// The report; true when every check passed.
bool report(soak_run& run, double ran_s, std::ostream& md) {
  const double timed_s = ran_s - run.timed_from_s;
  std::uint64_t requests = 0;
  for (const auto& s : run.servers) requests += s.sent;
  const std::uint64_t crashes = run.facts.count("crashes") ? run.facts["crashes"] : 0;
  std::vector<std::string> missing;
  const std::string coverage = coverage_table(run, missing);
  if (!missing.empty() && crashes == 0) {  // after a crash only the crash matters
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    run.fail("catalogue entries never answered: " + list);
  }
  std::vector<rss_verdict> rss;
  for (const auto& s : run.servers) {
    rss.push_back(rss_of(run, s.name));
    if (!rss.back().ok && crashes == 0)
      run.fail(s.name + ": RSS peaked at " + mb(rss.back().after_peak_kb) + " after the warm-up, " +
               mb(rss.back().warm_peak_kb) + " before");
  }
  const bool passed = run.wrong_count == 0 && run.failures.empty();

  md << "# kuaidi-mock soak\n\n"
     << "**" << (passed ? "PASSED" : "FAILED") << "**: " << requests << " requests in "
     << soak_run::fixed1(ran_s) << " s ("
     << static_cast<std::uint64_t>(static_cast<double>(requests) / std::max(ran_s, 1.0)) << " req/s, "
     << run.options.clients << " clients; " << soak_run::fixed1(run.timed_from_s) << " s of priming, then "
     << soak_run::fixed1(timed_s) << " s of mixed traffic), " << run.wrong_count << " wrong answers, "
     << crashes << " crashes, " << run.failures.size() << " other failed checks.\n\n"
     << "Two servers at once, `--gateway classic` and `--gateway vpc`, each with `";
  for (const auto& a : server_args()) md << a << " ";
  md << "--fixtures <file> --seed " << run.options.seed << "`. Driver: `tests/soak/`; run by "
     << "`scripts/soak_mock.sh [minutes]`.\n\n";

  md << "## Rules\n\n"
     << "- An answer is right when status, Content-Type, body bytes and the documented headers "
        "(X-Ca-Error-Message; "
        "X-Ca-Error-Code with the VPC gateway only; one X-Ca-Request-Id UUID; Access-Control-Allow-Origin) "
        "equal what "
        "the core builds for the catalogue entry the request reaches (synthetic traces by the mock's "
        "generator with "
        "the pinned clock; fixtures by the version on disk).\n"
     << "- An asked fault (`X-Mock-Fault`/`__fault`) must give exactly its documented effect: reset = RST "
        "before any "
        "byte; truncate = whole Content-Length, half the body, close; malformed = complete answer, body cut "
        "to 3/5; a "
        "gateway fault = that gateway answer.\n"
     << "- Without an asked fault the server's random faults may strike (rate " << server_fault_rate
     << "): the answer "
        "may then be the malformed or truncated form of the right one, or, once the gateway admitted the "
        "call, exactly "
        "one of the gateway answers of `--faults`. Resets are never random here, so an unasked reset is "
        "wrong.\n"
     << "- Answers on fixture numbers must belong to a version between the newest one confirmed live before "
        "the "
        "request and the newest one written after it, and never go back to an older version on one "
        "connection; "
        "right after a reload answers 200, only the version it loaded. A large version is sometimes written, "
        "its reload started, and a small one written and reloaded at once (during the warm-up only: large "
        "reloads fragment the heap): the large must not come back.\n"
     << "- Priming first sends every one of " << run.pool.size()
     << " numbers once per server, so the mock's "
        "bounded trace and answer caches fill (and clear), and reloads a large fixture file on the watcher "
        "and "
        "on the event loops, before memory is judged. Warm-up: priming plus the first "
        "20 % of the mixed traffic, at least 30 s of it (half of it in runs under a minute), until "
     << soak_run::fixed1(run.warm_until_s)
     << " s. RSS: the peak after the "
        "warm-up at most 10 % above the peak until its end (the caches clear and refill, so instants are not "
        "compared), growth under "
     << mb(rss_floor_kb) << " ignored. Journal: `kept` <= capacity " << journal_capacity
     << " at every sample, `recorded` equal to the requests sent. Descriptors back to their count "
        "before the run once the clients leave.\n\n";

  md << "## Answers\n\n"
     << counts_table(run.outcomes, "outcome") << "\n"
     << counts_table(run.kinds, "traffic") << "\n";
  md << "### Every catalogue entry, by gateway mode\n\n" << coverage << "\n";

  md << "## Fixtures and quotas\n\n| check | count |\n|---|---:|\n";
  for (const auto& [k, v] : run.facts) md << "| " << k << " | " << v << " |\n";
  md << "\nSwitch to a new version on the watcher (poll 250 ms): median " << percentile(run.switch_ms, 0.5)
     << ", max " << percentile(run.switch_ms, 1.0) << " over " << run.switch_ms.size() << " switches (limit "
     << std::chrono::seconds(fixture_switch_limit).count() << " s).\n\n";

  md << "## Memory, descriptors, journal\n\n| server | RSS start | peak by warm-up end | peak after | end | "
        "growth | fds before | fds after | journal recorded / sent |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (std::size_t i = 0; i < run.servers.size(); ++i) {
    const auto& r = rss[i];
    md << "| " << run.servers[i].name << " | " << mb(r.start_kb) << " | " << mb(r.warm_peak_kb) << " | "
       << mb(r.after_peak_kb) << " | " << mb(r.end_kb) << " | " << soak_run::fixed1(r.growth * 100) << " %"
       << (r.ok ? "" : " **over**") << " | " << run.baseline_fds[i] << " | " << run.final_fds[i] << " | "
       << run.journal_recorded[i] << " / " << run.servers[i].sent << " |\n";
  }
  md << "\nJournal: at most " << run.journal_max_kept << " entries kept (cap " << journal_capacity
     << "), the full "
     << "listing at most " << run.journal_max_bytes / 1024 << " KB. RSS every second: `rss.csv`.\n\n";

  if (!run.failures.empty()) {
    md << "## Failed checks\n\n";
    for (const auto& f : run.failures) md << "- " << f << "\n";
    md << "\n";
  }
  if (run.wrong_count > 0) {
    md << "## Wrong answers (first " << run.wrong.size() << " of " << run.wrong_count << ")\n\n";
    for (const auto& w : run.wrong)
      md << "- **" << w.server << "** at " << soak_run::fixed1(w.at_s) << " s, " << w.kind << ": "
         << w.problem << "\n  - request: `" << w.request << "`\n  - expected: " << w.expected
         << "\n  - got: " << w.got << "\n";
    md << "\n";
  }
  return passed;
}

}  // namespace kuaidi::soak
