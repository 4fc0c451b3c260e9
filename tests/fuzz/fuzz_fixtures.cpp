// Fuzz target: the simulator's fixture file parser (core/include/kuaidi/fixtures.hpp) on arbitrary text.
// A file is either refused with a message, or every entry in it became a fixture that the mock
// finds again by the number and phone tail a caller would send.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "kuaidi/fixtures.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/response.hpp"

namespace {

using namespace kuaidi;
using nlohmann::json;

// The number written in the file is the number kept: no wrap-around of big integers into int.
bool same_integer(const json& written, int kept) {
  if (written.is_number_unsigned())
    return kept >= 0 && written.get<std::uint64_t>() == static_cast<std::uint64_t>(kept);
  return written.is_number_integer() && written.get<std::int64_t>() == kept;
}

void check_fixture(const fixture_set& set, const json& entry) {
  request_params params;
  params.kddh = entry.at("kddh").get<std::string>();
  if (entry.contains("tel") && !entry.at("tel").get<std::string>().empty())
    params.tel = entry.at("tel").get<std::string>();
  const validation v = validate(params);
  FUZZ_CHECK(v.passed(), "a fixture was accepted for a number the API answers before fixtures");
  const fixture* f = set.find(v.request.tracking_number, v.request.phone_tail);
  FUZZ_CHECK(f != nullptr, "an accepted fixture is not found again: " + v.request.tracking_number);
  const int answers = (f->answer != nullptr) + f->pinned_trace.has_value() + f->response.has_value();
  FUZZ_CHECK(answers == 1, "a fixture must carry exactly one answer");
  if (f->answer)
    FUZZ_CHECK(fuzz::is_catalogue_entry(f->answer), "a fixture's scenario is not a catalogue entry");
  if (f->response) {
    FUZZ_CHECK(f->response->status >= 100 && f->response->status <= 999, "a raw status outside 100-999");
    const json& response = entry.at("response");
    if (response.contains("status"))
      FUZZ_CHECK(same_integer(response.at("status"), f->response->status),
                 "response.status " + response.at("status").dump() + " was kept as " +
                     std::to_string(f->response->status));
  }
  if (f->pinned_trace) {
    const json& trace = entry.at("trace");
    if (trace.contains("status"))
      FUZZ_CHECK(same_integer(trace.at("status"), f->pinned_trace->status),
                 "trace.status " + trace.at("status").dump() + " was kept as " +
                     std::to_string(f->pinned_trace->status));
    // What the mock will send for it reads back as a trace with the same events.
    http_answer a;
    a.http_status = 200;
    a.body = build_trace_body(*f->pinned_trace);
    const outcome o = interpret(a);
    FUZZ_CHECK(o.matched == find_scenario("success"), "a pinned trace does not read back as success");
    FUZZ_CHECK(o.events.size() == f->pinned_trace->events.size(), "a pinned trace lost events");
    for (const event& e : o.events) FUZZ_CHECK(e.time_valid, "a pinned trace has an invalid time");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto set = fixture_set::parse(text);
  if (!set) {
    FUZZ_CHECK(!set.error().empty(), "a refused fixture file without a message");
    return 0;
  }
  const json document = json::parse(text, nullptr, false);
  FUZZ_CHECK(!document.is_discarded() && document.is_object(), "accepted text that is not a JSON object");
  const json& list = document.at("fixtures");
  FUZZ_CHECK(set->size() == list.size(), "entries and fixtures differ in number");
  for (const json& entry : list) check_fixture(*set, entry);
  return 0;
}
