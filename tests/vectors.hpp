#pragma once
// Loads a JSON vector file from tests/vectors; the same files drive the native and wasm runs.

#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kuaidi/result.hpp"

namespace kuaidi::test {

inline std::string read_vector_text(const std::string& name) {
  std::ifstream in(std::string(KUAIDI_VECTORS_DIR) + "/" + name, std::ios::binary);
  INFO("vector file: " << name);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json load_vectors(const std::string& name) {
  auto parsed = nlohmann::json::parse(read_vector_text(name), nullptr, false);
  INFO("vector file: " << name);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

// An operation the case needs to succeed: the case fails with its error otherwise.
template <typename T>
void require_ok(const result<T>& r) {
  INFO(r.error());
  REQUIRE(r.ok());
}

template <typename T>
T value_of(result<T> r) {
  require_ok(r);
  return std::move(*r);
}

// The parsed file, read once per run: most cases of a test file read the same one.
inline const nlohmann::json& vectors(const std::string& name) {
  static std::map<std::string, nlohmann::json> loaded;
  auto found = loaded.find(name);
  if (found == loaded.end()) found = loaded.emplace(name, load_vectors(name)).first;
  return found->second;
}

// A key its runner does not read would be skipped in silence, so a misspelled expectation could
// never fail: each object a runner reads names the keys it knows. "_…" keys are comments.
inline void require_known_keys(const nlohmann::json& object, std::initializer_list<std::string_view> known) {
  REQUIRE(object.is_object());
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (key.rfind('_', 0) == 0) continue;
    bool found = false;
    for (const auto k : known) found = found || key == k;
    if (!found) {
      std::string names;
      for (const auto k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      FAIL("unknown key \"" << key << "\" in the vector " << object.dump().substr(0, 160)
                            << " (misspelled? this runner reads: " << names << ")");
    }
  }
}

}  // namespace kuaidi::test
