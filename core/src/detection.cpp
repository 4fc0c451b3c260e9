// Normalising a tracking number and detecting its carrier: every format rule is evaluated and the
// candidates are ranked.

#include "detection.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

#include "carrier_table.hpp"
#include "pattern.hpp"
#include "text.hpp"

namespace kuaidi {
namespace {

using pattern::compile;
using pattern::compiled_pattern;
using pattern::matches_compiled;
using pattern::max_text_length;
using pattern::npos;

// Every two-letter code, so candidate::issuing_country can view static storage.
constexpr std::array<char, 26 * 26 * 2> make_letter_pairs() {
  std::array<char, 26 * 26 * 2> pairs{};
  for (std::size_t i = 0; i < 26 * 26; ++i) {
    pairs[2 * i] = static_cast<char>('A' + i / 26);
    pairs[2 * i + 1] = static_cast<char>('A' + i % 26);
  }
  return pairs;
}
constexpr auto letter_pairs = make_letter_pairs();

std::string_view country_code_of(std::string_view s10_number) {
  const char a = s10_number[s10_number.size() - 2];
  const char b = s10_number[s10_number.size() - 1];
  if (!text::is_upper(a) || !text::is_upper(b)) return {};
  const auto index = static_cast<std::size_t>((a - 'A') * 26 + (b - 'A'));
  return {letter_pairs.data() + 2 * index, 2};
}

// A JD waybill is 15 characters (JDVA…, JDX…, JDK…) or, before, VA/VB/VC + 11 digits.
constexpr std::string_view jd_waybill = "(JD[0-9A-Z]{13}|V[A-C]\\d{11})";

// The patterns normalisation uses, compiled once on first use and never changed.
struct normalisation_patterns {
  compiled_pattern waybill = compile(jd_waybill);
  compiled_pattern package_count = compile("\\d{1,4}");
  compiled_pattern ns_suffix = compile("N\\d{1,4}S\\d{1,4}");
};

const normalisation_patterns& normalisation() {
  static const normalisation_patterns patterns;
  return patterns;
}

bool is_jd_waybill(std::string_view s) { return matches_compiled(normalisation().waybill, s); }

// A byte string written into room reserved up front, dropping any U+3000 a byte completes:
// removing characters from bytes that are not UTF-8 can join their neighbours into a new one, and
// a normalised number must normalise to itself. So it never holds a U+3000.
class compact_text {
 public:
  explicit compact_text(std::size_t most) : bytes_(most, '\0'), first_(bytes_.data()), next_(first_) {}
  compact_text(const compact_text&) = delete;  // it points into its own bytes
  compact_text& operator=(const compact_text&) = delete;

  void push(char c) {
    *next_++ = c;
    if (c == '\x80' && next_ - first_ >= 3 && next_[-2] == '\x80' && next_[-3] == '\xE3') next_ -= 3;
  }

  std::string take() {
    bytes_.resize(static_cast<std::size_t>(next_ - first_));
    return std::move(bytes_);
  }

