// Fuzz target: the simulator (core/include/kuaidi/simulator.hpp) on arbitrary requests and state
// changes. The input is lines: the first byte picks the setup (gateway generation, platform,
// AppCodes with small quotas, flow control), then "METHOD TARGET", then headers "Name: value";
// an empty line sends it; "!set CODE {json}" changes an account as the admin API would, "!tick…" moves
// the clock.
// Properties: a status the catalogue (or the simulator's own preflight / mock error) explains,
// billing only on 2xx, quotas never below zero, and the same input and state give the same answer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "kuaidi/simulator.hpp"

namespace {

using namespace kuaidi;
using nlohmann::json;

#define PROPERTY(condition, what)                                                          \
  do {                                                                                     \
    if (!(condition)) kuaidi::fuzz::property_failed(#condition, __FILE__, __LINE__, what); \
  } while (0)

simulator_config setup(unsigned char choice) {
  simulator_config c;
  c.gateway = choice & 1 ? gateway_generation::vpc : gateway_generation::classic;
  c.mode = choice & 2 ? platform::own : platform::market;
  if (choice & 4)
    c.appcodes = {{"good", 2, account_state::active},
                  {"spent", 0, account_state::active},
                  {"old", 5, account_state::expired}};
  c.rate_limit = choice & 8 ? 3 : 0;
  c.apps = {{"demoapp", "demosecret", false}, {"offapp", "s", true}};
  c.fault_rate = choice & 16 ? 0.5 : 0;
  c.max_url_length = choice & 32 ? 200 : 8000;
  c.trace_anchor_seconds = 1666872000;
  return c;
}

bool status_explained(const simulator_config& config, const simulation& s) {
  const int status = s.answer.status;
  if (s.record.route == "preflight") return status == 200;
  if (s.record.route == "mock_error") return status == 400;
  if (!s.record.answered) return false;  // no fixtures here: every answer is a catalogue entry
  const scenario& e = *s.record.answered;
  if (e.source == answer_source::gateway) return status == gateway_error_for(e, config.gateway).http_status;
  return status == e.http_status;
}

bool same(const simulation& a, const simulation& b) {
  if (a.answer.status != b.answer.status || a.answer.body != b.answer.body ||
      a.answer.headers.size() != b.answer.headers.size() || a.record.billed != b.record.billed)
    return false;
  for (std::size_t i = 0; i < a.answer.headers.size(); ++i)
    if (a.answer.headers[i].name != b.answer.headers[i].name ||
        a.answer.headers[i].value != b.answer.headers[i].value)
      return false;
  return true;
}

void check_quotas(const simulator_state& state) {
  const json book = state.book.to_json();
  for (const auto& a : book["appcodes"])
    PROPERTY(a["remaining"].is_null() || a["remaining"].get<std::int64_t>() >= 0, a.dump());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const simulator_config config = setup(data[0]);
  simulator_state state = initial_state(config);
  gateway_request request;
  request.now_ms = 1666872000000;
  bool have_line = false;
  std::size_t at = 0;
  const auto answer = [&] {
    simulator_state twin = state;
    const simulation s = simulate(config, state, request);
    const simulation again = simulate(config, twin, request);
    PROPERTY(same(s, again), "the same request and state answered differently");
    PROPERTY(status_explained(config, s), std::to_string(s.answer.status) + " by route " + s.record.route);
    PROPERTY(!s.record.billed || (s.answer.status >= 200 && s.answer.status < 300), "billed a non-2xx");
    PROPERTY(!s.answer.header("X-Ca-Request-Id").empty(), "no request id");
    check_quotas(state);
    request.headers.clear();
    request.entropy += 1;
  };
  while (at <= input.size()) {
    const std::size_t end = std::min(input.find('\n', at), input.size());
    const std::string_view line = input.substr(at, end - at);
    at = end + 1;
    if (line.rfind("!set ", 0) == 0) {
      const std::string_view rest = line.substr(5);
      const std::size_t space = rest.find(' ');
      const json change =
          json::parse(rest.substr(space == std::string_view::npos ? rest.size() : space + 1), nullptr, false);
      if (!change.is_discarded()) {
        const auto updated = state.book.update(std::string(rest.substr(0, space)), change);
        FUZZ_CHECK(updated || !updated.error().empty(), "a refused quota change without a message");
      }
    } else if (line.rfind("!tick ", 0) == 0) {
      request.now_ms += static_cast<std::int64_t>(line.size()) * 137;
    } else if (line.empty()) {
      if (have_line) answer();
      have_line = false;
    } else if (!have_line) {
      const std::size_t space = line.find(' ');
      request.method = std::string(line.substr(0, space));
      request.target = space == std::string_view::npos ? "/query" : std::string(line.substr(space + 1));
      have_line = true;
    } else {
      const std::size_t colon = line.find(':');
      request.headers.push_back(
          {std::string(line.substr(0, colon)),
           colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1))});
    }
  }
  if (have_line) answer();
  return 0;
}
