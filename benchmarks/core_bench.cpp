// Micro-benchmarks of the core's hot calls, the same program natively and as WebAssembly under
// node (scripts/bench_core.sh runs both and compares). No framework. Each operation cycles over a
// fixed mix of inputs; after a warm-up (which lets node's JIT tier up) it runs in batches of about
// 2 ms. The machine is shared with other work, so a batch counts the lesser of its wall time and
// the process's CPU time: both bound the calls' own time from above, the first inflated by waits
// for a core, the second (under node) by V8's background threads compiling the module. A run's
// figure is its fastest batch; the figure printed is the median of several runs, in nanoseconds
// per call.
//
// Output: one line per operation, "name<TAB>ns_per_call<TAB>calls_per_batch", after a header line
// starting with '#'. --quick: fewer, shorter runs. --only=PREFIX: just the operations whose name
// starts with PREFIX; --calls=N: exactly N calls each, no warm-up (for callgrind's instruction
// counts, which a loaded machine does not disturb).

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <ctime>
#endif

#include "kuaidi/carriers.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/simulator.hpp"

namespace {

using namespace kuaidi;
using bench_clock = std::chrono::steady_clock;

#ifdef __EMSCRIPTEN__
// Node's process CPU time (all its threads; after the warm-up only the main one is busy).
EM_JS(double, process_cpu_ns, (), {
  const used = process.cpuUsage();
  return (used.user + used.system) * 1000;
});
#else
double process_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}
#endif

// Queries the mock receives, valid and not, after tests/vectors/request.json.
const char* const queries[] = {
    "kddh=JT3084743373888",
    "kddh=SF1385628716739&tel=8888",
    "kddh=YT8962646785389&code=yuantong",
    "kddh=78627123412758",
    "kddh=%20jt3084%20743373888%20",
    "kddh=JDVA11408814483-1-2",
    "kddh=SF1385628716739&tel=%2B8613812345678",
    "kddh=RB123456785GB",
    "kddh=1Z5R89390357567127&code=ups",
    "kddh=JT3084743373888&code=shunfeng",
    "code=zhongtong",
    "kddh=",
    "kddh=123456789012345678901",
    "kddh=SF1385628716739:8888",
    "kddh=JT3084743373888&tel=12a4",
    "kddh=78627****758",
    "kddh=1234567",
    "kddh=%FF%FE12345678",
};

// carriers.md's sample numbers, one or more per carrier.
const char* const numbers[] = {
    "SF1385628716739",
    "73610555582883",
    "YT8962646785389",
    "773277027280336",
    "463431409940372",
    "JT3084743373888",
    "JDVA11408814483",
    "JDX024407261700",
    "EA193686754CN",
    "9890129957456",
    "CP259658985CN",
    "DPK202252612836",
    "1207119765021",
    "3318810025",
    "K10010195232",
    "SN0030000041011500",
    "YT2229521272164446",
    "1Z5R89390357567127",
    "9611020987654312345672",
    "9400111206206406260787",
    "RB123456785GB",
    "RB123456786US",
    "EA262212875HK",
    "300527476792",
    "6115049366",
    "106027097895",
    "76900740176",
    "041441760228964",
};

http_answer answer(int status, std::vector<http_header> headers, std::string body,
                   bool headers_readable = true) {
  http_answer a;
  a.http_status = status;
  a.headers = std::move(headers);
  a.body = std::move(body);
  a.headers_readable = headers_readable;
  return a;
}

// The vendor page's examples.
const std::string vendor_success =
    "{\"ok\":1,\"msg\":\"查询成功\",\"status\":2,\"kdmc\":\"中通快递\",\"kddh\":\"78627****758\","
    "\"data\":[{\"time\":\"2022-10-27 19:18:40\",\"content\":\"【泉州市】快件离开【福建营销部】已发往"
    "【泉州中转部】\"},{\"time\":\"2022-10-27 19:13:12\",\"content\":\"【泉州市】【福建营销部】"
    "(189****0)的舒宝(189****0)已揽收\"}]}";
const std::string vendor_failure =
    "{\"ok\":0,\"msg\":\"请传入快递单号【kddh字段】\",\"status\":0,\"kdmc\":\"\",\"kddh\":\"\",\"data\":[]}";

struct operation {
  const char* name;
  std::function<std::size_t(std::size_t)> call;  // one call on input i; returns something to keep
  std::size_t inputs;
};

volatile std::size_t sink;  // results flow here so the optimiser cannot drop the calls

double nanoseconds_per_call(const operation& op, std::size_t calls) {
  std::size_t keep = 0;
  const double cpu_start = process_cpu_ns();
  const auto wall_start = bench_clock::now();
  for (std::size_t i = 0; i < calls; ++i) keep += op.call(i % op.inputs);
  const std::chrono::duration<double, std::nano> wall = bench_clock::now() - wall_start;
  const double cpu = process_cpu_ns() - cpu_start;
  sink = sink + keep;
  return std::min(wall.count(), cpu) / static_cast<double>(calls);
}

