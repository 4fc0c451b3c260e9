// Compiling a format_rule pattern into pieces, and the backtracking matcher over them.

#include "pattern.hpp"

#include <algorithm>

#include "kuaidi/carriers.hpp"

namespace kuaidi {
namespace pattern {
namespace {

piece simple_piece(std::string_view atom) {
  piece p;
  if (atom[0] == '\\') {
    p.what = piece::kind::digit;
  } else if (atom[0] == '[') {
    p.what = piece::kind::char_class;
    for (unsigned c = 0; c < 128; ++c)  // class_contains stays the one definition of a class
      if (class_contains(atom, static_cast<char>(c))) p.ascii[c / 64] |= std::uint64_t{1} << (c % 64);
  } else {
    p.literal = atom[0];
  }
  return p;
}

piece compile_group(std::string_view p, std::size_t i, compiled_pattern& out);

// The sequence from p[i] up to its '|', ')' or end; `i` ends there. Its own pieces are appended
// after those of its groups, so that each sequence is one contiguous span.
piece_span compile_sequence(std::string_view p, std::size_t& i, compiled_pattern& out) {
  std::vector<piece> own;
  while (i < p.size() && p[i] != '|' && p[i] != ')') {
    const std::size_t a = atom_end(p, i);
    piece next = p[i] == '(' ? compile_group(p, i, out) : simple_piece(p.substr(i, a - i));
    const quantifier q = read_quantifier(p, a);
    next.min = q.min;
    next.max = q.max;
    own.push_back(next);
    i = q.end;
  }
  const auto first = static_cast<std::uint32_t>(out.pieces.size());
  out.pieces.insert(out.pieces.end(), own.begin(), own.end());
  return {first, static_cast<std::uint32_t>(out.pieces.size())};
}

// `i` is at '('.
piece compile_group(std::string_view p, std::size_t i, compiled_pattern& out) {
  std::vector<piece_span> alternatives;
  do {
    ++i;  // past the '(' or '|'
    alternatives.push_back(compile_sequence(p, i, out));
  } while (p[i] == '|');
  piece g;
  g.what = piece::kind::group;
  g.first = static_cast<std::uint32_t>(out.alternatives.size());
  out.alternatives.insert(out.alternatives.end(), alternatives.begin(), alternatives.end());
  g.last = static_cast<std::uint32_t>(out.alternatives.size());
  return g;
}

struct length_range {
  std::size_t shortest;
  std::size_t longest;
};

// Past any text a pattern is matched against, so capping keeps "too long to match" true.
constexpr std::size_t length_cap = max_text_length + 1;

// The lengths of text a sequence can match (a match uses up its text: it has one of these).
length_range lengths(const compiled_pattern& p, piece_span sequence) {
  length_range total{0, 0};
  for (std::uint32_t k = sequence.first; k < sequence.last; ++k) {
    const piece& atom = p.pieces[k];
    length_range one{1, 1};
    if (atom.what == piece::kind::group) {
      one = {length_cap, 0};
      for (std::uint32_t a = atom.first; a < atom.last; ++a) {
        const length_range alternative = lengths(p, p.alternatives[a]);
        one.shortest = std::min(one.shortest, alternative.shortest);
        one.longest = std::max(one.longest, alternative.longest);
      }
    }
    total.shortest = std::min(length_cap, total.shortest + one.shortest * static_cast<std::size_t>(atom.min));
    total.longest = std::min(length_cap, total.longest + one.longest * static_cast<std::size_t>(atom.max));
  }
  return total;
}

}  // namespace

compiled_pattern compile(std::string_view pattern) {
  compiled_pattern out;
  std::size_t i = 0;
  out.whole = compile_sequence(pattern, i, out);
  const length_range range = lengths(out, out.whole);
  out.shortest = range.shortest;
  out.longest = range.longest;
  return out;
}

namespace {

// What remains to match once the current piece is done: the rest of a sequence, or a group that
// may repeat again. nullptr means the text must be used up.
struct continuation {
  const piece* group;  // non-null: resume repeating this group, `done` times so far
  int done;
  const piece* first;  // otherwise: match the pieces [first, last)
  const piece* last;
  const continuation* next;
};

// Backtracking matcher over a compiled pattern. Each repetition attempt is one step: the table's
// patterns need a few hundred at most, and a pathological pattern such as (0|0){40} gives up
// after the budget instead of running for hours.
class matcher {
 public:
  explicit matcher(const compiled_pattern& p)
      : pieces_(p.pieces.data()), alternatives_(p.alternatives.data()), whole_(p.whole) {}

