// Fuzz target: reading what a person pastes (curl -i / -v output, a raw answer, HAR, a JSON
// answer object, a log line) into an answer, and its interpretation.
//
// Input: the paste, as is.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/paste.hpp"

namespace {

using namespace kuaidi;

bool token(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c <= ' ' || c == ':' || c == 0x7F || static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

bool both(const owned_text& t) { return fuzz::has_both_languages(t.zh, t.en); }

void check_read(std::string_view input, const pasted_answer& p) {
  const http_answer& a = *p.answer;
  const bool json_form = p.form == paste_form::har || p.form == paste_form::response_json;
  FUZZ_CHECK((a.http_status >= 100 && a.http_status <= 999) || (a.http_status == 0 && json_form),
             "a status that is no HTTP status: " + std::to_string(a.http_status));
  FUZZ_CHECK(p.answers_skipped >= 0, "a negative count of answers passed over");
  if (p.form == paste_form::http || p.form == paste_form::curl_verbose) {
    for (const http_header& h : a.headers)
      FUZZ_CHECK(token(h.name), "a header name that is no token: " + h.name);
    FUZZ_CHECK(a.body.size() <= input.size(), "the body grew beyond the paste");
    FUZZ_CHECK(a.headers_readable, "pasted headers marked unreadable");
  }
  if (a.http_status != 0) FUZZ_CHECK(a.transport_error.empty(), "a transport error beside an HTTP answer");

  const outcome o = interpret(a);
  FUZZ_CHECK(o.http_status == a.http_status, "interpretation lost the pasted status");
  FUZZ_CHECK(both(o.explanation) && both(o.action), "an explanation missing a language");
  FUZZ_CHECK(fuzz::dumps_and_reads_back(to_json(o)), "the outcome does not serialise");

  // A raw answer written out again (status line, headers, blank line, body) reads back the same.
  if (p.form != paste_form::http) return;
  std::string again = "HTTP/1.1 " + std::to_string(a.http_status) + "\r\n";
  for (const http_header& h : a.headers) again += h.name + ": " + h.value + "\r\n";
  again += "\r\n" + a.body;
  const pasted_answer q = read_pasted_answer(again);
  FUZZ_CHECK(q.answer.has_value(), "a raw answer written out again was not read");
  FUZZ_CHECK(q.answer->http_status == a.http_status, "the status changed on a second reading");
  FUZZ_CHECK(q.answer->headers.size() == a.headers.size(), "the headers changed on a second reading");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const pasted_answer p = read_pasted_answer(input);
  FUZZ_CHECK(fuzz::dumps_and_reads_back(to_json(p)), "the read paste does not serialise");
  for (const owned_text& n : p.notes) FUZZ_CHECK(both(n), "a note missing a language");
  if (p.answer) {
    check_read(input, p);
  } else {
    FUZZ_CHECK(both(p.error), "a refusal missing a language");
    // Every refusal says what was expected.
    FUZZ_CHECK(p.error.en.find("curl -i") != std::string::npos && p.error.zh.find("HAR") != std::string::npos,
               "a refusal that does not say what was expected: " + p.error.en);
  }
  return 0;
}
