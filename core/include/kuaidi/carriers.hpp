#pragma once
// Carriers the API knows by `code`, and detection of the carrier from a tracking number.
// Detection evaluates every format rule and ranks the candidates; it never stops at a first match.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/catalogue.hpp"

namespace kuaidi {

struct carrier {
  std::string_view code;     // the API's `code` parameter, kuaidi100 style: "zhongtong"
  std::string_view name_zh;  // what the API returns as `kdmc`: "中通快递"
  std::string_view name_en;
  bool needs_phone_tail;  // the carrier answers only with the sender's/receiver's phone tail
};

struct carrier_range {
  const carrier* first;
  const carrier* last;
  const carrier* begin() const { return first; }
  const carrier* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};

carrier_range all_carriers();

// Case-insensitive; nullptr when the code is unknown.
const carrier* find_carrier(std::string_view carrier_code);

// Trim, uppercase, drop spaces and '-', and a JD package suffix (<waybill>-<n>-<total>,
// <waybill>N<n>S<total>). The result is what detection and the mock work on.
std::string normalise_tracking_number(std::string_view tracking_number);

enum class check_digit { none, s10, ups, fedex12, fedex15, fedex22, usps, dhl };

std::string_view to_string(check_digit kind);

// True when the number's check digit verifies under `kind` (always true for `none`).
bool verify_check_digit(check_digit kind, std::string_view normalised_number);

// One format a carrier issues numbers in, written as a small regular expression:
// literals, [A-Z0-9] classes with ranges, \d, (a|b) groups whose alternatives are themselves such
// sequences, {n} and {n,m} after any of them.
struct format_rule {
  std::string_view carrier_code;
  std::string_view pattern;
  check_digit check;
  int strength;  // base score: how much this format alone says about the carrier
  bool legacy;   // a format no longer issued
  localized_text note;
};

struct format_rule_range {
  const format_rule* first;
  const format_rule* last;
  const format_rule* begin() const { return first; }
  const format_rule* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};

format_rule_range all_format_rules();

// Whole-string match of `text` against a format_rule pattern; an invalid pattern matches nothing.
bool matches_pattern(std::string_view pattern, std::string_view text);

struct candidate {
  const kuaidi::carrier* carrier;
  int score;                         // 0–100, higher is likelier
  std::string_view pattern;          // the best rule that matched
  bool check_digit_verified;         // the rule has a check digit and it verified
  localized_text reason;             // why this carrier is a candidate (filled from the rule's note)
  std::string_view issuing_country;  // UPU S10 items: the issuing post's country ("HK"), else empty
};

// A number whose format fits a carrier but whose check digit does not verify.
struct rejected_candidate {
  const kuaidi::carrier* carrier;
  std::string_view pattern;
  check_digit check;
};

struct detection {
  std::string normalised;
  std::vector<candidate> candidates;  // best first; ties keep the carrier table's order
  std::vector<rejected_candidate> rejected;
  bool certain = false;  // exactly one strong candidate stands
  const candidate* best() const { return candidates.empty() ? nullptr : &candidates.front(); }
};

detection detect_carrier(std::string_view tracking_number);

}  // namespace kuaidi
