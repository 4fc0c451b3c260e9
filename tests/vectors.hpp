#pragma once
// Loads a JSON vector file from tests/vectors; the same files drive the native and wasm runs.

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

// Refuses keys the runner does not know: a misspelled expectation must fail, not be skipped.
inline void only_keys(const nlohmann::json& object, std::initializer_list<const char*> known) {
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* name : known) found = found || item.key() == name;
    INFO("vector key \"" << item.key() << "\" in " << object.dump());
    CHECK(found);
  }
}

}  // namespace kuaidi::test
