// Carrier table, format rules, check digits, normalisation and detection, driven by
// tests/vectors/carriers.json.

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "kuaidi/carriers.hpp"
#include "vectors.hpp"

namespace {

using nlohmann::json;

std::string str(std::string_view s) { return std::string(s); }

std::size_t table_index(const kuaidi::carrier* c) {
  return static_cast<std::size_t>(c - kuaidi::all_carriers().begin());
}

std::vector<std::string> candidate_codes(const kuaidi::detection& d) {
  std::vector<std::string> codes;
  for (const auto& c : d.candidates) codes.push_back(str(c.carrier->code));
  return codes;
}

std::vector<std::string> rejected_codes(const kuaidi::detection& d) {
  std::vector<std::string> codes;
  for (const auto& r : d.rejected) codes.push_back(str(r.carrier->code));
  return codes;
}

const kuaidi::format_rule* find_rule(std::string_view code, std::string_view pattern) {
  for (const auto& rule : kuaidi::all_format_rules())
    if (rule.carrier_code == code && rule.pattern == pattern) return &rule;
  return nullptr;
}

bool parse_kind(const std::string& name, kuaidi::check_digit& kind) {
  using kuaidi::check_digit;
  for (check_digit k : {check_digit::none, check_digit::s10, check_digit::ups, check_digit::fedex12,
                        check_digit::fedex15, check_digit::fedex22, check_digit::usps, check_digit::dhl}) {
    if (kuaidi::to_string(k) == name) {
      kind = k;
      return true;
    }
  }
  return false;
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const auto& item : array) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("the carrier table lists every carrier of carriers.md with its kdmc name", "[carriers]") {
  const json& expected = kuaidi::test::vectors("carriers.json").at("carriers");
  const auto table = kuaidi::all_carriers();
  REQUIRE(table.size() == expected.size());

  std::size_t i = 0;
  for (const auto& row : expected) {
    const std::string code = row.at("code").get<std::string>();
    INFO("carrier " << code);
    const kuaidi::carrier& c = table.begin()[i++];
    CHECK(str(c.code) == code);  // table order is carriers.md's order
    CHECK(str(c.name_zh) == row.at("name_zh").get<std::string>());
    CHECK(c.needs_phone_tail == row.at("needs_phone_tail").get<bool>());
    CHECK_FALSE(c.name_en.empty());
  }
}

TEST_CASE("carrier codes are unique lowercase and found case-insensitively", "[carriers]") {
  std::set<std::string> seen;
  for (const auto& c : kuaidi::all_carriers()) {
    const std::string code = str(c.code);
    INFO("carrier " << code);
    CHECK(seen.insert(code).second);
    CHECK_FALSE(code.empty());
    CHECK(std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }));
    CHECK(kuaidi::find_carrier(code) == &c);
    std::string upper = code;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(kuaidi::find_carrier(upper) == &c);
  }
  REQUIRE(kuaidi::find_carrier("ZhongTong") != nullptr);
  CHECK(kuaidi::find_carrier("ZhongTong")->name_zh == "中通快递");
  CHECK(kuaidi::find_carrier("nosuchcarrier") == nullptr);
  CHECK(kuaidi::find_carrier("") == nullptr);
  CHECK(kuaidi::find_carrier("shunfeng ") == nullptr);
  CHECK(kuaidi::find_carrier("shunfen") == nullptr);
}

TEST_CASE("the phone tail is needed for the SF family and 跨越 only", "[carriers]") {
  std::set<std::string> needing;
  for (const auto& c : kuaidi::all_carriers())
    if (c.needs_phone_tail) needing.insert(str(c.code));
  CHECK(needing == std::set<std::string>{"shunfeng", "shunfengkuaiyun", "fengwang", "kuayue"});
  REQUIRE(kuaidi::find_carrier("shunfeng") != nullptr);
  CHECK(kuaidi::find_carrier("shunfeng")->needs_phone_tail);
  CHECK_FALSE(kuaidi::find_carrier("zhongtong")->needs_phone_tail);
}

