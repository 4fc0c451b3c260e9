#pragma once
// One name table per enum, read both ways: to_string and parse of every enum are these two lookups
// over its table (not part of the public API). A table may list a value twice: the first row is
// its name, later rows are spellings parse also accepts.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kuaidi::names {

template <typename Enum>
struct row {
  Enum value;
  std::string_view name;
};

// For a static_assert beside each table: every value up to `last` has a row.
template <typename Enum, std::size_t N>
constexpr bool covers(const row<Enum> (&table)[N], Enum last) {
  for (int value = 0; value <= static_cast<int>(last); ++value) {
    bool found = false;
    for (const row<Enum>& r : table) found = found || static_cast<int>(r.value) == value;
    if (!found) return false;
  }
  return true;
}

template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const row<Enum> (&table)[N], Enum value) {
  for (const row<Enum>& r : table)
    if (r.value == value) return r.name;
  return "unknown";  // a value cast from outside the enum's range
}

// The same lookup in a table with more columns: the `value` column of the row whose `name` column
// is `name`.
template <typename Row, std::size_t N, typename Enum>
constexpr std::optional<Enum> value_named(const Row (&table)[N], std::string_view Row::*name_column,
                                          Enum Row::*value_column, std::string_view name) {
  for (const Row& r : table)
    if (r.*name_column == name) return r.*value_column;
  return std::nullopt;
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const row<Enum> (&table)[N], std::string_view name) {
  return value_named(table, &row<Enum>::name, &row<Enum>::value, name);
}

// "a, b, c": the name of each row, in table order, for a message saying what is accepted.
template <typename Rows, typename NameOf>
std::string listed(const Rows& rows, NameOf name_in) {
  std::string out;
  for (const auto& r : rows) {
    if (!out.empty()) out += ", ";
    out += name_in(r);
  }
  return out;
}

// The same for a table of names alone.
template <typename Rows>
std::string listed(const Rows& rows) {
  return listed(rows, [](const auto& name) { return name; });
}

}  // namespace kuaidi::names
