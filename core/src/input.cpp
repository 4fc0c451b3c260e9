#include "kuaidi/input.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/carriers.hpp"
#include "text.hpp"

namespace kuaidi {
namespace {

// UTF-8 to code points; nullopt when the bytes are not UTF-8 (then nothing is cleaned).
std::optional<std::u32string> decode(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int extra = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size() + (extra == 0 ? 1 : 0))
      return std::nullopt;
    char32_t cp = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k <= extra; ++k) {
      const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

std::string encode(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000 || c == 0xA0;
}
bool is_ascii_alnum(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z');
}
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Punctuation a copy drags along at either end of a number.
bool is_edge_punctuation(char32_t c) {
  static const std::u32string_view marks = U".,;:!?'\"()[]<>。，、；：！？“”‘’「」『』（）【】《》…·";
  return marks.find(c) != std::u32string_view::npos;
}

std::u32string trim(std::u32string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::u32string(s.substr(b, e - b));
}

// Full-width ASCII (U+FF01–FF5E) and the ideographic space, as a Chinese input method types them.
bool to_half_width(std::u32string& s) {
  bool changed = false;
  for (char32_t& c : s) {
    if (c >= 0xFF01 && c <= 0xFF5E) {
      c -= 0xFEE0;
      changed = true;
    } else if (c == 0x3000) {
      c = U' ';
      changed = true;
    }
  }
  return changed;
}

bool has_non_ascii(std::u32string_view s) {
  for (char32_t c : s)
    if (c >= 0x80) return true;
  return false;
}

char32_t lower(char32_t c) { return c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c; }

bool starts_with_ci(std::u32string_view s, std::u32string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != lower(prefix[i])) return false;
  return true;
}

// A label in front of the value ("快递单号：", "Tracking number:"), longest first; removed with
// the separator after it. Returns the label removed, or empty.
std::u32string strip_label(std::u32string& s, std::initializer_list<std::u32string_view> labels) {
  for (std::u32string_view label : labels) {
    if (!starts_with_ci(s, label)) continue;
    std::size_t i = label.size();
    while (i < s.size() &&
           (is_space(s[i]) || s[i] == U':' || s[i] == U'=' || s[i] == U'#' || s[i] == U'是' || s[i] == U'为'))
      ++i;
    if (i == s.size()) return {};
    s.erase(0, i);
    return std::u32string(label);
  }
  return {};
}

// Punctuation at the ends, removed when a digit remains; returns what was removed.
std::u32string strip_edge_punctuation(std::u32string& s) {
  bool digit = false;
  for (char32_t c : s) digit = digit || is_digit(c);
  if (!digit) return {};
  std::u32string removed;
  while (!s.empty() && (is_edge_punctuation(s.back()) || is_space(s.back()))) {
    if (!is_space(s.back())) removed.insert(removed.begin(), s.back());
    s.pop_back();
  }
  std::size_t lead = 0;
  while (lead < s.size() && (is_edge_punctuation(s[lead]) || is_space(s[lead]))) {
    if (!is_space(s[lead])) removed.push_back(s[lead]);
    ++lead;
  }
  s.erase(0, lead);
  return removed;
}

// Runs of ASCII letters and digits that look like a tracking number: 8 or more characters, at
// least 6 of them digits.
std::vector<std::u32string> number_tokens(std::u32string_view s) {
  std::vector<std::u32string> tokens;
  for (std::size_t i = 0; i < s.size();) {
    if (!is_ascii_alnum(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    int digits = 0;
    while (j < s.size() && is_ascii_alnum(s[j])) digits += is_digit(s[j++]) ? 1 : 0;
    if (j - i >= 8 && digits >= 6) tokens.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return tokens;
}

void note(cleaned_input& out, std::string kind, std::string zh, std::string en) {
  out.changes.push_back({std::move(kind), {std::move(zh), std::move(en)}});
}

cleaned_input unchanged(std::string_view raw) {
  cleaned_input out;
  out.value = std::string(text::trim(raw));
  return out;
}

}  // namespace

cleaned_input clean_tracking_number(std::string_view raw) {
  auto decoded = decode(raw);
  if (!decoded) return unchanged(raw);
  cleaned_input out;
  std::u32string s = *decoded;
  if (to_half_width(s))
    note(out, "full_width", "全角字符已改为半角", "Full-width characters made half-width");
  s = trim(s);

  // Two spreadsheet cells (or lines): the first is queried, the others are named.
  std::vector<std::u32string> cells;
  {
    std::u32string cell;
    for (char32_t c : s) {
      if (c == U'\t' || c == U'\n' || c == U'\r') {
        if (!trim(cell).empty()) cells.push_back(trim(cell));
        cell.clear();
      } else {
        cell.push_back(c);
      }
    }
    if (!trim(cell).empty()) cells.push_back(trim(cell));
  }
  if (cells.size() > 1) s = cells.front();

  const std::u32string label = strip_label(
      s, {U"快递单号", U"运单号码", U"物流单号", U"运单号", U"快递号", U"单号", U"tracking number",
          U"tracking no.", U"tracking no", U"waybill number", U"waybill no.", U"waybill"});
  if (!label.empty()) {
    note(out, "label", "去掉了前面的「" + encode(label) + "」",
         "Removed the label \"" + encode(label) + "\"");
  }

  std::u32string removed = strip_edge_punctuation(s);
  // A number inside a copied sentence ("您的快递单号是YT…，请查收"): the number-like runs.
  bool picked = false;
  if (has_non_ascii(s)) {
    const auto tokens = number_tokens(s);
    if (!tokens.empty() && tokens.front() != s) {
      picked = true;
      s = tokens.front();
      note(out, "picked_from_text", "从粘贴的文字中取出了单号", "Took the number out of the pasted text");
      for (std::size_t i = 1; i < tokens.size(); ++i) out.others.push_back(encode(tokens[i]));
    }
  }
  removed += strip_edge_punctuation(s);
  if (!removed.empty() && !picked) {
    note(out, "punctuation", "去掉了首尾的「" + encode(removed) + "」",
         "Removed \"" + encode(removed) + "\" at the ends");
  }
  for (std::size_t i = 1; i < cells.size(); ++i) {
    std::u32string other = cells[i];
    strip_edge_punctuation(other);
    out.others.push_back(encode(other));
  }
  if (cells.size() > 1) {
    const std::string n = std::to_string(cells.size());
    note(out, "more_numbers", "粘贴的内容有 " + n + " 个单元格，只查询第一个；要一次查多个，请用批量查询",
         "The paste holds " + n + " cells: only the first is queried; use Batch for several");
  }
  out.value = encode(s);
  out.changed = out.value != std::string(text::trim(raw));
  if (!out.changed) out.changes.clear();
  // Taken verbatim from the paste: the full-width characters around it are not worth a word.
  if (out.changed && !out.value.empty() && text::contains(raw, out.value) && !out.changes.empty() &&
      out.changes.front().kind == "full_width")
    out.changes.erase(out.changes.begin());
  return out;
}

cleaned_input clean_phone_tail(std::string_view raw) {
  auto decoded = decode(raw);
  if (!decoded) return unchanged(raw);
  cleaned_input out;
  std::u32string s = *decoded;
  if (to_half_width(s)) note(out, "full_width", "全角数字已改为半角", "Full-width digits made half-width");
  s = trim(s);
  const std::u32string label =
      strip_label(s, {U"手机尾号", U"手机号", U"尾号", U"电话", U"手机", U"tel", U"phone"});
  if (!label.empty()) {
    note(out, "label", "去掉了前面的「" + encode(label) + "」",
         "Removed the label \"" + encode(label) + "\"");
  }
  // A whole phone number, as written anywhere: +86 138-0013-8888, (0086) 13800138888, 138 0013 8888.
  std::u32string digits;
  bool only_phone_marks = true;
  for (char32_t c : s) {
    if (is_digit(c))
      digits.push_back(c);
    else if (!(is_space(c) || c == U'-' || c == U'+' || c == U'(' || c == U')' || c == U'.'))
      only_phone_marks = false;
  }
  if (only_phone_marks && digits != s) {
    if (digits.size() == 13 && digits.compare(0, 2, U"86") == 0) digits.erase(0, 2);
    if (digits.size() == 15 && digits.compare(0, 4, U"0086") == 0) digits.erase(0, 4);
    if (digits.size() == 4 || digits.size() == 11) {
      note(out, "separators", "去掉了空格、横线和国家代码", "Removed spaces, dashes and the country code");
      s = digits;
    }
  }
  if (s.size() == 11 && s.front() == U'1') {
    bool all = true;
    for (char32_t c : s) all = all && is_digit(c);
    if (all) {
      s = s.substr(7);
      note(out, "phone_tail", "从手机号取后 4 位", "Kept the last 4 digits of the phone number");
    }
  }
  out.value = encode(s);
  out.changed = out.value != std::string(text::trim(raw));
  if (!out.changed) out.changes.clear();
  return out;
}

cleaned_input carrier_code_from_name(std::string_view raw) {
  auto decoded = decode(raw);
  if (!decoded) return unchanged(raw);
  std::u32string s = *decoded;
  to_half_width(s);
  const std::string typed = encode(trim(s));
  cleaned_input out;
  out.value = std::string(text::trim(raw));
  if (typed.empty() || find_carrier(typed)) return out;  // empty, or already a code
  // The names people say, then the table's own names.
  struct alias {
    std::string_view name;
    std::string_view code;
  };
  static constexpr alias aliases[] = {
      {"中通", "zhongtong"},      {"zto", "zhongtong"},           {"顺丰", "shunfeng"},
      {"sf", "shunfeng"},         {"极兔", "jtexpress"},          {"j&t", "jtexpress"},
      {"jt", "jtexpress"},        {"圆通", "yuantong"},           {"yto", "yuantong"},
      {"韵达", "yunda"},          {"申通", "shentong"},           {"sto", "shentong"},
      {"邮政", "youzhengguonei"}, {"中国邮政", "youzhengguonei"}, {"京东", "jd"},
      {"百世", "huitongkuaidi"},  {"best", "huitongkuaidi"},      {"德邦", "debangkuaidi"},
      {"deppon", "debangkuaidi"}, {"优速", "youshuwuliu"},        {"天天", "tiantian"},
      {"跨越", "kuayue"},
  };
  std::string_view code;
  for (const alias& a : aliases) {
    if (text::iequals(typed, a.name)) {
      code = a.code;
      break;
    }
  }
  if (code.empty()) {
    for (const carrier& c : all_carriers()) {
      if (text::iequals(typed, c.name_zh) || text::iequals(typed, c.name_en)) {
        code = c.code;
        break;
      }
    }
  }
  const carrier* found = code.empty() ? nullptr : find_carrier(code);
  if (!found) return out;
  out.value = std::string(found->code);
  out.changed = true;
  note(out, "carrier_name", "「" + typed + "」是" + std::string(found->name_zh) + "，快递代码 " + out.value,
       "\"" + typed + "\" is " + std::string(found->name_en) + ", code " + out.value);
  return out;
}

}  // namespace kuaidi
