// Cleaning of pasted input: every case of tests/vectors/input.json, both builds.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kuaidi/input.hpp"
#include "kuaidi/json.hpp"
#include "vectors.hpp"

namespace {

using nlohmann::json;

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string field(const json& c, const char* name) {
  const std::string hex = std::string(name) + "_hex";
  return c.contains(hex) ? from_hex(c.at(hex).get<std::string>()) : c.at(name).get<std::string>();
}

void check(const char* area, kuaidi::cleaned_input (*clean)(std::string_view)) {
  static const json vectors = kuaidi::test::load_vectors("input.json");
  REQUIRE(vectors.at(area).size() >= 8);
  for (const json& c : vectors.at(area)) {
    kuaidi::test::require_known_keys(c,
                                     {"name", "raw", "raw_hex", "value", "value_hex", "changes", "others"});
    const std::string name = c.at("name").get<std::string>();
    INFO(area << ": " << name);
    const kuaidi::cleaned_input out = clean(field(c, "raw"));
    CHECK(out.value == field(c, "value"));
    std::vector<std::string> kinds;
    for (const auto& change : out.changes) {
      kinds.push_back(change.kind);
      CHECK_FALSE(change.text.zh.empty());
      CHECK_FALSE(change.text.en.empty());
    }
    CHECK(kinds == c.at("changes").get<std::vector<std::string>>());
    CHECK(out.changed == !kinds.empty());
    CHECK(out.others == c.value("others", std::vector<std::string>{}));
    // The JSON the page reads: the C++ members' names.
    const json j = kuaidi::to_json(out);
    CHECK(j.at("value") == out.value);
    CHECK(j.at("changed") == out.changed);
    CHECK(j.at("changes").size() == out.changes.size());
  }
}

}  // namespace

TEST_CASE("tracking numbers pasted as people paste them", "[input]") {
  check("tracking_number", kuaidi::clean_tracking_number);
}

TEST_CASE("phone tails written as phone numbers", "[input]") {
  check("phone_tail", kuaidi::clean_phone_tail);
}

TEST_CASE("carriers named instead of coded", "[input]") { check("carrier", kuaidi::carrier_code_from_name); }

TEST_CASE("a name found is a code the carrier table knows", "[input]") {
  static const json vectors = kuaidi::test::load_vectors("input.json");
  for (const json& c : vectors.at("carrier")) {
    const auto out = kuaidi::carrier_code_from_name(c.at("raw").get<std::string>());
    if (out.changed) CHECK(kuaidi::find_carrier(out.value) != nullptr);
  }
}