 private:
  std::string bytes_;
  char* first_;
  char* next_;
};

std::string without_dashes(std::string_view s) {
  compact_text out(s.size());
  for (const char c : s)
    if (c != '-') out.push(c);
  return out.take();
}

// Where "-<n>-<total>" (a trailing '-' as printed on some labels allowed) starts after a JD
// waybill, or npos. The waybill itself may have been typed with dashes.
std::size_t jd_dash_suffix_start(std::string_view s) {
  std::string_view body = s;
  if (!body.empty() && body.back() == '-') body.remove_suffix(1);
  const std::size_t last = body.rfind('-');
  if (last == npos || last == 0) return npos;
  const std::size_t first = body.rfind('-', last - 1);
  if (first == npos) return npos;
  const std::string_view package = body.substr(first + 1, last - first - 1);
  const std::string_view total = body.substr(last + 1);
  const compiled_pattern& count = normalisation().package_count;
  if (!matches_compiled(count, package) || !matches_compiled(count, total)) return npos;
  return is_jd_waybill(without_dashes(body.substr(0, first))) ? first : npos;
}

// "<waybill>N<n>S<total>".
std::string_view without_jd_ns_suffix(std::string_view s) {
  const std::size_t n = s.rfind('N');
  if (n == npos || n == 0) return s;
  if (is_jd_waybill(s.substr(0, n)) && matches_compiled(normalisation().ns_suffix, s.substr(n)))
    return s.substr(0, n);
  return s;
}

// The rule table with each pattern compiled and its carrier looked up, and for each length of
// number the rules that can match it, in table order. Built once on first use, never changed.
struct compiled_rule {
  const format_rule* rule;
  compiled_pattern pattern;
  std::size_t carrier;
};

struct compiled_rule_table {
  std::vector<compiled_rule> rules;
  std::array<std::vector<const compiled_rule*>, max_text_length + 1> by_length;
};

const compiled_rule_table& compiled_rules() {
  static const compiled_rule_table table = [] {
    compiled_rule_table out;
    const format_rule_range rule_table = all_format_rules();
    out.rules.reserve(rule_table.size());
    for (const format_rule& r : rule_table)
      out.rules.push_back({&r, compile(r.pattern), carrier_index(*find_carrier(r.carrier_code))});
    for (const compiled_rule& r : out.rules)
      for (std::size_t n = r.pattern.shortest; n <= std::min(r.pattern.longest, max_text_length); ++n)
        out.by_length[n].push_back(&r);
    return out;
  }();
  return table;
}

// The rules whose patterns can match a number of this length.
const std::vector<const compiled_rule*>& rules_for_length(std::size_t length) {
  static const std::vector<const compiled_rule*> none;
  return length <= max_text_length ? compiled_rules().by_length[length] : none;
}

localized_text s10_reason(const format_rule& rule, std::string_view country) {
  if (country.empty() || country == "CN") return rule.note;
  const localized_text* issuer = s10_issuer_reason(country);
  return issuer != nullptr ? *issuer : rule.note;
}

}  // namespace

std::string normalise_tracking_number(std::string_view tracking_number) {
  compact_text compact(tracking_number.size());
  bool dashes = false;
  for (std::size_t i = 0; i < tracking_number.size();) {
    if (text::is_ascii_space(tracking_number[i])) {
      ++i;
      continue;
    }
    if (text::is_ideographic_space_at(tracking_number, i)) {  // the full-width space of Chinese IMEs
      i += 3;
      continue;
    }
    const char c = tracking_number[i++];
    dashes = dashes || c == '-';
    compact.push(text::to_upper(c));
  }
  std::string number = compact.take();
  if (dashes) {
    // The dash form of the JD suffix has to be seen before the dashes go.
    const std::size_t suffix = jd_dash_suffix_start(number);
    if (suffix != npos) number.resize(suffix);
    number = without_dashes(number);
  }
  number.resize(without_jd_ns_suffix(number).size());  // the number without the suffix is a prefix
  return number;
}

detection detect_carrier(std::string_view tracking_number) {
  return detect_normalised_carrier(normalise_tracking_number(tracking_number));
}

detection detect_normalised_carrier(std::string normalised) {
  detection result;
  result.normalised = std::move(normalised);
  const std::string_view number = result.normalised;

  // Every rule is evaluated; each carrier keeps its best-scoring rule (the earlier on a tie).
  std::array<const format_rule*, carrier_count> best{};
  std::array<const format_rule*, carrier_count> failed{};
  for (const compiled_rule* compiled : rules_for_length(number.size())) {
    if (!matches_compiled(compiled->pattern, number)) continue;
    const format_rule& rule = *compiled->rule;
    const std::size_t index = compiled->carrier;
    if (!verify_check_digit(rule.check, number)) {
      if (failed[index] == nullptr) failed[index] = &rule;
      continue;
    }
    if (best[index] == nullptr || rule.strength > best[index]->strength) best[index] = &rule;
  }

  for (std::size_t i = 0; i < carrier_count; ++i) {
    const format_rule* rule = best[i];
    if (rule == nullptr) {
      if (failed[i] != nullptr)
        result.rejected.push_back({&all_carriers().first[i], failed[i]->pattern, failed[i]->check});
      continue;
    }
    candidate found{&all_carriers().first[i],         rule->strength, rule->pattern,
                    rule->check != check_digit::none, rule->note,     {}};
    if (rule->check == check_digit::s10) {
      found.issuing_country = country_code_of(number);
      found.reason = s10_reason(*rule, found.issuing_country);
    }
    result.candidates.push_back(found);
  }
  // Candidates were pushed in table order, so a stable sort keeps it for equal scores.
  std::stable_sort(result.candidates.begin(), result.candidates.end(),
                   [](const candidate& a, const candidate& b) { return a.score > b.score; });

  const auto& list = result.candidates;
  result.certain =
      !list.empty() && list[0].score >= 80 && (list.size() == 1 || list[0].score - list[1].score >= 30);
  return result;
}

}  // namespace kuaidi
