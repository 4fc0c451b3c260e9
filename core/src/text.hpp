#pragma once
// Small byte-level text helpers shared by the core's sources and kuaidi-mock (not part of the
// public API).
// Defined here so that they inline: a call across sources passes each string_view through memory
// in WebAssembly, which costs more than these loops.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace kuaidi::text {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// 0–15 for a hexadecimal digit of either case, -1 for any other byte.
constexpr int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  const char lower = to_lower(c);
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

constexpr bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

// Byte equality without a call to memcmp (a plain byte loop in Debian's emscripten libc).
inline bool equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline bool is_ideographic_space_at(std::string_view s, std::size_t i) {  // U+3000
  return s.size() - i >= 3 && s[i] == '\xE3' && s[i + 1] == '\x80' && s[i + 2] == '\x80';
}

// Trims ASCII whitespace and the ideographic space U+3000 at both ends.
inline std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_ascii_space(s.front())) {
      s.remove_prefix(1);
    } else if (is_ideographic_space_at(s, 0)) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && is_ascii_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && is_ideographic_space_at(s, s.size() - 3)) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

// Trims HTTP's optional whitespace (RFC 9110 §5.6.3: spaces and tabs) at both ends; any other
// byte stays, for the header's own parser to refuse.
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Characters of valid UTF-8 (nullopt when invalid: overlongs, surrogates, truncated sequences).
inline std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    unsigned min_value = 0;
    unsigned value = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1, min_value = 0x80, value = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2, min_value = 0x800, value = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3, min_value = 0x10000, value = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (s.size() - i <= extra) return std::nullopt;  // sequence cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      value = (value << 6) | (next & 0x3Fu);
    }
    if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
    i += extra + 1;
  }
  return count;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// A whole number written only with digits (no sign, no spaces) and at most `max_digits` of them.
inline bool parse_digits(std::string_view s, std::size_t max_digits, std::int64_t& value) {
  if (!all_digits(s) || s.size() > max_digits) return false;
  return std::from_chars(s.data(), s.data() + s.size(), value).ec == std::errc();
}

// A whole number from `low` to `high` written only with digits, at most 18 of them.
inline std::optional<std::int64_t> whole_number(std::string_view s, std::int64_t low, std::int64_t high) {
  std::int64_t value = 0;
  if (!parse_digits(s, 18, value) || value < low || value > high) return std::nullopt;
  return value;
}

// Calls each(item) for every element of a comma-separated list (an HTTP list, or a flag's value),
// spaces and tabs trimmed; stops early when each returns true, and says whether it did.
template <typename Each>
bool any_list_item(std::string_view list, Each each) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (each(trim_ows(list.substr(0, comma)))) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

// How deeply a JSON text nests ({ and [ outside strings), counted before parsing: the parser
// recurses, so a deep enough text would overflow the stack.
inline int json_depth(std::string_view body) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = depth + 1 > deepest ? depth + 1 : deepest;
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// %XX escapes decoded (either case); with `plus_is_space` (a query, not a path) '+' is a space too.
// A '%' that starts no escape stays as it is, and sets `bad_escape`.
std::string percent_decode(std::string_view raw, bool plus_is_space, bool& bad_escape);

// The parts joined with one allocation, where a chain of + would allocate and copy at each step.
std::string concat(std::initializer_list<std::string_view> parts);

}  // namespace kuaidi::text
