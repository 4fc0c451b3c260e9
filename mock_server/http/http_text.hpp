#pragma once
// Reading header values the way RFC 9110 writes them: optional whitespace, case-insensitive
// tokens, comma-separated lists.

#include <cstddef>
#include <string_view>

namespace kuaidi::mock {

inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// ASCII only, as the "C" locale's tolower: header names are ASCII tokens.
constexpr unsigned char ascii_lower(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + ('a' - 'A')) : u;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// a before b, bytes compared lowercased (cpp-httplib's order of header names).
inline bool iless(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i])) return ascii_lower(a[i]) < ascii_lower(b[i]);
  return a.size() < b.size();
}

// Calls each(item) for every element of a comma-separated list, whitespace trimmed; stops early
// when each returns true, and says whether it did.
template <typename Each>
bool any_list_item(std::string_view list, Each each) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (each(trim_ows(list.substr(0, comma)))) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

}  // namespace kuaidi::mock
