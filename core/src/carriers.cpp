// The carrier table, the tracking-number format rules and the detector that ranks them.
// Facts (codes, names, formats, check digits) come from shared/reference/carriers.md.

#include "kuaidi/carriers.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "detection.hpp"

namespace kuaidi {
namespace {

// Chinese carriers in carriers.md's order, then the international ones.
constexpr carrier carrier_table[] = {
    {"shunfeng", "顺丰速运", "SF Express", true},
    {"shunfengkuaiyun", "顺丰快运", "SF Freight", true},
    {"fengwang", "丰网速运", "Fengwang Express", true},
    {"zhongtong", "中通快递", "ZTO Express", false},
    {"zhongtongkuaiyun", "中通快运", "ZTO Freight", false},
    {"yuantong", "圆通速递", "YTO Express", false},
    {"shentong", "申通快递", "STO Express", false},
    {"yunda", "韵达快递", "Yunda Express", false},
    {"jtexpress", "极兔速递", "J&T Express", false},
    {"huitongkuaidi", "百世快递", "BEST Express", false},
    {"baishiwuliu", "百世快运", "BEST Freight", false},
    {"jd", "京东快递", "JD Express", false},
    {"jingdongkuaiyun", "京东快运", "JD Freight", false},
    {"ems", "EMS", "China Post EMS", false},
    {"youzhengguonei", "邮政快递包裹", "China Post Parcel", false},
    {"youzhengbk", "邮政标准快递", "China Post Standard Express", false},
    {"youzhengguoji", "邮政国际包裹", "China Post International", false},
    {"debangkuaidi", "德邦快递", "Deppon Express", false},
    {"debangwuliu", "德邦物流", "Deppon Logistics", false},
    {"zhaijisong", "宅急送", "ZJS Express", false},
    {"annengwuliu", "安能物流", "ANE Logistics", false},
    {"yimidida", "壹米滴答", "Yimidida", false},
    {"kuayue", "跨越速运", "KYE Express", true},
    {"youshuwuliu", "优速快递", "UC Express", false},
    {"tiantian", "天天快递", "TTK Express", false},
    // carriers.md writes "丹鸟 (菜鸟速递)": the parenthesis is its former name, not part of kdmc.
    {"danniao", "丹鸟", "Danniao (Cainiao Express)", false},
    {"zhongyouex", "众邮快递", "Zhongyou Express", false},
    {"sxjdfreight", "顺心捷达", "Shunxin Jieda", false},
    {"suning", "苏宁物流", "Suning Logistics", false},
    {"ztky", "中铁快运", "China Railway Express", false},
    {"xinfengwuliu", "信丰物流", "Xinfeng Logistics", false},
    {"rrs", "日日顺物流", "RRS Logistics", false},
    {"pjbest", "品骏快递", "Pinjun Express", false},
    {"yunexpress", "云途物流", "YunExpress", false},
    {"ups", "UPS", "UPS", false},
    {"fedex", "FedEx", "FedEx", false},
    {"usps", "USPS", "USPS", false},
    {"dhl", "DHL Express", "DHL Express", false},
};

using cd = check_digit;

// Score scale: letters + check digit 92–100; letter prefix + length 80–90; digit prefix 40 + 5 per
// digit; digits + check digit 35–85 (a random number passes one time in ten); length only 20–25;
// legacy −10; carriers.md confidence L −5; a claim on another carrier's format 55–65.
constexpr format_rule rule_table[] = {
    {"shunfeng", "SF\\d{13}", cd::none, 90, false,
     {"顺丰单号：SF + 13 位数字", "SF + 13 digits"}},
    {"shunfeng", "\\d{12}", cd::none, 15, true,
     {"顺丰旧单号：12 位数字（已不再发放，多家共用此长度）",
      "legacy SF number: 12 digits (no longer issued; several carriers share the length)"}},
    {"zhongtong", "7[3-68]\\d{12}", cd::none, 50, false,
     {"中通单号：73–76 或 78 开头的 14 位数字（77 开头为申通）",
      "ZTO: 14 digits starting 73–76 or 78 (77 is STO)"}},
    {"zhongtong", "\\d{12}", cd::none, 15, true,
     {"中通旧单号：12 位数字（已不再发放）", "legacy ZTO number: 12 digits (no longer issued)"}},
    {"zhongtongkuaiyun", "\\d{12}", cd::none, 20, false,
     {"中通快运单号：12 位数字（仅一个来源）", "ZTO Freight: 12 digits (one source only)"}},
    {"yuantong", "YT\\d{13}", cd::none, 90, false,
     {"圆通单号：YT + 13 位数字", "YTO: YT + 13 digits"}},
    {"shentong", "77\\d{11,13}", cd::none, 50, false,
     {"申通单号：77 开头的 13–15 位数字", "STO: 13–15 digits starting 77"}},
    {"shentong", "\\d{12}", cd::none, 15, true,
     {"申通旧单号：12 位数字（已不再发放）", "legacy STO number: 12 digits (no longer issued)"}},
    {"yunda", "[34]\\d{14}", cd::none, 45, false,
     {"韵达单号：3 或 4 开头的 15 位数字", "Yunda: 15 digits starting 3 or 4"}},
    {"yunda", "(1\\d|31|39|50|55|58|66|77|80|88)\\d{11}", cd::none, 40, true,
     {"韵达旧单号：1x/31/39/50/55/58/66/77/80/88 开头的 13 位数字",
      "legacy Yunda number: 13 digits starting 1x, 31, 39, 50, 55, 58, 66, 77, 80 or 88"}},
    {"jtexpress", "JT\\d{13}", cd::none, 90, false,
     {"极兔单号：JT + 13 位数字", "J&T: JT + 13 digits"}},
    {"huitongkuaidi", "JT\\d{13}", cd::none, 55, false,
     {"百世快递已并入极兔，新单号也是 JT + 13 位数字，一般按极兔查询",
      "BEST Express joined J&T: its new numbers are JT + 13 digits, usually tracked as J&T"}},
    {"huitongkuaidi", "\\d{14}", cd::none, 15, true,
     {"百世快递旧单号：14 位数字（已不再发放）",
      "legacy BEST Express number: 14 digits (no longer issued)"}},
    {"baishiwuliu", "\\d{11,12}", cd::none, 20, false,
     {"百世快运单号：11–12 位数字（仅一个来源）", "BEST Freight: 11–12 digits (one source only)"}},
    {"jd", "JD[0-9A-Z]{2}\\d{11}", cd::none, 90, false,
     {"京东单号：JD + 2 位字母或数字 + 11 位数字（JDX、JDK、JDVA…）",
      "JD: JD + 2 letters or digits + 11 digits (JDX, JDK, JDVA…)"}},
    {"jd", "V[A-C]\\d{11}", cd::none, 80, true,
     {"京东旧单号：VA/VB/VC + 11 位数字", "legacy JD number: VA, VB or VC + 11 digits"}},
    {"ems", "E[A-Z]\\d{9}CN", cd::s10, 100, false,
     {"EMS 国际邮件：E 开头的万国邮联 S10 单号，中国邮政（CN）发出，校验位正确",
      "EMS item: UPU S10 number starting with E, issued by China Post (CN); check digit verified"}},
    {"ems", "(10|11|12|50|51|52|95|97|98|99)\\d{11}", cd::none, 50, false,
     {"EMS 国内单号：10/11/12/50/51/52/95/97/98/99 开头的 13 位数字",
      "EMS domestic: 13 digits starting 10, 11, 12, 50, 51, 52, 95, 97, 98 or 99"}},
    {"youzhengguonei", "(96|98|99)\\d{11}", cd::none, 50, false,
     {"邮政快递包裹单号：96/98/99 开头的 13 位数字",
      "China Post parcel: 13 digits starting 96, 98 or 99"}},
    {"youzhengguonei", "[GAKQPH]{2}\\d{9}([2-5]\\d|1[1-9]|6[0-5])", cd::none, 85, false,
     {"邮政快递包裹单号：G/A/K/Q/P/H 中两个字母 + 11 位数字（末两位 11–65）",
      "China Post parcel: two of G, A, K, Q, P, H + 11 digits (the last two 11–65)"}},
    {"youzhengbk", "1[01]\\d{11}", cd::none, 45, false,
     {"邮政标准快递单号：10 或 11 开头的 13 位数字（仅一个来源）",
      "China Post Standard Express: 13 digits starting 10 or 11 (one source only)"}},
    {"youzhengguoji", "[A-DF-Z][A-Z]\\d{9}CN", cd::s10, 98, false,
     {"中国邮政国际邮件：万国邮联 S10 单号，中国邮政（CN）发出，校验位正确",
      "China Post international item: UPU S10 number issued by China Post (CN); check digit verified"}},
    {"youzhengguoji", "E[A-Z]\\d{9}CN", cd::s10, 65, false,
     {"E 开头的中国邮政（CN）S10 单号属 EMS，也可按国际包裹查询；校验位正确",
      "a China Post (CN) S10 number starting with E is an EMS item, also trackable as "
      "international mail; check digit verified"}},
    {"youzhengguoji", "[A-Z]{2}\\d{9}([A-BD-Z][A-Z]|C[A-MO-Z])", cd::s10, 92, false,
     {"境外邮政发出的万国邮联 S10 邮件，末两位字母是发件国家/地区代码；校验位正确",
      "UPU S10 item from a post outside China; the last two letters name its country; check digit "
      "verified"}},
    {"debangkuaidi", "DPK\\d{12}", cd::none, 90, false,
     {"德邦快递单号：DPK + 12 位数字", "Deppon Express: DPK + 12 digits"}},
    {"debangkuaidi", "\\d{8,10}", cd::none, 15, true,
     {"德邦旧单号：8–10 位数字", "legacy Deppon number: 8–10 digits"}},
    {"debangwuliu", "DPK\\d{12}", cd::none, 55, false,
     {"DPK 单号属德邦快递，德邦物流也可查询", "a DPK number is Deppon Express's; Deppon Logistics also tracks it"}},
    {"debangwuliu", "\\d{8,10}", cd::none, 15, true,
     {"德邦旧单号：8–10 位数字", "legacy Deppon number: 8–10 digits"}},
    {"zhaijisong", "ZJS\\d{12}", cd::none, 90, false,
     {"宅急送单号：ZJS + 12 位数字", "ZJS + 12 digits"}},
    {"zhaijisong", "A\\d{12}", cd::none, 85, false,
     {"宅急送单号：A + 12 位数字", "ZJS: A + 12 digits"}},
    {"zhaijisong", "(42|16)\\d{8}", cd::none, 50, false,
     {"宅急送单号：42 或 16 开头的 10 位数字", "ZJS: 10 digits starting 42 or 16"}},
    {"zhaijisong", "\\d{10}", cd::none, 20, false,
     {"宅急送也发放其他开头的 10 位数字单号", "ZJS also issues 10-digit numbers with other prefixes"}},
    {"annengwuliu", "(210|300)\\d{9}", cd::none, 45, false,
     {"安能单号：210 或 300 开头的 12 位数字（实际单号中常见的开头）",
      "ANE: 12 digits starting 210 or 300 (prefixes seen on real numbers)"}},
    {"annengwuliu", "\\d{12}", cd::none, 25, false,
     {"安能单号：12 位数字", "ANE: 12 digits"}},
    {"yimidida", "\\d{12}", cd::none, 20, false,
     {"壹米滴答单号：12 位数字（仅一个来源）", "Yimidida: 12 digits (one source only)"}},
    {"kuayue", "\\d{11}", cd::none, 10, false,
     {"跨越速运：11 位数字（格式未公开，仅据一个样例）",
      "KYE: 11 digits (format unpublished; from one sample number only)"}},
    {"youshuwuliu", "VIP\\d{9}", cd::none, 85, false,
     {"优速单号：VIP + 9 位数字（仅一个来源）", "UC Express: VIP + 9 digits (one source only)"}},
    {"youshuwuliu", "\\d{12}", cd::none, 20, false,
     {"优速单号：12 位数字（仅一个来源）", "UC Express: 12 digits (one source only)"}},
    {"tiantian", "TT\\d{13}", cd::none, 80, true,
     {"天天快递旧单号：TT + 13 位数字（已停运）", "legacy TTK number: TT + 13 digits (carrier defunct)"}},
    {"tiantian", "\\d{12}", cd::none, 15, true,
     {"天天快递旧单号：12 位数字（已停运）", "legacy TTK number: 12 digits (carrier defunct)"}},
    {"danniao", "621\\d{12}", cd::none, 50, false,
     {"丹鸟单号：621 开头的 15 位数字（仅一个来源）",
      "Danniao: 15 digits starting 621 (one source only)"}},
    {"suning", "SN\\d{16}", cd::none, 85, false,
     {"苏宁物流单号：SN + 16 位数字（仅一个来源）", "Suning: SN + 16 digits (one source only)"}},
    {"ztky", "K\\d{11}", cd::none, 85, false,
     {"中铁快运单号：K + 11 位数字", "China Railway Express: K + 11 digits"}},
    {"xinfengwuliu", "(13[0789]|18[89])\\d{9}", cd::none, 50, false,
     {"信丰物流单号：130/137/138/139/188/189 开头的 12 位数字（仅一个来源）",
      "Xinfeng: 12 digits starting 130, 137, 138, 139, 188 or 189 (one source only)"}},
    {"rrs", "[0-9-]{10,20}", cd::none, 15, false,
     {"日日顺物流单号：10–20 位数字（仅一个来源）", "RRS: 10–20 digits (one source only)"}},
    {"pjbest", "\\d{14}", cd::none, 15, true,
     {"品骏快递旧单号：14 位数字（已停运）", "legacy Pinjun number: 14 digits (carrier defunct)"}},
    {"yunexpress", "YT\\d{16}", cd::none, 90, false,
     {"云途物流单号：YT + 16 位数字（YT + 13 位为圆通）",
      "YunExpress: YT + 16 digits (YT + 13 is YTO)"}},
    {"ups", "1Z[0-9A-Z]{15}\\d", cd::ups, 100, false,
     {"UPS 单号：1Z + 15 位字母或数字 + 校验位，校验位正确",
      "UPS: 1Z + 15 letters or digits + check digit; check digit verified"}},
    {"fedex", "96\\d{20}", cd::fedex22, 85, false,
     {"FedEx Ground 条码：96 + 20 位数字，校验位正确",
      "FedEx Ground barcode: 96 + 20 digits; check digit verified"}},
    {"fedex", "\\d{12}", cd::fedex12, 35, false,
     {"FedEx Express 单号：12 位数字，校验位正确（随机 12 位数字约十分之一也能通过）",
      "FedEx Express: 12 digits; check digit verified (about one random number in ten passes)"}},
    {"fedex", "\\d{15}", cd::fedex15, 35, false,
     {"FedEx Ground 单号：15 位数字，校验位正确（随机 15 位数字约十分之一也能通过）",
      "FedEx Ground: 15 digits; check digit verified (about one random number in ten passes)"}},
    {"fedex", "\\d{34}", cd::fedex12, 40, false,
     {"FedEx Express 34 位条码（末尾含 12 位单号），校验位正确",
      "FedEx Express 34-digit barcode (the 12-digit number at its end); check digit verified"}},
    {"usps", "9[2-5]\\d{20}", cd::usps, 85, false,
     {"USPS IMpb 单号：92–95 开头的 22 位数字，校验位正确",
      "USPS IMpb: 22 digits starting 92–95; check digit verified"}},
    {"usps", "\\d{20,34}", cd::usps, 60, false,
     {"USPS 单号：20–34 位数字（可带 420 + 邮编前缀），校验位正确",
      "USPS: 20–34 digits (a 420 + ZIP prefix allowed); check digit verified"}},
    {"dhl", "\\d{10,11}", cd::dhl, 35, false,
     {"DHL Express 运单号：10–11 位数字，模 7 校验位正确（随机数字约十分之一也能通过）",
      "DHL Express waybill: 10–11 digits; mod 7 check digit verified (about one random number in "
      "ten passes)"}},
};

// A foreign post's S10 item names the post when it is one China receives much mail from;
// any other country code is still given in candidate::issuing_country.
struct s10_issuer {
  std::string_view country;
  localized_text reason;
};

constexpr s10_issuer s10_issuers[] = {
    {"HK", {"香港邮政（HK）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Hongkong Post (HK); check digit verified"}},
    {"MO", {"澳门邮电（MO）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Macao Post (MO); check digit verified"}},
    {"US", {"美国邮政（US）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from USPS (US); check digit verified"}},
    {"GB", {"英国皇家邮政（GB）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Royal Mail (GB); check digit verified"}},
    {"JP", {"日本邮政（JP）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Japan Post (JP); check digit verified"}},
    {"KR", {"韩国邮政（KR）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Korea Post (KR); check digit verified"}},
    {"SG", {"新加坡邮政（SG）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Singapore Post (SG); check digit verified"}},
    {"DE", {"德国邮政（DE）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Deutsche Post (DE); check digit verified"}},
    {"FR", {"法国邮政（FR）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from La Poste (FR); check digit verified"}},
    {"AU", {"澳大利亚邮政（AU）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Australia Post (AU); check digit verified"}},
    {"CA", {"加拿大邮政（CA）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Canada Post (CA); check digit verified"}},
    {"RU", {"俄罗斯邮政（RU）发出的万国邮联 S10 邮件，校验位正确",
            "UPU S10 item from Russian Post (RU); check digit verified"}},
};

// Every two-letter code, so candidate::issuing_country can view static storage.
constexpr std::array<char, 26 * 26 * 2> make_letter_pairs() {
  std::array<char, 26 * 26 * 2> pairs{};
  for (std::size_t i = 0; i < 26 * 26; ++i) {
    pairs[2 * i] = static_cast<char>('A' + i / 26);
    pairs[2 * i + 1] = static_cast<char>('A' + i % 26);
  }
  return pairs;
}
constexpr auto letter_pairs = make_letter_pairs();

constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr int digit_value(char c) { return c - '0'; }

std::string_view country_code_of(std::string_view s10_number) {
  const char a = s10_number[s10_number.size() - 2];
  const char b = s10_number[s10_number.size() - 1];
  if (!is_upper(a) || !is_upper(b)) return {};
  const auto index = static_cast<std::size_t>((a - 'A') * 26 + (b - 'A'));
  return {letter_pairs.data() + 2 * index, 2};
}

// ---- the pattern language -------------------------------------------------------------------
// sequence    := (atom quantifier?)*
// atom        := literal | \d | [class] | (sequence|sequence|…)
// quantifier  := {n} | {n,m}     (n ≤ m ≤ max_repeat)
// A class holds characters and ranges (a-z); '-' first or last is literal. Anything else, such as
// * + ? . ^ $, is an invalid pattern, and an invalid pattern matches nothing.

constexpr std::size_t npos = std::string_view::npos;
constexpr int max_repeat = 99;

constexpr bool is_special(char c) {
  return c == '\\' || c == '[' || c == ']' || c == '(' || c == ')' || c == '{' || c == '}' ||
         c == '|' || c == '*' || c == '+' || c == '?' || c == '.' || c == '^' || c == '$';
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

constexpr bool read_number(std::string_view p, std::size_t& j, int& value) {
  const std::size_t start = j;
  value = 0;
  while (j < p.size() && is_digit(p[j])) {
    value = value * 10 + digit_value(p[j]);
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

// Only for patterns is_valid_pattern accepts.
compiled_pattern compile(std::string_view pattern) {
  compiled_pattern out;
  std::size_t i = 0;
  out.whole = compile_sequence(pattern, i, out);
  const length_range range = lengths(out, out.whole);
  out.shortest = range.shortest;
  out.longest = range.longest;
  return out;
}

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
      case piece::kind::digit: return is_digit(c);
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
  bool repeat(const piece* atom, int done, const continuation* after, const char* text,
              const char* end) {
    if (atom->what != piece::kind::group) return repeat_char(*atom, done, after, text, end);
    if (--steps_left_ < 0) return false;
    if (done < atom->max) {
      const continuation again{atom, done + 1, nullptr, nullptr, after};
      for (std::uint32_t a = atom->first; a < atom->last; ++a) {
        const piece_span alternative = alternatives_[a];
        if (sequence(pieces_ + alternative.first, pieces_ + alternative.last, &again, text, end))
          return true;
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
      if (deepest < atom.max && text + (deepest - done) != end &&
          accepts(atom, text[deepest - done]))
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

bool matches_compiled(const compiled_pattern& pattern, std::string_view text) {
  return text.size() <= max_text_length && text.size() >= pattern.shortest &&
         text.size() <= pattern.longest && matcher(pattern).matches(text);
}

// ---- table checks at compile time ----------------------------------------------------------

constexpr bool carrier_exists(std::string_view code) {
  for (const carrier& c : carrier_table)
    if (c.code == code) return true;
  return false;
}

constexpr bool rules_are_well_formed() {
  for (const format_rule& r : rule_table) {
    if (!carrier_exists(r.carrier_code) || !is_valid_pattern(r.pattern)) return false;
    if (r.strength < 0 || r.strength > 100 || r.note.zh.empty() || r.note.en.empty()) return false;
  }
  return true;
}
static_assert(rules_are_well_formed(), "a format rule names an unknown carrier or has a bad pattern");

// ---- normalisation -----------------------------------------------------------------------------

bool is_space_at(std::string_view s, std::size_t i, std::size_t& width) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
    width = 1;
    return true;
  }
  // U+3000 IDEOGRAPHIC SPACE, the full-width space of Chinese input methods.
  if (c == '\xE3' && s.substr(i, 3) == "\xE3\x80\x80") {
    width = 3;
    return true;
  }
  return false;
}

// A JD waybill is 15 characters (JDVA…, JDX…, JDK…) or, before, VA/VB/VC + 11 digits.
constexpr std::string_view jd_waybill = "(JD[0-9A-Z]{13}|V[A-C]\\d{11})";

// The patterns normalisation uses, compiled once on first use and never changed.
struct normalisation_patterns {
  compiled_pattern waybill = compile(jd_waybill);
  compiled_pattern package_count = compile("\\d{1,4}");
  compiled_pattern ns_suffix = compile("N\\d{1,4}S\\d{1,4}");
};

const normalisation_patterns& normalisation() {
  static const normalisation_patterns patterns;
  return patterns;
}

bool is_jd_waybill(std::string_view s) { return matches_compiled(normalisation().waybill, s); }

// A byte string written into room reserved up front, dropping any U+3000 a byte completes:
// removing characters from bytes that are not UTF-8 can join their neighbours into a new one, and
// a normalised number must normalise to itself. So it never holds a U+3000.
class compact_text {
 public:
  explicit compact_text(std::size_t most) : bytes_(most, '\0'), first_(bytes_.data()), next_(first_) {}
  compact_text(const compact_text&) = delete;  // it points into its own bytes
  compact_text& operator=(const compact_text&) = delete;

  void push(char c) {
    *next_++ = c;
    if (c == '\x80' && next_ - first_ >= 3 && next_[-2] == '\x80' && next_[-3] == '\xE3') next_ -= 3;
  }

  std::string take() {
    bytes_.resize(static_cast<std::size_t>(next_ - first_));
    return std::move(bytes_);
  }

 private:
  std::string bytes_;
  char* first_;
  char* next_;
};

std::string without_dashes(std::string_view s) {
  compact_text out(s.size());
  for (const char c : s)
    if (c != '-') out.push(c);
  return out.take();
}

// Where "-<n>-<total>" (a trailing '-' as printed on some labels allowed) starts after a JD
// waybill, or npos. The waybill itself may have been typed with dashes.
std::size_t jd_dash_suffix_start(std::string_view s) {
  std::string_view body = s;
  if (!body.empty() && body.back() == '-') body.remove_suffix(1);
  const std::size_t last = body.rfind('-');
  if (last == npos || last == 0) return npos;
  const std::size_t first = body.rfind('-', last - 1);
  if (first == npos) return npos;
  const std::string_view package = body.substr(first + 1, last - first - 1);
  const std::string_view total = body.substr(last + 1);
  const compiled_pattern& count = normalisation().package_count;
  if (!matches_compiled(count, package) || !matches_compiled(count, total)) return npos;
  return is_jd_waybill(without_dashes(body.substr(0, first))) ? first : npos;
}

// "<waybill>N<n>S<total>".
std::string_view without_jd_ns_suffix(std::string_view s) {
  const std::size_t n = s.rfind('N');
  if (n == npos || n == 0) return s;
  if (is_jd_waybill(s.substr(0, n)) && matches_compiled(normalisation().ns_suffix, s.substr(n)))
    return s.substr(0, n);
  return s;
}

// ---- check digits ------------------------------------------------------------------------------

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

// Weights 3,1,3,1… from the right over all but the last digit; check = (10 − sum mod 10) mod 10.
bool verify_mod10_31(std::string_view digits) {
  if (digits.size() < 2 || !all_digits(digits)) return false;
  int sum = 0;
  int weight = 3;
  for (std::size_t i = digits.size() - 1; i-- > 0;) {
    sum += digit_value(digits[i]) * weight;
    weight = weight == 3 ? 1 : 3;
  }
  return (10 - sum % 10) % 10 == digit_value(digits.back());
}

bool verify_s10(std::string_view n) {
  if (n.size() != 13 || !is_upper(n[0]) || !is_upper(n[1]) || !all_digits(n.substr(2, 9)) ||
      !is_upper(n[11]) || !is_upper(n[12]))
    return false;
  constexpr int weights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += digit_value(n[2 + i]) * weights[i];
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  return check == digit_value(n[10]);
}

bool verify_ups(std::string_view n) {
  if (n.size() != 18 || n.substr(0, 2) != "1Z" || !is_digit(n[17])) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 15; ++i) {
    const char c = n[2 + i];
    int value = 0;
    if (is_digit(c))
      value = digit_value(c);
    else if (is_upper(c))
      value = (c - 3) % 10;
    else
      return false;
    sum += value * (i % 2 == 0 ? 1 : 2);
  }
  return (10 - sum % 10) % 10 == digit_value(n[17]);
}

// FedEx Express: weights 1,3,7 from the right (3,1,7 from the left over a 12-digit number's first
// 11), sum mod 11 mod 10. A 34-digit Express barcode carries the number in its last 14 digits.
bool verify_fedex12(std::string_view n) {
  if (n.size() < 2 || !all_digits(n)) return false;
  const std::string_view serial = n.size() == 34 ? n.substr(20, 13) : n.substr(0, n.size() - 1);
  constexpr int weights[3] = {1, 3, 7};
  int sum = 0;
  std::size_t k = 0;
  for (std::size_t i = serial.size(); i-- > 0; ++k) sum += digit_value(serial[i]) * weights[k % 3];
  return sum % 11 % 10 == digit_value(n.back());
}

// USPS: a 420 + ZIP (5 or 9 digits) routing prefix is not part of the checked number.
bool verify_usps(std::string_view n) {
  if (!all_digits(n)) return false;
  if (n.substr(0, 3) == "420") {
    bool tried = false;
    for (const std::size_t prefix : {std::size_t{8}, std::size_t{12}}) {
      if (n.size() >= prefix + 20) {
        tried = true;
        if (verify_mod10_31(n.substr(prefix))) return true;
      }
    }
    if (tried) return false;
  }
  return verify_mod10_31(n);
}

bool verify_dhl(std::string_view n) {
  if (n.size() < 2 || !all_digits(n)) return false;
  int remainder = 0;
  for (std::size_t i = 0; i + 1 < n.size(); ++i) remainder = (remainder * 10 + digit_value(n[i])) % 7;
  return remainder == digit_value(n.back());
}

std::size_t carrier_index(const carrier* c) { return static_cast<std::size_t>(c - carrier_table); }

// The rule table with each pattern compiled and its carrier looked up, and for each length of
// number the rules that can match it, in table order. Built once on first use, never changed.
struct compiled_rule {
  const format_rule* rule;
  compiled_pattern pattern;
  std::size_t carrier;
};

struct compiled_rule_table {
  std::vector<compiled_rule> rules;
  std::array<std::vector<const compiled_rule*>, max_text_length + 1> by_length;
};

const compiled_rule_table& compiled_rules() {
  static const compiled_rule_table table = [] {
    compiled_rule_table out;
    out.rules.reserve(std::size(rule_table));
    for (const format_rule& r : rule_table)
      out.rules.push_back({&r, compile(r.pattern), carrier_index(find_carrier(r.carrier_code))});
    for (const compiled_rule& r : out.rules)
      for (std::size_t n = r.pattern.shortest; n <= std::min(r.pattern.longest, max_text_length); ++n)
        out.by_length[n].push_back(&r);
    return out;
  }();
  return table;
}

// The rules whose patterns can match a number of this length.
const std::vector<const compiled_rule*>& rules_for_length(std::size_t length) {
  static const std::vector<const compiled_rule*> none;
  return length <= max_text_length ? compiled_rules().by_length[length] : none;
}

localized_text s10_reason(const format_rule& rule, std::string_view country) {
  if (country.empty() || country == "CN") return rule.note;
  for (const s10_issuer& issuer : s10_issuers)
    if (issuer.country == country) return issuer.reason;
  return rule.note;
}

}  // namespace

carrier_range all_carriers() { return {std::begin(carrier_table), std::end(carrier_table)}; }

const carrier* find_carrier(std::string_view carrier_code) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const carrier& c : carrier_table) {
    if (c.code.size() != carrier_code.size()) continue;
    if (std::equal(c.code.begin(), c.code.end(), carrier_code.begin(),
                   [&](char a, char b) { return a == lower(b); }))
      return &c;
  }
  return nullptr;
}

std::string normalise_tracking_number(std::string_view tracking_number) {
  compact_text compact(tracking_number.size());
  bool dashes = false;
  for (std::size_t i = 0; i < tracking_number.size();) {
    std::size_t width = 0;
    if (is_space_at(tracking_number, i, width)) {
      i += width;
      continue;
    }
    const char c = tracking_number[i++];
    dashes = dashes || c == '-';
    compact.push(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  std::string number = compact.take();
  if (dashes) {
    // The dash form of the JD suffix has to be seen before the dashes go.
    const std::size_t suffix = jd_dash_suffix_start(number);
    if (suffix != npos) number.resize(suffix);
    number = without_dashes(number);
  }
  number.resize(without_jd_ns_suffix(number).size());  // the number without the suffix is a prefix
  return number;
}

std::string_view to_string(check_digit kind) {
  switch (kind) {
    case check_digit::none: return "none";
    case check_digit::s10: return "s10";
    case check_digit::ups: return "ups";
    case check_digit::fedex12: return "fedex12";
    case check_digit::fedex15: return "fedex15";
    case check_digit::fedex22: return "fedex22";
    case check_digit::usps: return "usps";
    case check_digit::dhl: return "dhl";
  }
  return "none";
}

bool verify_check_digit(check_digit kind, std::string_view normalised_number) {
  switch (kind) {
    case check_digit::none: return true;
    case check_digit::s10: return verify_s10(normalised_number);
    case check_digit::ups: return verify_ups(normalised_number);
    case check_digit::fedex12: return verify_fedex12(normalised_number);
    case check_digit::fedex15: return verify_mod10_31(normalised_number);
    case check_digit::fedex22:  // the 15-digit Ground number printed at the barcode's end
      return normalised_number.size() >= 15 &&
             verify_mod10_31(normalised_number.substr(normalised_number.size() - 15));
    case check_digit::usps: return verify_usps(normalised_number);
    case check_digit::dhl: return verify_dhl(normalised_number);
  }
  return false;
}

format_rule_range all_format_rules() { return {std::begin(rule_table), std::end(rule_table)}; }

bool matches_pattern(std::string_view pattern, std::string_view text) {
  return text.size() <= max_text_length && is_valid_pattern(pattern) &&
         matches_compiled(compile(pattern), text);
}

detection detect_carrier(std::string_view tracking_number) {
  return detect_normalised_carrier(normalise_tracking_number(tracking_number));
}

detection detect_normalised_carrier(std::string normalised) {
  detection result;
  result.normalised = std::move(normalised);
  const std::string_view number = result.normalised;

  // Every rule is evaluated; each carrier keeps its best-scoring rule (the earlier on a tie).
  std::array<const format_rule*, std::size(carrier_table)> best{};
  std::array<const format_rule*, std::size(carrier_table)> failed{};
  for (const compiled_rule* compiled : rules_for_length(number.size())) {
    if (!matches_compiled(compiled->pattern, number)) continue;
    const format_rule& rule = *compiled->rule;
    const std::size_t index = compiled->carrier;
    if (!verify_check_digit(rule.check, number)) {
      if (failed[index] == nullptr) failed[index] = &rule;
      continue;
    }
    if (best[index] == nullptr || rule.strength > best[index]->strength) best[index] = &rule;
  }

  for (std::size_t i = 0; i < std::size(carrier_table); ++i) {
    const format_rule* rule = best[i];
    if (rule == nullptr) {
      if (failed[i] != nullptr)
        result.rejected.push_back({&carrier_table[i], failed[i]->pattern, failed[i]->check});
      continue;
    }
    candidate found{&carrier_table[i], rule->strength, rule->pattern,
                    rule->check != check_digit::none, rule->note, {}};
    if (rule->check == check_digit::s10) {
      found.issuing_country = country_code_of(number);
      found.reason = s10_reason(*rule, found.issuing_country);
    }
    result.candidates.push_back(found);
  }
  // Candidates were pushed in table order, so a stable sort keeps it for equal scores.
  std::stable_sort(result.candidates.begin(), result.candidates.end(),
                   [](const candidate& a, const candidate& b) { return a.score > b.score; });

  const auto& list = result.candidates;
  result.certain = !list.empty() && list[0].score >= 80 &&
                   (list.size() == 1 || list[0].score - list[1].score >= 30);
  return result;
}

}  // namespace kuaidi
