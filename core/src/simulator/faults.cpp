#include "kuaidi/faults.hpp"

#include "../enum_names.hpp"
#include "../text.hpp"

namespace kuaidi {

namespace {

constexpr std::int64_t max_latency_ms = 120000;

constexpr names::row<transport_fault> transport_fault_names[] = {
    {transport_fault::none, "none"},
    {transport_fault::reset, "reset"},
    {transport_fault::truncate, "truncate"},
    {transport_fault::malformed, "malformed"},
};
static_assert(names::covers(transport_fault_names, transport_fault::malformed));

// Shorter names for the gateway faults tried most.
struct gateway_fault_alias {
  std::string_view name;
  std::string_view scenario_id;
};

constexpr gateway_fault_alias aliases[] = {
    {"timeout", "backend_timeout"},
    {"throttle", "throttled"},
};

}  // namespace

std::string_view to_string(transport_fault f) { return names::name_of(transport_fault_names, f); }

std::string fault::name() const {
  if (gateway) return std::string(gateway->id);
  return std::string(to_string(transport));
}

result<fault> parse_fault(std::string_view name) {
  if (const auto transport = names::value_named(transport_fault_names, name))
    return fault{*transport, nullptr};
  for (const auto& alias : aliases)
    if (alias.name == name) return fault{transport_fault::none, find_scenario(alias.scenario_id)};
  const scenario* s = find_scenario(name);
  if (s && s->source == answer_source::gateway) return fault{transport_fault::none, s};
  return fail("unknown fault '" + std::string(name) + "': use " + fault_names_help());
}

result<std::vector<fault>> parse_fault_list(std::string_view names) {
  std::vector<fault> list;
  std::string error;
  const bool failed = text::any_list_item(names, [&](std::string_view name) {
    auto parsed = parse_fault(text::trim(name));
    if (parsed)
      list.push_back(*parsed);
    else
      error = parsed.error();
    return !parsed;
  });
  if (failed) return fail(error);
  if (list.empty()) return fail("the fault list is empty: use " + fault_names_help());
  return list;
}

std::vector<fault> default_random_faults() {
  return *parse_fault_list("reset,truncate,malformed,timeout,throttle");
}

std::string fault_names_help() {
  std::vector<std::string_view> gateway_ids;
  for (const scenario& s : all_scenarios())
    if (s.source == answer_source::gateway) gateway_ids.push_back(s.id);
  const auto name = [](const auto& row) { return row.name; };
  return names::listed(transport_fault_names, name) + ", " + names::listed(aliases, name) +
         ", or a gateway scenario id (" + names::listed(gateway_ids) + ")";
}

result<latency_range> parse_latency(std::string_view spec) {
  const std::size_t dash = spec.find('-');
  std::int64_t low = 0, high = 0;
  const bool ok = dash == std::string_view::npos ? text::parse_digits(spec, 9, low) && (high = low, true)
                                                 : text::parse_digits(spec.substr(0, dash), 9, low) &&
                                                       text::parse_digits(spec.substr(dash + 1), 9, high);
  if (!ok || low > high || high > max_latency_ms)
    return fail("latency must be milliseconds 'MS' or a range 'MIN-MAX' (at most " +
                std::to_string(max_latency_ms) + "), got '" + std::string(spec) + "'");
  return latency_range{std::chrono::milliseconds(low), std::chrono::milliseconds(high)};
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

fault_injector::fault_injector(latency_range latency, double rate, std::vector<fault> kinds,
                               std::uint64_t seed)
    : latency_(latency), rate_(rate), kinds_(std::move(kinds)), seed_(seed) {}

std::uint64_t fault_injector::draw() { return splitmix64(seed_ ^ splitmix64(counter_++)); }

std::chrono::milliseconds fault_injector::pick(const latency_range& range, std::uint64_t random) const {
  const auto span = static_cast<std::uint64_t>((range.max - range.min).count());
  if (span == 0) return range.min;
  return range.min + std::chrono::milliseconds(random % (span + 1));
}

result<fault_plan> fault_injector::plan(const std::optional<std::string>& fault_override,
                                        const std::optional<std::string>& latency_override) {
  fault_plan planned;
  const bool random_needed = rate_ > 0 || latency_.max.count() > 0;
  const std::uint64_t random = random_needed ? draw() : 0;
  if (latency_override) {
    const auto range = parse_latency(*latency_override);
    if (!range) return fail(range.error());
    planned.latency = pick(*range, splitmix64(random));
  } else {
    planned.latency = pick(latency_, splitmix64(random));
  }
  if (fault_override) {
    const auto f = parse_fault(*fault_override);
    if (!f) return fail(f.error());
    planned.injected = *f;
  } else if (rate_ > 0 && !kinds_.empty()) {
    const double roll = static_cast<double>(random >> 11) / static_cast<double>(1ULL << 53);
    if (roll < rate_) planned.injected = kinds_[splitmix64(random ^ 0x5bd1e995ULL) % kinds_.size()];
  }
  return planned;
}

}  // namespace kuaidi