  bool matches(std::string_view text) {
    return sequence(pieces_ + whole_.first, pieces_ + whole_.last, nullptr, text.data(),
                    text.data() + text.size());
  }

 private:
  static bool accepts(const piece& atom, char c) {
    switch (atom.what) {
      case piece::kind::literal: return atom.literal == c;
      case piece::kind::digit: return text::is_digit(c);
      case piece::kind::char_class: {
        const auto u = static_cast<unsigned char>(c);
        return u < 128 && ((atom.ascii[u / 64] >> (u % 64)) & 1) != 0;
      }
      case piece::kind::group: break;
    }
    return false;
  }

  bool resume(const continuation* k, const char* text, const char* end) {
    if (k == nullptr) return text == end;
    if (k->group != nullptr) return repeat(k->group, k->done, k->next, text, end);
    return sequence(k->first, k->last, k->next, text, end);
  }

  bool sequence(const piece* first, const piece* last, const continuation* next, const char* text,
                const char* end) {
    if (first == last) return resume(next, text, end);
    const continuation rest{nullptr, 0, first + 1, last, next};
    return repeat(first, 0, &rest, text, end);
  }

  // Greedy: one more repetition first, then fall back to what comes after.
  bool repeat(const piece* atom, int done, const continuation* after, const char* text, const char* end) {
    if (atom->what != piece::kind::group) return repeat_char(*atom, done, after, text, end);
    if (--steps_left_ < 0) return false;
    if (done < atom->max) {
      const continuation again{atom, done + 1, nullptr, nullptr, after};
      for (std::uint32_t a = atom->first; a < atom->last; ++a) {
        const piece_span alternative = alternatives_[a];
        if (sequence(pieces_ + alternative.first, pieces_ + alternative.last, &again, text, end)) return true;
      }
    }
    return done >= atom->min && resume(after, text, end);
  }

  // A one-character atom: the same steps and order as recursing once per repetition, as a loop.
  bool repeat_char(const piece& atom, int done, const continuation* after, const char* text,
                   const char* end) {
    int deepest = done;  // repetitions reached; the attempt at `deepest` may itself have run out
    for (;; ++deepest) {
      if (--steps_left_ < 0) break;  // this attempt fails without falling back
      if (deepest < atom.max && text + (deepest - done) != end && accepts(atom, text[deepest - done]))
        continue;
      if (deepest >= atom.min && resume(after, text + (deepest - done), end)) return true;
      break;
    }
    while (deepest-- > done)
      if (deepest >= atom.min && resume(after, text + (deepest - done), end)) return true;
    return false;
  }

  const piece* pieces_;
  const piece_span* alternatives_;
  piece_span whole_;
  int steps_left_ = 100000;
};
}  // namespace

bool matches_compiled(const compiled_pattern& pattern, std::string_view text) {
  return text.size() <= max_text_length && text.size() >= pattern.shortest &&
         text.size() <= pattern.longest && matcher(pattern).matches(text);
}

}  // namespace pattern

bool matches_pattern(std::string_view pattern, std::string_view text) {
  return text.size() <= pattern::max_text_length && pattern::is_valid_pattern(pattern) &&
         pattern::matches_compiled(pattern::compile(pattern), text);
}

}  // namespace kuaidi