struct settings {
  int runs = 5;
  int batches_per_run = 50;
  double batch_ms = 2;
  double warm_up_ms = 300;
};

double median_of_fastest_batches(const operation& op, const settings& s, std::size_t& calls) {
  // Warm up, doubling the batch until one takes batch_ms; keep going until warm_up_ms.
  calls = op.inputs;
  const auto warm_up_end = bench_clock::now() + std::chrono::duration<double, std::milli>(s.warm_up_ms);
  do {
    if (nanoseconds_per_call(op, calls) * static_cast<double>(calls) < s.batch_ms * 1e6) calls *= 2;
  } while (bench_clock::now() < warm_up_end);
  std::vector<double> runs;
  for (int r = 0; r < s.runs; ++r) {
    double fastest = nanoseconds_per_call(op, calls);
    for (int b = 1; b < s.batches_per_run; ++b) fastest = std::min(fastest, nanoseconds_per_call(op, calls));
    runs.push_back(fastest);
  }
  std::nth_element(runs.begin(), runs.begin() + s.runs / 2, runs.end());
  return runs[static_cast<std::size_t>(s.runs / 2)];
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  std::string only;
  std::size_t fixed_calls = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) s.runs = 3, s.batches_per_run = 10, s.warm_up_ms = 100;
    if (std::strncmp(argv[i], "--only=", 7) == 0) only = argv[i] + 7;
    if (std::strncmp(argv[i], "--calls=", 8) == 0) fixed_calls = std::strtoull(argv[i] + 8, nullptr, 10);
  }
  const std::vector<http_answer> vendor = {answer(200, {}, vendor_success), answer(666, {}, vendor_failure)};
  const std::vector<http_answer> gateway = {
      answer(403,
             {{"X-Ca-Request-Id", "5F2C3B1A-0000-4000-8000-000000000001"},
              {"X-Ca-Error-Message", "Quota Exhausted"}},
             ""),
      answer(403, {{"X-Ca-Error-Code", "B403MQ"}, {"X-Ca-Error-Message", "Quota Exhausted"}}, ""),
      answer(403, {}, "", false)};
  const std::vector<http_answer> garbage = {
      answer(200, {}, "<html><body>502 Bad Gateway</body></html>"),
      answer(200, {}, "{\"ok\":1,\"msg\":\"查询成功\",\"sta"), answer(666, {}, "[1,2,3]"),
      answer(200, {}, "{\"ok\":\"1\",\"msg\":5,\"status\":\"x\",\"data\":{}}")};

  // The simulator as kuaidi-mock and the page run it: one state, the 18 queries with an AppCode.
  simulator_config config;
  config.trace_anchor_seconds = 1666872000;
  simulator_state state = initial_state(config);
  std::vector<gateway_request> requests;
  for (const char* q : queries) {
    gateway_request r;
    r.target = std::string("/query?") + q;
    r.headers = {{"Authorization", "APPCODE bench"}};
    r.now_ms = 1666872000000;
    requests.push_back(r);
  }
  const auto simulated = [&](std::size_t i) {
    const simulation s = simulate(config, state, requests[i]);
    return s.answer.body.size() + s.answer.headers.size();
  };

  const std::vector<operation> operations = {
      {"validate (query string, 18 valid and invalid)",
       [](std::size_t i) {
         const validation v = validate(params_from_query_string(queries[i]));
         return v.request.tracking_number.size() + v.advisories.size() + (v.answer != nullptr);
       },
       std::size(queries)},
      {"detect_carrier (28 carriers.md samples)",
       [](std::size_t i) {
         const detection d = detect_carrier(numbers[i]);
         return d.candidates.size() + d.rejected.size();
       },
       std::size(numbers)},
      {"interpret (vendor examples)", [&](std::size_t i) { return interpret(vendor[i]).events.size() + 1; },
       vendor.size()},
      {"interpret (gateway 403)", [&](std::size_t i) { return interpret(gateway[i]).possible.size() + 1; },
       gateway.size()},
      {"interpret (garbage)", [&](std::size_t i) { return interpret(garbage[i]).notes.size() + 1; },
       garbage.size()},
      // Each answer decided and built afresh (every synthetic trace made again), as for a number
      // seen for the first time.
      {"simulate (18 queries, first time)",
       [&](std::size_t i) {
         state.memo.clear();
         return simulated(i);
       },
       requests.size()},
      // The vendor stage remembered, as for kuaidi-mock under steady traffic.
      {"simulate (18 queries, remembered)", simulated, requests.size()},
  };

  std::printf("# operation\tns_per_call\tcalls_per_batch\n");
  for (const operation& op : operations) {
    if (std::string_view(op.name).substr(0, only.size()) != only) continue;
    std::size_t calls = fixed_calls;
    const double ns = calls ? nanoseconds_per_call(op, calls) : median_of_fastest_batches(op, s, calls);
    std::printf("%s\t%.0f\t%zu\n", op.name, ns, calls);
    std::fflush(stdout);
  }
  return 0;
}
