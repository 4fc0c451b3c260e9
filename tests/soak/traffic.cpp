// The traffic mix: natural queries over a pool of numbers, forced scenarios, refused AppCodes,
// asked faults, fixtures, the vectors' cases, other paths and admin reads; and the client loops.

#include <algorithm>
#include <memory>
#include <random>

#include "kuaidi/accounts.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/response.hpp"
#include "run.hpp"

namespace kuaidi::soak {

std::string digits(std::mt19937_64& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

char upper_letter(std::mt19937_64& rng) { return static_cast<char>('A' + rng() % 26); }

// Numbers in the shapes carriers issue (and some no carrier issues), for natural traffic.
std::string number_like(std::mt19937_64& rng) {
  switch (rng() % 12) {
    case 0:
    case 1: return "JT" + digits(rng, 13);
    case 2:
    case 3: return "YT" + digits(rng, 13);
    case 4: return "SF" + digits(rng, 13);
    case 5: return std::string("7") + "345668"[rng() % 6] + digits(rng, 12);
    case 6: return "77" + digits(rng, 11 + static_cast<int>(rng() % 3));
    case 7: return std::string(1, "34"[rng() % 2]) + digits(rng, 14);
    case 8: return std::string("JD") + upper_letter(rng) + upper_letter(rng) + digits(rng, 11);
    case 9: return std::string("E") + upper_letter(rng) + digits(rng, 9) + "CN";
    case 10: return digits(rng, 12);
    default: return "ZZ" + digits(rng, 10);
  }
}

std::vector<std::string> number_pool(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> pool;
  while (pool.size() < pool_size) {
    std::string n = number_like(rng);
    if (!is_fixture_number(n) && n.rfind(padding_prefix, 0) != 0) pool.push_back(std::move(n));
  }
  return pool;
}

// kddh as users send it (case, a space), with a phone tail or a carrier code now and then.
std::string natural_vendor_query(std::mt19937_64& rng, const std::string& number) {
  std::string kddh = number;
  const unsigned variant = rng() % 100;
  if (variant < 5)
    kddh = text::lower(kddh);
  else if (variant < 8)
    kddh.insert(kddh.size() / 2, "%20");
  std::string q = "kddh=" + kddh;
  const unsigned tel = rng() % 100;
  const bool sf = number.rfind("SF", 0) == 0;
  if (tel < (sf ? 50u : 12u))
    q += "&tel=" + digits(rng, 4);
  else if (tel < (sf ? 55u : 15u))
    q += std::string("&tel=1") + "3578"[rng() % 4] + digits(rng, 9);
  else if (tel < (sf ? 57u : 17u))
    q += "&tel=tel";
  const unsigned code = rng() % 100;
  const auto carriers = all_carriers();
  if (code < 5)
    q += "&code=" + std::string(carriers.first[rng() % carriers.size()].code);
  else if (code < 7)
    q += "&code=nosuch";
  return q;
}

std::string appcode_header(const char* code) { return std::string("APPCODE ") + code; }

std::optional<std::string> main_authorization(std::mt19937_64& rng) {
  switch (rng() % 20) {
    case 0: return std::string("appcode ") + main_account.code;  // the keyword is case-insensitive
    case 1: return std::string("APPCODE   ") + main_account.code;
    default: return appcode_header(main_account.code);
  }
}

std::string secrets_problem(const std::string& body) {
  for (const soak_account* a :
       {&main_account, &quota_account, &refused_accounts[0], &refused_accounts[1], &refused_accounts[2]})
    if (body.find(a->code) != std::string::npos)
      return std::string("an AppCode appears unmasked: ") + kuaidi::mask_appcode(a->code);
  return {};
}

// The traffic mix. Each maker returns a request and how to judge it.
class traffic {
 public:
  traffic(soak_run& run, std::uint64_t seed) : run_(run), rng_(seed) {}

  planned next(server_info& s) {
    const unsigned roll = rng_() % 100;
    if (roll < 32) return natural();
    if (roll < 50) return forced();
    if (roll < 57) return refused();
    if (roll < 67) return asked_fault();
    if (roll < 70) return delayed();
    if (roll < 81) return fixture_query();
    if (roll < 86) return vector_case();
    if (roll < 93) return other_path();
    if (roll < 95) return mock_error();
    return admin_read(s);
  }

 private:
  planned from_query(const char* kind, query_plan q) {
    q.close = rng_() % 25 == 0;
    return {kind, q.request(), q, std::nullopt, nullptr, nullptr};
  }

  planned natural() {
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    q.authorization = main_authorization(rng_);
    if (rng_() % 10 < 3) q.fault = "none";
    q.head = rng_() % 10 == 0;
    return from_query(q.head ? "natural HEAD" : "natural", q);
  }

  // Round robin over entries and routes: every entry is reached early, however slow the machine.
  planned forced() {
    const auto every = all_scenarios();
    const std::uint64_t turn = run_.forced_turn++;
    const scenario& chosen = every.first[turn % every.size()];
    const unsigned route = static_cast<unsigned>((turn / every.size()) % 3);
    query_plan q;
    if (route == 2) {
      const std::string reserved(kuaidi::reserved_for(chosen.id)->tracking_number);
      q.vendor_query = "kddh=" + (rng_() % 4 == 0 ? text::lower(reserved) : reserved);
    } else {
      if (rng_() % 5 != 0) q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
      q.scenario = std::string(chosen.id);
      q.scenario_in_query = route == 1;
    }
    const bool gateway = chosen.source == answer_source::gateway;
    if (!gateway || rng_() % 3 != 0) q.authorization = main_authorization(rng_);
    if (rng_() % 10 < 3) q.fault = "none";
    return from_query("forced", q);
  }

  planned refused() {
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    switch (rng_() % 7) {
      case 0: break;  // no Authorization
      case 1: q.authorization = "APPCODE"; break;
      case 2: q.authorization = "Basic c29hazpzb2Fr"; break;
      case 3: q.authorization = "APPCODE SOAKNOSUCHCODE0009"; break;
      default: q.authorization = appcode_header(refused_accounts[rng_() % 3].code);
    }
    if (rng_() % 4 == 0)
      q.fault = rng_() % 2 ? "reset" : "timeout";  // a refusal comes first; a reset still cuts it
    return from_query("refused", q);
  }

  planned asked_fault() {
    static const std::vector<std::string> named = {"reset",   "truncate", "malformed",
                                                   "timeout", "throttle", "none"};
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    q.authorization = main_authorization(rng_);
    if (rng_() % 4 == 0) {
      std::vector<std::string> gateway_ids;
      for (const scenario& s : all_scenarios())
        if (s.source == answer_source::gateway) gateway_ids.emplace_back(s.id);
      q.fault = pick(rng_, gateway_ids);
    } else {
      q.fault = pick(rng_, named);
    }
    q.fault_in_query = rng_() % 3 == 0;
    return from_query("asked fault", q);
  }

  planned delayed() {
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    q.authorization = main_authorization(rng_);
    const unsigned kind = rng_() % 10;
    if (kind < 4)
      q.latency = std::to_string(1 + rng_() % 20);
    else if (kind < 7)
      q.latency = "1-25";
    else
      q.latency = std::to_string(backend_timeout_ms) +
                  (kind == 9 ? "-" + std::to_string(backend_timeout_ms + 30) : "");
    q.latency_in_query = rng_() % 3 == 0;
    return from_query("latency", q);
  }

  planned fixture_query() {
    static const std::vector<std::string> numbers = {fixture_trace_number, fixture_scenario_number,
                                                     fixture_response_number, fixture_tel_number,
                                                     fixture_blink_number};
    query_plan q;
    const std::string& number = pick(rng_, numbers);
    q.vendor_query = "kddh=" + number;
    if (number == fixture_tel_number) {
      const unsigned tel = rng_() % 3;
      if (tel == 0)
        q.vendor_query += std::string("&tel=") + fixture_tel;
      else if (tel == 1)
        q.vendor_query += "&tel=" + digits(rng_, 4);
    }
    q.authorization = main_authorization(rng_);
    if (rng_() % 10 < 3) q.fault = "none";
    return from_query("fixture", q);
  }

  // The natural triggers of tests/vectors/mock_natural.json ("open" profile), as data.
  planned vector_case() {
    const json& v = pick(rng_, run_.vectors);
    const std::string path = v.value("path", std::string("/query"));
    std::string query = v["query"].get<std::string>();
    if (const auto at = query.find("{8000 x}"); at != std::string::npos)
      query.replace(at, 8, std::string(8000, 'x'));
    const scenario& s = entry(v["id"].get<std::string>());
    planned p;
    p.kind = "vector";
    p.request.target = path + "?" + query;
    p.request.headers.emplace_back("Authorization", appcode_header(main_account.code));
    p.request.headers.emplace_back("X-Mock-Fault", "none");
    if (s.source == answer_source::gateway) {
      p.gateway = &s;
      return p;
    }
    const std::string kdmc =
        v.contains("kdmc_of") ? std::string(find_carrier(v["kdmc_of"].get<std::string>())->name_zh) : "";
    const std::string kddh = v.value("kddh", std::string());
    p.fixed = s.id == "success" ? synthetic_trace_spec(kddh, *find_carrier(v["kdmc_of"].get<std::string>()))
                                : vendor_spec(s, kdmc, kddh, v.value("appid", std::string()));
    return p;
  }

  planned other_path() {
    planned p;
    p.kind = "other path";
    switch (rng_() % 6) {
      case 0: p.request.target = "/nosuch?kddh=" + pick(rng_, run_.pool); break;
      case 1:
        p.request.method = "POST";
        p.request.target = "/query?kddh=" + pick(rng_, run_.pool);
        break;
      case 2:
        p.request.method = "POST";
        p.request.target = "/query";
        p.request.body = "{\"kddh\":\"JT3084743373888\"}";
        break;
      case 3: {
        p.request.target =
            "/query?kddh=" + pick(rng_, run_.pool) + "&pad=" + std::string(max_url_length, 'y');
        p.gateway = &entry("url_too_long");
        return p;
      }
      case 4: {
        p.request.method = "OPTIONS";
        p.request.target = "/query?kddh=" + pick(rng_, run_.pool);
        p.request.headers = {{"Origin", "http://soak.example"},
                             {"Access-Control-Request-Method", "GET"},
                             {"Access-Control-Request-Headers", "authorization,x-mock-scenario"}};
        answer_spec ok;
        ok.label = "preflight";
        ok.status = 200;
        ok.required = {{"Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH"},
                       {"Access-Control-Max-Age", "172800"}};
        ok.forbidden = {"X-Ca-Error-Message", "Access-Control-Expose-Headers"};
        p.fixed = ok;
        return p;
      }
      default:
        p.request.target = "/openapi.json";
        p.custom = [](const wire_answer& a) -> std::string {
          json doc = json::parse(a.body, nullptr, false);
          if (a.status != 200 || doc.is_discarded() || !doc.contains("openapi") ||
              !doc["paths"].contains("/query"))
            return "GET /openapi.json: " + a.describe();
          return {};
        };
        return p;
    }
    if (rng_() % 2) p.request.headers.emplace_back("Authorization", appcode_header(main_account.code));
    p.gateway = &entry("api_not_found");
    return p;
  }

  planned mock_error() {
    const bool bad_scenario = rng_() % 2 == 0;
    query_plan q;
    q.vendor_query = "kddh=" + pick(rng_, run_.pool);
    q.authorization = appcode_header(main_account.code);
    const std::string wrong = bad_scenario ? "soak_no_such_scenario" : "soon";
    planned p{"mock error", {}, std::nullopt, std::nullopt, nullptr, nullptr};
    p.request = q.request();
    p.request.headers.emplace_back(bad_scenario ? "X-Mock-Scenario" : "X-Mock-Latency", wrong);
    p.custom = [wrong](const wire_answer& a) -> std::string {
      json body = json::parse(a.body, nullptr, false);
      if (a.status != 400 || a.header("X-Mock-Error") != std::optional<std::string>("1") ||
          body.is_discarded() || body.value("error", std::string()).find(wrong) == std::string::npos ||
          !body.contains("hint"))
        return "expected 400 with X-Mock-Error and an error naming '" + wrong + "', got " + a.describe();
      return {};
    };
    return p;
  }

  planned admin_read(server_info& s) {
    planned p{"admin", {}, std::nullopt, std::nullopt, nullptr, nullptr};
    const gateway_generation g = s.generation;
    switch (rng_() % 5) {
      case 0:
        p.request.target = "/__admin/health";
        p.custom = [g, path = run_.options.fixtures_path](const wire_answer& a) -> std::string {
          json h = json::parse(a.body, nullptr, false);
          if (a.status != 200 || h.is_discarded() || h.value("status", "") != "ok" ||
              h.value("gateway", "") != to_string(g) || h.value("clock_pinned", false) != true ||
              !h.contains("fixtures") || h["fixtures"].value("path", "") != path)
            return "health: " + a.describe();
          return {};
        };
        break;
      case 1:
        p.request.target = "/__admin/scenarios";
        p.custom = [g](const wire_answer& a) { return scenarios_problem(a, g); };
        break;
      case 2: {
        const std::size_t limit = 1 + rng_() % 50;
        p.request.target = "/__admin/journal?limit=" + std::to_string(limit);
        p.custom = [limit](const wire_answer& a) -> std::string {
          json j = json::parse(a.body, nullptr, false);
          if (a.status != 200 || j.is_discarded() || j.value("capacity", 0u) != journal_capacity ||
              j["entries"].size() > limit || j.value("kept", 0u) > journal_capacity)
            return "journal: " + a.describe();
          return secrets_problem(a.body);
        };
        break;
      }
      case 3:
        p.request.target = "/__admin/quotas";
        p.custom = [](const wire_answer& a) -> std::string {
          json q = json::parse(a.body, nullptr, false);
          if (a.status != 200 || q.is_discarded() || q["appcodes"].size() != 5)
            return "quotas: " + a.describe();
          return secrets_problem(a.body);
        };
        break;
      default:
        p.request.target = "/__admin/fixtures";
        p.custom = [path = run_.options.fixtures_path](const wire_answer& a) -> std::string {
          json f = json::parse(a.body, nullptr, false);
          if (a.status != 200 || f.is_discarded() || f.value("path", "") != path)
            return "fixtures: " + a.describe();
          return {};
        };
    }
    return p;
  }

 public:
  // The catalogue as the server lists it: same ids in the same order, same answers.
  static std::string scenarios_problem(const wire_answer& a, gateway_generation g) {
    json listed = json::parse(a.body, nullptr, false);
    if (a.status != 200 || listed.is_discarded()) return "scenarios: " + a.describe();
    const auto every = all_scenarios();
    if (listed["scenarios"].size() != every.size()) return "scenarios: wrong count";
    std::size_t i = 0;
    for (const scenario& s : every) {
      const json& e = listed["scenarios"][i++];
      if (e.value("id", "") != s.id || e.value("answer", "") != kuaidi::describe_answer(s, g) ||
          e.value("reserved_kddh", "") != kuaidi::reserved_for(s.id)->tracking_number)
        return "scenarios: entry " + std::string(s.id) + " differs: " + e.dump();
    }
    return {};
  }

 private:
  soak_run& run_;
  std::mt19937_64 rng_;
};

std::function<expectation(int, int)> expectation_of(const planned& p, server_info& s, fixture_book& book) {
  if (p.query)
    return
        [q = *p.query, g = s.generation, &book](int lo, int hi) { return expect_query(q, g, book, lo, hi); };
  expectation e;
  if (p.custom)
    e.custom = p.custom;
  else if (p.gateway)
    e.answers = {gateway_spec(*p.gateway, s.generation)};
  else
    e.answers = {*p.fixed};
  return [e](int, int) { return e; };
}

// The coverage key of an answer: which catalogue entry, in which gateway mode.
std::string coverage_key(const verdict& v, const server_info& s) {
  if (!v.matched) return {};
  std::string label = v.matched->label;
  if (label.rfind("fixture v", 0) == 0) {
    const auto last = label.rfind(' ');
    label = label.substr(last + 1);
    if (!find_scenario(label)) return {};
  }
  if (!find_scenario(label)) return {};
  return label + "|" + s.name;
}

void prime_loop(soak_run& run) {
  std::vector<std::unique_ptr<connection>> conns;
  for (auto& s : run.servers) conns.push_back(std::make_unique<connection>(s.port));
  counts outcomes;
  for (;;) {
    const std::size_t turn = run.prime_turn++;
    if (turn >= run.pool.size() * run.servers.size() || run.stopping) break;
    const std::size_t si = turn % run.servers.size();
    server_info& s = run.servers[si];
    query_plan q;
    q.vendor_query = "kddh=" + run.pool[turn / run.servers.size()];
    q.authorization = appcode_header(main_account.code);
    q.fault = "none";
    if (natural_specs(q.vendor_query, s.generation, run.book, 1, 1).front().label != "success")
      q.scenario = "success";
    checked_exchange{run, s, *conns[si], &outcomes}.query("prime", q);
  }
  std::lock_guard<std::mutex> lock(run.mutex);
  merge(run.outcomes, outcomes);
}

void client_loop(soak_run& run, int index) {
  traffic mix(run, run.options.seed * 1000003 + static_cast<std::uint64_t>(index));
  std::vector<std::unique_ptr<connection>> conns;
  for (auto& s : run.servers) conns.push_back(std::make_unique<connection>(s.port));
  counts kinds, outcomes, coverage;
  int version_floor[2] = {0, 0};  // per server: the oldest version its answers may still come from
  std::mt19937_64 rng(run.options.seed + static_cast<std::uint64_t>(index) * 7919);
  while (!run.stopping && steady::now() < run.deadline) {
    const std::size_t si = rng() % run.servers.size();
    server_info& s = run.servers[si];
    const planned p = mix.next(s);
    checked_exchange exchange{run, s, *conns[si], &outcomes};
    const verdict v = exchange(p, expectation_of(p, s, run.book));
    ++kinds[p.kind];
    if (const std::string key = coverage_key(v, s); !key.empty()) ++coverage[key];
    if (v.matched && v.matched->version > 0) {
      if (v.matched->version < version_floor[si])
        run.record_wrong({s.name, p.kind, p.request.describe(),
                          "fixture version >= " + std::to_string(version_floor[si]),
                          v.matched->label + " (fits versions " + std::to_string(v.matched->oldest_version) +
                              ".." + std::to_string(v.matched->version) + ")",
                          "answers went back to older fixtures"});
      version_floor[si] = std::max(version_floor[si], v.matched->oldest_version);
    }
  }
  std::lock_guard<std::mutex> lock(run.mutex);
  merge(run.kinds, kinds);
  merge(run.outcomes, outcomes);
  merge(run.coverage, coverage);
}

}  // namespace kuaidi::soak
