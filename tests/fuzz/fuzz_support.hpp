#pragma once
// What every fuzz target shares: a property check that aborts (so libFuzzer keeps the input as a
// crash), and the catalogue and JSON facts the targets assert about the core's results.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kuaidi/catalogue.hpp"

namespace kuaidi::fuzz {

[[noreturn]] inline void property_failed(const char* condition, const char* file, int line,
                                         const std::string& what) {
  std::fprintf(stderr, "\n*** property failed at %s:%d: %s\n*** %s\n", file, line, condition, what.c_str());
  std::abort();
}

// A pointer the core handed out that must be one of the catalogue's own entries.
inline bool is_catalogue_entry(const scenario* s) {
  const scenario_range all = all_scenarios();
  for (const scenario& entry : all)
    if (&entry == s) return true;
  return false;
}

inline bool has_both_languages(std::string_view zh, std::string_view en) {
  return !zh.empty() && !en.empty();
}

// The result as the page and the mock send it: it must serialise (bytes that are not UTF-8
// become U+FFFD) and read back as the same kind of JSON value.
inline bool dumps_and_reads_back(const nlohmann::json& value) {
  const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const nlohmann::json again = nlohmann::json::parse(text, nullptr, false);
  return !again.is_discarded() && again.type() == value.type();
}

}  // namespace kuaidi::fuzz

// Aborts with the condition and an explanation when a property does not hold.
#define FUZZ_CHECK(condition, what)                                                          \
  do {                                                                                       \
    if (!(condition)) ::kuaidi::fuzz::property_failed(#condition, __FILE__, __LINE__, what); \
  } while (false)