TEST_CASE("every format rule is well formed and exercised by a vector", "[carriers]") {
  // (carrier, pattern) pairs that detection reports for some vector, kept or rejected.
  std::set<std::pair<std::string, std::string>> reported;
  for (const auto& v : kuaidi::test::vectors("carriers.json").at("detection")) {
    const auto d = kuaidi::detect_carrier(v.at("number").get<std::string>());
    for (const auto& c : d.candidates) reported.emplace(str(c.carrier->code), str(c.pattern));
    for (const auto& r : d.rejected) reported.emplace(str(r.carrier->code), str(r.pattern));
  }

  REQUIRE(kuaidi::all_format_rules().size() > 0);
  for (const auto& rule : kuaidi::all_format_rules()) {
    INFO("rule " << rule.carrier_code << " " << rule.pattern);
    CHECK(kuaidi::find_carrier(rule.carrier_code) != nullptr);
    CHECK(rule.strength >= 0);
    CHECK(rule.strength <= 100);
    CHECK_FALSE(rule.note.zh.empty());
    CHECK_FALSE(rule.note.en.empty());
    if (rule.check != kuaidi::check_digit::none) {
      // Only a verified number becomes a candidate, so the note says so.
      CHECK(rule.note.zh.find("校验位正确") != std::string_view::npos);
      CHECK(rule.note.en.find("check digit verified") != std::string_view::npos);
    }
    if (rule.legacy) CHECK(rule.strength <= 80);
    // Reported by detection means: the pattern is valid and matched a real vector.
    CHECK(reported.count({str(rule.carrier_code), str(rule.pattern)}) == 1);
  }
}

TEST_CASE("the S10 rules name China Post's candidates as carriers.md says", "[carriers]") {
  bool ems_s10 = false;
  bool international_any_country = false;
  for (const auto& rule : kuaidi::all_format_rules()) {
    if (rule.check != kuaidi::check_digit::s10) continue;
    INFO("rule " << rule.carrier_code << " " << rule.pattern);
    CHECK((rule.carrier_code == "ems" || rule.carrier_code == "youzhengguoji"));
    if (rule.carrier_code == "ems") ems_s10 = kuaidi::matches_pattern(rule.pattern, "EA193686754CN");
    if (rule.carrier_code == "youzhengguoji" && kuaidi::matches_pattern(rule.pattern, "EA262212875HK"))
      international_any_country = true;
  }
  CHECK(ems_s10);
  CHECK(international_any_country);
}

TEST_CASE("pattern matcher vectors", "[carriers]") {
  for (const auto& v : kuaidi::test::vectors("carriers.json").at("patterns")) {
    kuaidi::test::require_known_keys(v, {"pattern", "text", "match", "note"});
    const std::string pattern = v.at("pattern").get<std::string>();
    const std::string text = v.at("text").get<std::string>();
    INFO("pattern '" << pattern << "' text '" << text << "' " << v.value("note", ""));
    CHECK(kuaidi::matches_pattern(pattern, text) == v.at("match").get<bool>());
  }
}

TEST_CASE("check digit kinds have stable names", "[carriers]") {
  using kuaidi::check_digit;
  CHECK(kuaidi::to_string(check_digit::none) == "none");
  CHECK(kuaidi::to_string(check_digit::s10) == "s10");
  CHECK(kuaidi::to_string(check_digit::ups) == "ups");
  CHECK(kuaidi::to_string(check_digit::fedex12) == "fedex12");
  CHECK(kuaidi::to_string(check_digit::fedex15) == "fedex15");
  CHECK(kuaidi::to_string(check_digit::fedex22) == "fedex22");
  CHECK(kuaidi::to_string(check_digit::usps) == "usps");
  CHECK(kuaidi::to_string(check_digit::dhl) == "dhl");
}

