#pragma once
// The small regular-expression language of format_rule patterns (not part of the public API).
// Validation is constexpr so that the rule table is checked at compile time; a valid pattern is
// compiled once into pieces for matching.
//
// sequence    := (atom quantifier?)*
// atom        := literal | \d | [class] | (sequence|sequence|…)
// quantifier  := {n} | {n,m}     (n ≤ m ≤ max_repeat)
// A class holds characters and ranges (a-z); '-' first or last is literal. Anything else, such as
// * + ? . ^ $, is an invalid pattern, and an invalid pattern matches nothing.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace kuaidi::pattern {

constexpr std::size_t npos = std::string_view::npos;
constexpr int max_repeat = 99;

constexpr bool is_special(char c) {
  return c == '\\' || c == '[' || c == ']' || c == '(' || c == ')' || c == '{' || c == '}' || c == '|' ||
         c == '*' || c == '+' || c == '?' || c == '.' || c == '^' || c == '$';
}

constexpr bool is_plain_ascii(char c) { return c > ' ' && c < 0x7f; }

// `i` is at '['; the index after the closing ']', or npos.
constexpr std::size_t class_end(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  if (j >= p.size() || p[j] == ']') return npos;
  while (j < p.size() && p[j] != ']') {
    const char c = p[j];
    if (!is_plain_ascii(c) || c == '[' || c == '\\') return npos;
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      const char hi = p[j + 2];
      if (!is_plain_ascii(hi) || hi == '[' || hi == '\\' || hi < c) return npos;
      j += 3;
    } else {
      j += 1;
    }
  }
  return j < p.size() ? j + 1 : npos;
}

constexpr bool class_contains(std::string_view atom, char c) {  // atom is "[…]"
  std::size_t j = 1;
  while (j + 1 < atom.size()) {
    if (j + 3 < atom.size() && atom[j + 1] == '-') {
      if (c >= atom[j] && c <= atom[j + 2]) return true;
      j += 3;
    } else {
      if (c == atom[j]) return true;
      j += 1;
    }
  }
  return false;
}

constexpr std::size_t sequence_end(std::string_view p, std::size_t i);

// `i` is at '('; the index after the matching ')', or npos.
constexpr std::size_t group_end(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  for (;;) {
    const std::size_t end = sequence_end(p, j);
    if (end == npos || end == j || end >= p.size()) return npos;  // no empty alternatives
    if (p[end] == ')') return end + 1;
    j = end + 1;  // p[end] == '|'
  }
}

constexpr std::size_t atom_end(std::string_view p, std::size_t i) {
  const char c = p[i];
  if (c == '\\') return i + 1 < p.size() && p[i + 1] == 'd' ? i + 2 : npos;
  if (c == '[') return class_end(p, i);
  if (c == '(') return group_end(p, i);
  if (!is_plain_ascii(c) || is_special(c)) return npos;
  return i + 1;
}

struct quantifier {
  int min = 1;
  int max = 1;
  std::size_t end = npos;  // index after the quantifier (or after the atom when there is none)
};

// Hand-written: std::from_chars is not constexpr in C++17, and the rule table is checked at
// compile time.
constexpr bool read_number(std::string_view p, std::size_t& j, int& value) {
  const std::size_t start = j;
  value = 0;
  while (j < p.size() && text::is_digit(p[j])) {
    value = value * 10 + (p[j] - '0');
    if (value > max_repeat) return false;
    ++j;
  }
  return j > start;
}

// `i` is just after an atom.
constexpr quantifier read_quantifier(std::string_view p, std::size_t i) {
  quantifier q;
  if (i >= p.size() || p[i] != '{') {
    q.end = i;
    return q;
  }
  std::size_t j = i + 1;
  int n = 0;
  if (!read_number(p, j, n)) return q;
  int m = n;
  if (j < p.size() && p[j] == ',') {
    ++j;
    if (!read_number(p, j, m)) return q;
  }
  if (j >= p.size() || p[j] != '}' || m < n) return q;
  q.min = n;
  q.max = m;
  q.end = j + 1;
  return q;
}

// From `i`, the index of the '|' or ')' or end that closes the sequence, or npos when invalid.
constexpr std::size_t sequence_end(std::string_view p, std::size_t i) {
  while (i < p.size() && p[i] != '|' && p[i] != ')') {
    const std::size_t a = atom_end(p, i);
    if (a == npos) return npos;
    const quantifier q = read_quantifier(p, a);
    if (q.end == npos) return npos;
    i = q.end;
  }
  return i;
}

// Patterns are short; the bound keeps the recursive parser and matcher off deep stacks.
constexpr std::size_t max_pattern_length = 128;
constexpr std::size_t max_text_length = 64;

constexpr bool is_valid_pattern(std::string_view p) {
  return !p.empty() && p.size() <= max_pattern_length && sequence_end(p, 0) == p.size();
}

// A valid pattern parsed once into pieces (an atom and its quantifier), so that matching walks
// small structs instead of re-reading the pattern text at every backtracking step.
struct piece {
  enum class kind : std::uint8_t { literal, digit, char_class, group };
  kind what = kind::literal;
  char literal = 0;
  int min = 1;
  int max = 1;
  std::uint32_t first = 0;  // group: its alternatives, [first, last) of compiled_pattern::alternatives
  std::uint32_t last = 0;
  std::uint64_t ascii[2] = {0, 0};  // char_class: bit c is set when the class holds ASCII c
};

struct piece_span {  // one sequence: [first, last) of compiled_pattern::pieces
  std::uint32_t first;
  std::uint32_t last;
};

struct compiled_pattern {
  std::vector<piece> pieces;
  std::vector<piece_span> alternatives;
  piece_span whole{0, 0};
  std::size_t shortest = 0;  // the lengths of text the pattern can match, capped just past
  std::size_t longest = 0;   // max_text_length: most rules fail on the length alone
};

// Only for patterns is_valid_pattern accepts.
compiled_pattern compile(std::string_view pattern);

// Whole-text match; false for text longer than max_text_length.
bool matches_compiled(const compiled_pattern& pattern, std::string_view text);

}  // namespace kuaidi::pattern
