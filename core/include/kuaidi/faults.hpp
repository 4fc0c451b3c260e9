#pragma once
// Faults the simulator decides on: latency (fixed or ranged), broken transport (reset, truncated body,
// malformed JSON) and gateway failures (backend timeout, throttling, any gateway answer).
// Set per server (--latency, --fault-rate, --faults, --seed) or per request (X-Mock-Fault,
// X-Mock-Latency, or the __fault / __latency query parameters).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/catalogue.hpp"
#include "kuaidi/result.hpp"

namespace kuaidi {

enum class transport_fault { none, reset, truncate, malformed };

std::string_view to_string(transport_fault fault);

// One injectable fault: a broken transport or a gateway answer instead of the vendor's.
struct fault {
  transport_fault transport = transport_fault::none;
  const scenario* gateway = nullptr;
  std::string name() const;
  bool empty() const { return transport == transport_fault::none && !gateway; }
};

// "reset", "truncate", "malformed", "timeout" (backend_timeout), "throttle" (throttled), or any
// gateway catalogue id ("service_busy", …); an error saying which names are accepted otherwise.
result<fault> parse_fault(std::string_view name);
result<std::vector<fault>> parse_fault_list(std::string_view names);
std::vector<fault> default_random_faults();
std::string fault_names_help();

struct latency_range {
  std::chrono::milliseconds min{0};
  std::chrono::milliseconds max{0};
};

// "250" or "100-300" milliseconds, at most 120000.
result<latency_range> parse_latency(std::string_view text);

struct fault_plan {
  std::chrono::milliseconds latency{0};
  fault injected;
};

// Which fault strikes which request; performing it (a reset, a cut body, a delay) is the transport's.
// A value: its draw counter is part of the simulator's state.
class fault_injector {
 public:
  fault_injector() : fault_injector({}, 0, {}, 1) {}
  fault_injector(latency_range latency, double rate, std::vector<fault> kinds, std::uint64_t seed);

  // The plan for one request. A per-request fault or latency replaces the server's; the random
  // draws come from --seed and the request's order, so a run repeats.
  result<fault_plan> plan(const std::optional<std::string>& fault_override,
                          const std::optional<std::string>& latency_override);

 private:
  std::uint64_t draw();
  std::chrono::milliseconds pick(const latency_range& range, std::uint64_t random) const;

  latency_range latency_;
  double rate_;
  std::vector<fault> kinds_;
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

std::uint64_t splitmix64(std::uint64_t x);

}  // namespace kuaidi
