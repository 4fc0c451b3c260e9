// Fuzz target: request validation from a raw query string, as the mock server receives it
// ("kddh=…&code=…&tel=…", percent-encoded or not). Each input is validated three ways: on the
// Aliyun market, on the vendor's own platform as sent, and on the own platform correctly signed
// (so the checks after the signature are reached too).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/signature.hpp"

namespace {

using namespace kuaidi;

constexpr std::int64_t now_ms = 1700000000000;

validation_options own_platform_options() {
  validation_options options;
  options.own_platform = true;
  options.now_ms = now_ms;
  options.apps = {{"demo", "s3cret", false}, {"old", "x", true}};
  return options;
}

// request.hpp's trim, restated: ASCII whitespace and U+3000 at both ends.
bool blank(std::string_view s) {
  constexpr std::string_view ideographic_space = "\xE3\x80\x80";
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (s.substr(i, 3) == ideographic_space) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

std::size_t chars(const std::string& s) { return utf8_length(s).value_or(s.size()); }

// Checks 12–16 of request.hpp, restated independently: the answer they give, or "" when all pass.
std::string_view early_answer(const request_params& p) {
  if (!p.kddh) return "kddh_missing";
  if (blank(*p.kddh)) return "kddh_empty";
  if (chars(*p.kddh) > 20) return "kddh_too_long";
  if (p.code && chars(*p.code) > 20) return "code_too_long";
  if (p.tel && chars(*p.tel) > 14) return "tel_too_long";
  return {};
}

bool is_early_answer(std::string_view id) {
  return id == "kddh_missing" || id == "kddh_empty" || id == "kddh_too_long" || id == "code_too_long" ||
         id == "tel_too_long";
}

bool is_signature_answer(std::string_view id) {
  for (std::string_view own :
       {"appid_missing", "appid_too_long", "sendtime_missing", "sendtime_too_long", "sign_missing",
        "sign_too_long", "source_forbidden", "appid_disabled", "sendtime_expired", "sign_invalid"})
    if (id == own) return true;
  return false;
}

bool is_tracking_charset(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
}

void check(const request_params& p, const validation& v, bool own_platform) {
  if (v.answer) {
    FUZZ_CHECK(fuzz::is_catalogue_entry(v.answer), "the answer is not a catalogue entry");
    FUZZ_CHECK(v.answer->source != answer_source::gateway, "validation answered a gateway error");
    FUZZ_CHECK(own_platform || v.answer->source == answer_source::vendor,
               "an own-platform answer on the Aliyun market");
    FUZZ_CHECK(!v.answer_msg.empty(), "the answer has no msg");
    FUZZ_CHECK(find_scenario_by_msg(v.answer_msg) == v.answer,
               "the answer's msg does not lead back to it: " + v.answer_msg);
  } else {
    FUZZ_CHECK(!v.request.tracking_number.empty(), "no answer and an empty tracking number");
    FUZZ_CHECK(p.kddh.has_value(), "no answer without a kddh");
    FUZZ_CHECK(is_tracking_charset(v.request.tracking_number) && v.request.tracking_number.size() >= 8,
               "passed with a malformed number: " + v.request.tracking_number);
    FUZZ_CHECK(v.request.tracking_number == normalise_tracking_number(*p.kddh),
               "the request's number is not the normalised kddh");
    FUZZ_CHECK(v.carriers.normalised == v.request.tracking_number,
               "detection saw another number than the request: " + v.carriers.normalised + " vs " +
                   v.request.tracking_number);
    const std::string& tail = v.request.phone_tail;
    FUZZ_CHECK(tail.empty() || (tail.size() == 4 && std::all_of(tail.begin(), tail.end(),
                                                                [](char c) { return c >= '0' && c <= '9'; })),
               "the phone tail is not 4 digits: " + tail);
  }
  // Once the own-platform checks pass (or are off), checks 12-16 decide as on the market.
  if (!v.answer || v.answer->source == answer_source::vendor) {
    const std::string_view expected = early_answer(p);
    if (!expected.empty()) {
      FUZZ_CHECK(v.answer && v.answer->id == expected,
                 "checks 12-16 say " + std::string(expected) + ", validation says " +
                     (v.answer ? std::string(v.answer->id) : std::string("nothing")));
    } else {
      FUZZ_CHECK(!v.answer || !is_early_answer(v.answer->id),
                 "validation answered " + std::string(v.answer->id) + " but checks 12-16 pass");
    }
  }
  for (const advisory& a : v.advisories)
    FUZZ_CHECK(fuzz::has_both_languages(a.text.zh, a.text.en),
               "advisory " + std::string(to_string(a.kind)) + " lacks a language");
  FUZZ_CHECK(fuzz::dumps_and_reads_back(to_json(v)), "to_json(validation) does not round-trip");
}

// The same parameters with a known appid, the current sendtime and a valid sign.
request_params signed_copy(const request_params& p, const validation_options& options) {
  request_params out = p;
  out.appid = options.apps.front().appid;
  out.sendtime = std::to_string(options.now_ms);
  signed_parameters unsigned_params;
  for (const auto& param : p.all)
    if (param.first != "appid" && param.first != "sendtime" && param.first != "sign")
      unsigned_params.push_back(param);
  unsigned_params.emplace_back("appid", *out.appid);
  unsigned_params.emplace_back("sendtime", *out.sendtime);
  out.sign = compute_sign(unsigned_params, options.apps.front().secret, options.algorithm);
  out.all = unsigned_params;
  out.all.emplace_back("sign", *out.sign);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const request_params params = params_from_query_string(query);

  check(params, validate(params), false);

  const validation_options options = own_platform_options();
  check(params, validate(params, options), true);

  const request_params signed_params = signed_copy(params, options);
  const validation v = validate(signed_params, options);
  check(signed_params, v, true);
  FUZZ_CHECK(!v.answer || !is_signature_answer(v.answer->id),
             "a correctly signed request was answered " + std::string(v.answer ? v.answer->id : ""));
  return 0;
}
