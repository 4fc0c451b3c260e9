#pragma once
// Small byte-level text helpers shared by the core's sources (not part of the public API).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kuaidi::text {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
inline char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool all_digits(std::string_view s);
std::string lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// Trims ASCII whitespace and the ideographic space U+3000 at both ends.
std::string_view trim(std::string_view s);

// Characters of valid UTF-8 (nullopt when invalid: overlongs, surrogates, truncated sequences).
std::optional<std::size_t> utf8_length(std::string_view s);

bool contains(std::string_view haystack, std::string_view needle);

}  // namespace kuaidi::text
