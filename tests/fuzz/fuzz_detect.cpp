// Fuzz target: carrier detection from an arbitrary tracking number (bytes as typed or pasted).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/json.hpp"

namespace {

using namespace kuaidi;

bool is_table_carrier(const carrier* c) {
  if (c == nullptr) return false;
  for (const carrier& entry : all_carriers())
    if (&entry == c) return true;
  return false;
}

const candidate* candidate_for(const detection& d, const carrier* c) {
  for (const candidate& k : d.candidates)
    if (k.carrier == c) return &k;
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const detection d = detect_carrier(input);

  FUZZ_CHECK(d.normalised == normalise_tracking_number(input), "detection normalised differently");
  // validate() normalises, then detection normalises again: both must see the same number.
  FUZZ_CHECK(
      normalise_tracking_number(d.normalised) == d.normalised,
      "normalisation is not idempotent: " + d.normalised + " -> " + normalise_tracking_number(d.normalised));

  for (std::size_t i = 0; i < d.candidates.size(); ++i) {
    const candidate& c = d.candidates[i];
    FUZZ_CHECK(is_table_carrier(c.carrier), "a candidate's carrier is not in the table");
    FUZZ_CHECK(find_carrier(c.carrier->code) == c.carrier, "find_carrier misses a candidate");
    FUZZ_CHECK(c.score >= 0 && c.score <= 100, "score out of 0-100");
    FUZZ_CHECK(i == 0 || d.candidates[i - 1].score >= c.score, "candidates are not best first");
    FUZZ_CHECK(matches_pattern(c.pattern, d.normalised), "a candidate's pattern does not match");
    FUZZ_CHECK(fuzz::has_both_languages(c.reason.zh, c.reason.en), "a reason lacks a language");
    FUZZ_CHECK(c.issuing_country.empty() || c.issuing_country.size() == 2,
               "issuing country is not a two-letter code");
    for (std::size_t j = 0; j < i; ++j)
      FUZZ_CHECK(d.candidates[j].carrier != c.carrier, "a carrier is a candidate twice");
  }
  for (const rejected_candidate& r : d.rejected) {
    FUZZ_CHECK(is_table_carrier(r.carrier), "a rejected carrier is not in the table");
    FUZZ_CHECK(candidate_for(d, r.carrier) == nullptr, "a carrier is both candidate and rejected");
    FUZZ_CHECK(r.check != check_digit::none, "rejected by a rule without a check digit");
    FUZZ_CHECK(matches_pattern(r.pattern, d.normalised), "a rejected pattern does not match");
    FUZZ_CHECK(!verify_check_digit(r.check, d.normalised), "rejected, yet the check digit verifies");
  }
  // Every rule that fits (check digit included) puts its carrier among the candidates, at least
  // at the rule's strength.
  for (const format_rule& rule : all_format_rules()) {
    if (!matches_pattern(rule.pattern, d.normalised) || !verify_check_digit(rule.check, d.normalised))
      continue;
    const candidate* c = candidate_for(d, find_carrier(rule.carrier_code));
    FUZZ_CHECK(c != nullptr, "a matching rule's carrier is not a candidate: " +
                                 std::string(rule.carrier_code) + " " + std::string(rule.pattern));
    FUZZ_CHECK(c->score >= rule.strength, "a candidate scored below a rule it matched");
  }
  if (d.certain) {
    FUZZ_CHECK(!d.candidates.empty() && d.candidates[0].score >= 80, "certain without a strong best");
    FUZZ_CHECK(d.candidates.size() == 1 || d.candidates[0].score - d.candidates[1].score >= 30,
               "certain with a close second");
  }
  FUZZ_CHECK(fuzz::dumps_and_reads_back(to_json(d)), "to_json(detection) does not round-trip");
  return 0;
}
