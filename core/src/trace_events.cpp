// What one trace event says on its own: its stage, read from the vendor's text by keywords; the
// state the answer's status number means; and its time, as the vendor writes it in China time.

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "kuaidi/interpret.hpp"
#include "kuaidi/time.hpp"
#include "text.hpp"

namespace kuaidi {

namespace {

// Keywords of the vendor's event texts, checked in this order: the first group that matches wins,
// so "退回签收" is a return and "派送失败" a problem, not a delivery.
struct stage_keywords {
  state stage;
  std::string_view words[10];
};

constexpr stage_keywords stage_table[] = {
    {state::returned, {"退回", "退件", "退还", "返回寄件", "返还寄件"}},
    {state::problem,
     {"问题件", "异常", "滞留", "无法派送", "派送失败", "投递失败", "延误", "破损", "丢失", "拒收"}},
    {state::delivered, {"签收", "妥投", "已取件", "已取出", "已代收", "投递成功", "已收货"}},
    {state::out_for_delivery,
     {"派件", "派送", "投递员", "待取件", "取件码", "快递柜", "驿站", "自提点", "代收点"}},
    {state::picked_up, {"揽收", "揽件", "已收件", "收寄", "已收取"}},
    {state::in_transit, {"发往", "到达", "离开", "中转", "运输", "转运", "已发出", "装车", "清关", "转寄"}},
};

constexpr bool keywords_have_two_bytes() {
  for (std::size_t g = 0; g < std::size(stage_table); ++g)
    for (std::size_t w = 0; w < std::size(stage_table[g].words); ++w)
      if (stage_table[g].words[w].size() == 1) return false;
  return true;
}
static_assert(keywords_have_two_bytes(), "the keyword index keys on a keyword's first two bytes");

// The keywords bucketed by their first two bytes, so that one pass over a text tries at each byte
// only the few keywords that may start there, instead of one search through the text per keyword.
// Built once, never changed.
class keyword_index {
 public:
  struct keyword {
    std::string_view word;
    std::size_t group;  // index in stage_table
  };

  keyword_index() {
    for (std::size_t g = 0; g < std::size(stage_table); ++g)
      for (std::string_view word : stage_table[g].words)
        if (!word.empty()) words_.push_back({word, g});
    std::stable_sort(words_.begin(), words_.end(), [](const keyword& a, const keyword& b) {
      return bucket(a.word[0], a.word[1]) < bucket(b.word[0], b.word[1]);
    });
    for (const keyword& k : words_) ++start_[bucket(k.word[0], k.word[1]) + 1];
    for (std::size_t b = 1; b < start_.size(); ++b) start_[b] += start_[b - 1];
  }

  struct keyword_range {
    const keyword* first;
    const keyword* last;
    const keyword* begin() const { return first; }
    const keyword* end() const { return last; }
  };

  // The keywords that may start at text[at] (text[at + 1] exists).
  keyword_range starting_at(std::string_view text, std::size_t at) const {
    const std::size_t b = bucket(text[at], text[at + 1]);
    return {words_.data() + start_[b], words_.data() + start_[b + 1]};
  }

 private:
  static constexpr std::size_t buckets = 1024;          // the hash below keeps 10 bits
  static std::size_t bucket(char first, char second) {  // Fibonacci hashing of the two bytes
    const std::uint32_t pair = static_cast<unsigned char>(first) * 256u + static_cast<unsigned char>(second);
    return (pair * 2654435769u) >> 22;
  }

  std::vector<keyword> words_;                      // by bucket, then in table order
  std::array<std::uint16_t, buckets + 1> start_{};  // bucket b is words_[start_[b], start_[b + 1])
};

const keyword_index& stage_keywords_index() {
  static const keyword_index index;
  return index;
}

bool has_at(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (text[at + i] != word[i]) return false;
  return true;
}

}  // namespace

std::optional<state> stage_from_text(std::string_view content) {
  // The first group in table order with a keyword anywhere in the text.
  const keyword_index& index = stage_keywords_index();
  std::size_t best = std::size(stage_table);
  for (std::size_t at = 0; at + 1 < content.size() && best > 0; ++at) {
    for (const auto& keyword : index.starting_at(content, at))
      if (keyword.group < best && has_at(content, at, keyword.word)) best = keyword.group;
  }
  if (best == std::size(stage_table)) return std::nullopt;
  return stage_table[best].stage;
}

std::optional<state> state_from_status(std::int64_t status) {
  switch (status) {
    case 0: return state::no_record;
    case 1: return state::picked_up;
    case 2: return state::in_transit;
    case 3: return state::delivered;
    case 4: return state::problem;
    case 5: return state::in_transit;  // forwarded
    case 6: return state::in_transit;  // in customs
    default: return std::nullopt;
  }
}

std::optional<std::int64_t> parse_event_time(std::string_view time) {
  time = text::trim(time);
  const auto number = [&](std::size_t at, std::size_t len) -> int {
    std::int64_t v = 0;
    if (at + len > time.size() || !text::parse_digits(time.substr(at, len), len, v)) return -1;
    return static_cast<int>(v);
  };
  if (time.size() != 16 && time.size() != 19) return std::nullopt;
  const char date_sep = time[4];
  if ((date_sep != '-' && date_sep != '/') || time[7] != date_sep || time[10] != ' ' || time[13] != ':' ||
      (time.size() == 19 && time[16] != ':'))
    return std::nullopt;
  const int y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
            s = time.size() == 19 ? number(17, 2) : 0;
  const auto days = days_from_civil(y, mo, d);
  if (y < 1970 || !days || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return std::nullopt;
  return *days * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace kuaidi
