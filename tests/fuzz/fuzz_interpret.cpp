// Fuzz target: interpretation of an arbitrary answer, and the round trip of every catalogue
// answer through the response builder and back.
//
// Input, readable so seeds can be written by hand:
//   line 1             the HTTP status in decimal (anything else: 0, no answer; saturates)
//   lines up to blank  headers "Name: value"; a line "!hidden" makes them unreadable, as in a
//                      browser without Access-Control-Expose-Headers
//   the rest           the body (with status 0, also the transport error)

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/response.hpp"

namespace {

using namespace kuaidi;

int parse_status(std::string_view line) {
  const bool negative = !line.empty() && line.front() == '-';
  if (negative) line.remove_prefix(1);
  long long value = 0;
  for (char c : line) {
    if (c < '0' || c > '9') break;
    value = std::min<long long>(value * 10 + (c - '0'), INT_MAX);
  }
  return static_cast<int>(negative ? -value : value);
}

std::string_view next_line(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  const std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

http_answer answer_from_input(std::string_view input) {
  http_answer a;
  a.http_status = parse_status(next_line(input));
  while (!input.empty()) {
    const std::string_view line = next_line(input);
    if (line.empty()) break;
    if (line == "!hidden") {
      a.headers_readable = false;
      continue;
    }
    const std::size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    a.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  a.body = std::string(input);
  if (a.http_status == 0) a.transport_error = a.body;
  return a;
}

bool contains(const std::vector<const scenario*>& list, const scenario* s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

void check_outcome(const http_answer& a, const outcome& o) {
  FUZZ_CHECK(o.http_status == a.http_status, "the outcome lost the HTTP status");
  FUZZ_CHECK(fuzz::has_both_languages(o.explanation.zh, o.explanation.en),
             "empty explanation for state " + std::string(to_string(o.what)));
  FUZZ_CHECK(fuzz::has_both_languages(o.action.zh, o.action.en),
             "empty action for state " + std::string(to_string(o.what)));
  FUZZ_CHECK(fuzz::has_both_languages(state_label(o.what).zh, state_label(o.what).en),
             "a state without a label");
  const bool two_hundreds = a.http_status >= 200 && a.http_status < 300;
  FUZZ_CHECK(o.billed == (two_hundreds ? billing::billed : billing::not_billed),
             "billing disagrees with the market's rule (2xx only): " + std::string(to_string(o.billed)));
  if (a.http_status == 0) FUZZ_CHECK(o.what == state::not_reachable, "no answer, yet reachable");
  if (o.matched) {
    FUZZ_CHECK(fuzz::is_catalogue_entry(o.matched), "matched is not a catalogue entry");
    if (o.matched->source != answer_source::gateway)
      FUZZ_CHECK(find_scenario_by_msg(o.msg) == o.matched, "matched a vendor answer by another msg");
  }
  for (const scenario* s : o.possible)
    FUZZ_CHECK(fuzz::is_catalogue_entry(s), "a possible cause is not a catalogue entry");
  for (const owned_text& n : o.notes)
    FUZZ_CHECK(fuzz::has_both_languages(n.zh, n.en), "a note lacks a language");
  for (std::size_t i = 0; i < o.events.size(); ++i) {
    const event& e = o.events[i];
    const auto parsed = parse_event_time(e.time);
    FUZZ_CHECK(e.time_valid == parsed.has_value(), "time_valid disagrees with parse_event_time");
    if (e.time_valid) FUZZ_CHECK(e.sort_key == *parsed, "sort_key is not the parsed time");
    if (i == 0) continue;
    const event& newer = o.events[i - 1];
    FUZZ_CHECK(newer.time_valid || !e.time_valid, "an undated event before a dated one");
    if (newer.time_valid && e.time_valid)
      FUZZ_CHECK(newer.sort_key >= e.sort_key, "events are not newest first");
  }
  FUZZ_CHECK(fuzz::dumps_and_reads_back(to_json(o)), "to_json(outcome) does not round-trip");
}

bool valid_utf8(std::string_view s) { return utf8_length(s).has_value(); }

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The entry a client reads a gateway answer as: the first whose row sends the same bytes (an entry
// may borrow another's row in one generation, e.g. invalid_stage's classic Invalid Url).
const scenario* read_as(const scenario& s, gateway_generation g) {
  const gateway_error& e = gateway_error_for(s, g);
  for (const scenario& other : all_scenarios()) {
    if (other.source != answer_source::gateway) continue;
    const gateway_error& o = gateway_error_for(other, g);
    if (o.http_status == e.http_status && o.code == e.code && o.message == e.message) return &other;
  }
  return &s;
}

// A catalogue answer, built as the mock sends it, must be recognised as that answer (or as the
// entry whose bytes it shares).
void round_trip(const scenario& s, std::string_view carrier_name, std::string_view number,
                std::string_view appid) {
  if (s.source == answer_source::gateway) {
    for (const gateway_generation g : {gateway_generation::classic, gateway_generation::vpc}) {
      const gateway_error& e = gateway_error_for(s, g);
      http_answer a;
      a.http_status = e.http_status;
      if (!e.code.empty()) a.headers.push_back({"X-Ca-Error-Code", std::string(e.code)});
      a.headers.push_back({"X-Ca-Error-Message", std::string(e.message)});
      a.headers.push_back({"X-Ca-Request-Id", std::string(number)});
      const outcome o = interpret(a);
      check_outcome(a, o);
      FUZZ_CHECK(o.matched == read_as(s, g), "gateway answer " + std::string(s.id) + " (" +
                                                 std::string(to_string(g)) + ") not recognised");
      // What a page sees from the real gateway: the status alone.
      a.headers_readable = false;
      const outcome blind = interpret(a);
      check_outcome(a, blind);
      FUZZ_CHECK(blind.matched == read_as(s, g) || contains(blind.possible, read_as(s, g)),
                 "gateway answer " + std::string(s.id) + " (" + std::string(to_string(g)) +
                     ") is not among the causes a page lists for HTTP " + std::to_string(a.http_status));
    }
    return;
  }
  http_answer a;
  a.http_status = s.http_status;
  a.body = build_answer_body(s, carrier_name, number, appid);
  const outcome o = interpret(a);
  check_outcome(a, o);
  FUZZ_CHECK(o.matched == &s, "vendor answer " + std::string(s.id) + " not recognised from " + a.body);
  FUZZ_CHECK(o.ok == s.ok, "ok changed on the way: " + a.body);
  FUZZ_CHECK(o.billed == (s.billed ? billing::billed : billing::not_billed), "billing changed");
  if (s.ok == 1 && valid_utf8(carrier_name))
    FUZZ_CHECK(o.carrier_name == carrier_name, "kdmc changed on the way");
}

// A trace built from the input's lines comes back with every event.
void trace_round_trip(std::string_view carrier_name, std::string_view number, std::string_view lines) {
  trace t;
  t.status = 2;
  t.carrier_name = std::string(carrier_name);
  t.tracking_number = std::string(number);
  while (!lines.empty() && t.events.size() < 4) {
    const std::string_view line = next_line(lines);
    t.events.push_back(
        {std::string(line.substr(0, 19)), std::string(line.substr(std::min<std::size_t>(19, line.size())))});
  }
  http_answer a;
  a.http_status = 200;
  a.body = build_trace_body(t);
  const outcome o = interpret(a);
  check_outcome(a, o);
  FUZZ_CHECK(o.matched == find_scenario("success"), "a trace body is not recognised as success");
  FUZZ_CHECK(o.events.size() == t.events.size(), "events lost on the way: " + a.body);
  // Masking cuts bytes, not characters: only ASCII numbers (all a validated number can be) keep
  // their exact masked form through the JSON.
  if (is_ascii(number))
    FUZZ_CHECK(o.tracking_number == mask_tracking_number(number),
               "kddh is not the masked number: " + o.tracking_number);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const http_answer a = answer_from_input(input);
  check_outcome(a, interpret(a));

  // The input's pieces as carrier name, number and appid of a catalogue answer it picks.
  const scenario_range all = all_scenarios();
  const std::size_t pick = std::hash<std::string_view>{}(input) % all.size();
  const std::string_view body = a.body;
  const std::string_view name = body.substr(0, 24);
  const std::string_view number = body.substr(std::min<std::size_t>(24, body.size()), 24);
  const std::string_view appid = input.substr(0, input.find('\n'));
  round_trip(all.first[pick], name, number, appid);
  trace_round_trip(name, number, body.substr(std::min<std::size_t>(48, body.size())));
  return 0;
}