TEST_CASE("check digit vectors", "[carriers]") {
  std::set<std::string> kinds_seen;
  for (const auto& v : kuaidi::test::vectors("carriers.json").at("check_digits")) {
    kuaidi::test::require_known_keys(v, {"kind", "number", "valid", "note"});
    const std::string kind_name = v.at("kind").get<std::string>();
    const std::string number = v.at("number").get<std::string>();
    INFO(kind_name << " " << number << " " << v.value("note", ""));
    kuaidi::check_digit kind{};
    REQUIRE(parse_kind(kind_name, kind));
    kinds_seen.insert(kind_name);
    CHECK(kuaidi::verify_check_digit(kind, number) == v.at("valid").get<bool>());
  }
  CHECK(kinds_seen.size() == 8);  // every kind has vectors
}

// Bytes that are not UTF-8 cannot be written in JSON text: such inputs are given in hex.
std::string vector_input(const nlohmann::json& v) {
  if (!v.contains("input_hex")) return v.at("input").get<std::string>();
  const std::string hex = v.at("input_hex").get<std::string>();
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

TEST_CASE("normalisation vectors", "[carriers]") {
  for (const auto& v : kuaidi::test::vectors("carriers.json").at("normalisation")) {
    kuaidi::test::require_known_keys(v, {"input", "input_hex", "normalised", "note"});
    const std::string input = vector_input(v);
    INFO("input '" << input << "' " << v.value("note", ""));
    const std::string once = kuaidi::normalise_tracking_number(input);
    CHECK(once == v.at("normalised").get<std::string>());
    CHECK(kuaidi::normalise_tracking_number(once) == once);
  }
}

TEST_CASE("pathological patterns give up instead of hanging or overflowing", "[carriers]") {
  CHECK_FALSE(kuaidi::matches_pattern("(0|0){40}", std::string(39, '0') + "x"));
  CHECK_FALSE(kuaidi::matches_pattern(std::string(200000, '(') + "0" + std::string(200000, ')'), "0"));
  CHECK(kuaidi::matches_pattern("(0|0){3}", "000"));
  CHECK_FALSE(kuaidi::matches_pattern("\\d{10}", std::string(100000, '1')));
}

TEST_CASE("detection vectors", "[carriers]") {
  for (const auto& v : kuaidi::test::vectors("carriers.json").at("detection")) {
    kuaidi::test::require_known_keys(
        v, {"number", "note", "normalised", "top", "score", "certain", "verified", "candidates", "includes",
            "excludes", "rejected", "issuing_country", "reason_en_contains", "reason_zh_contains"});
    const std::string number = v.at("number").get<std::string>();
    DYNAMIC_SECTION("detect '" << number << "' (" << v.at("note").get<std::string>() << ")") {
      const auto d = kuaidi::detect_carrier(number);
      const auto codes = candidate_codes(d);
      INFO("candidates: " << Catch::Detail::stringify(codes));
      INFO("rejected: " << Catch::Detail::stringify(rejected_codes(d)));

      if (v.contains("normalised")) CHECK(d.normalised == v.at("normalised").get<std::string>());

      if (v.at("top").is_null()) {
        CHECK(d.best() == nullptr);
      } else {
        REQUIRE(d.best() != nullptr);
        CHECK(str(d.best()->carrier->code) == v.at("top").get<std::string>());
        CHECK(d.best()->score == v.at("score").get<int>());
      }
      CHECK(d.certain == v.at("certain").get<bool>());
      if (v.contains("verified")) {
        REQUIRE(d.best() != nullptr);
        CHECK(d.best()->check_digit_verified == v.at("verified").get<bool>());
      }
      if (v.contains("candidates")) CHECK(codes == strings(v.at("candidates")));
      if (v.contains("includes"))
        for (const auto& code : strings(v.at("includes")))
          CHECK(std::count(codes.begin(), codes.end(), code) == 1);
      if (v.contains("excludes"))
        for (const auto& code : strings(v.at("excludes")))
          CHECK(std::count(codes.begin(), codes.end(), code) == 0);
      CHECK(rejected_codes(d) == strings(v.at("rejected")));

      if (v.contains("issuing_country")) {
        REQUIRE(d.best() != nullptr);
        CHECK(str(d.best()->issuing_country) == v.at("issuing_country").get<std::string>());
      }
      if (v.contains("reason_en_contains")) {
        REQUIRE(d.best() != nullptr);
        CHECK_THAT(str(d.best()->reason.en), Catch::Contains(v.at("reason_en_contains").get<std::string>()));
      }
      if (v.contains("reason_zh_contains")) {
        REQUIRE(d.best() != nullptr);
        CHECK_THAT(str(d.best()->reason.zh), Catch::Contains(v.at("reason_zh_contains").get<std::string>()));
      }
    }
  }
}

TEST_CASE("detection ranks every matching rule and explains each candidate", "[carriers]") {
  for (const auto& v : kuaidi::test::vectors("carriers.json").at("detection")) {
    const std::string number = v.at("number").get<std::string>();
    INFO("number '" << number << "'");
    const auto d = kuaidi::detect_carrier(number);
    CHECK(d.normalised == kuaidi::normalise_tracking_number(number));

    std::set<std::string> carriers_seen;
    for (std::size_t i = 0; i < d.candidates.size(); ++i) {
      const auto& c = d.candidates[i];
      INFO("candidate " << c.carrier->code << " " << c.pattern);
      CHECK(carriers_seen.insert(str(c.carrier->code)).second);  // one per carrier
      if (i > 0) {
        const auto& previous = d.candidates[i - 1];
        CHECK(previous.score >= c.score);
        if (previous.score == c.score) CHECK(table_index(previous.carrier) < table_index(c.carrier));
      }
      const auto* rule = find_rule(c.carrier->code, c.pattern);
      REQUIRE(rule != nullptr);
      CHECK(kuaidi::matches_pattern(rule->pattern, d.normalised));
      CHECK(c.score == rule->strength);
      CHECK(c.check_digit_verified == (rule->check != kuaidi::check_digit::none));
      if (c.check_digit_verified) CHECK(kuaidi::verify_check_digit(rule->check, d.normalised));
      CHECK_FALSE(c.reason.zh.empty());
      CHECK_FALSE(c.reason.en.empty());
      CHECK(c.issuing_country.empty() == (rule->check != kuaidi::check_digit::s10));
      // The best rule of its carrier: no other matching, verified rule of that carrier scores more.
      for (const auto& other : kuaidi::all_format_rules()) {
        if (other.carrier_code != c.carrier->code) continue;
        if (!kuaidi::matches_pattern(other.pattern, d.normalised)) continue;
        if (!kuaidi::verify_check_digit(other.check, d.normalised)) continue;
        CHECK(other.strength <= c.score);
      }
    }
    for (const auto& r : d.rejected) {
      INFO("rejected " << r.carrier->code << " " << r.pattern);
      CHECK(carriers_seen.count(str(r.carrier->code)) == 0);
      CHECK(r.check != kuaidi::check_digit::none);
      CHECK(kuaidi::matches_pattern(r.pattern, d.normalised));
      CHECK_FALSE(kuaidi::verify_check_digit(r.check, d.normalised));
    }
    // Never first-match: every rule that matches and verifies yields its carrier as a candidate.
    for (const auto& rule : kuaidi::all_format_rules()) {
      if (!kuaidi::matches_pattern(rule.pattern, d.normalised)) continue;
      if (!kuaidi::verify_check_digit(rule.check, d.normalised)) continue;
      CHECK(carriers_seen.count(str(rule.carrier_code)) == 1);
    }
    const bool strong_alone =
        !d.candidates.empty() && d.candidates[0].score >= 80 &&
        (d.candidates.size() == 1 || d.candidates[0].score - d.candidates[1].score >= 30);
    CHECK(d.certain == strong_alone);
  }
}
