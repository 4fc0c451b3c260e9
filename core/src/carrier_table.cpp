// The carrier table and the tracking-number format rules: data, checked at compile time.
// Facts (codes, names, formats, check digits) come from shared/reference/carriers.md.

#include "carrier_table.hpp"

#include <iterator>

#include "pattern.hpp"
#include "text.hpp"

namespace kuaidi {
namespace {

// Chinese carriers in carriers.md's order, then the international ones.
// clang-format off
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
// clang-format on

using cd = check_digit;

// Score scale: letters + check digit 92–100; letter prefix + length 80–90; digit prefix 40 + 5 per
// digit; digits + check digit 35–85 (a random number passes one time in ten); length only 20–25;
// legacy −10; carriers.md confidence L −5; a claim on another carrier's format 55–65.
// clang-format off
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
// clang-format on

// A foreign post's S10 item names the post when it is one China receives much mail from;
// any other country code is still given in candidate::issuing_country.
struct s10_issuer {
  std::string_view country;
  localized_text reason;
};

// clang-format off
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
// clang-format on

constexpr bool carrier_exists(std::string_view code) {
  for (const carrier& c : carrier_table)
    if (c.code == code) return true;
  return false;
}

// find_carrier compares case-insensitively, which holds only while every code is lower case.
constexpr bool codes_are_lower_case() {
  for (const carrier& c : carrier_table)
    for (const char letter : c.code)
      if (text::is_upper(letter)) return false;
  return true;
}

constexpr bool rules_are_well_formed() {
  for (const format_rule& r : rule_table) {
    if (!carrier_exists(r.carrier_code) || !pattern::is_valid_pattern(r.pattern)) return false;
    if (r.strength < 0 || r.strength > 100 || r.note.zh.empty() || r.note.en.empty()) return false;
  }
  return true;
}
static_assert(std::size(carrier_table) == carrier_count, "carrier_count must match the table");
static_assert(codes_are_lower_case(), "carrier codes are written in lower case");
static_assert(rules_are_well_formed(), "a format rule names an unknown carrier or has a bad pattern");

}  // namespace

carrier_range all_carriers() { return {std::begin(carrier_table), std::end(carrier_table)}; }

const carrier* find_carrier(std::string_view carrier_code) {
  for (const carrier& c : carrier_table)
    if (text::iequals(c.code, carrier_code)) return &c;
  return nullptr;
}

format_rule_range all_format_rules() { return {std::begin(rule_table), std::end(rule_table)}; }

std::size_t carrier_index(const carrier& c) { return static_cast<std::size_t>(&c - carrier_table); }

const localized_text* s10_issuer_reason(std::string_view country) {
  for (const s10_issuer& issuer : s10_issuers)
    if (issuer.country == country) return &issuer.reason;
  return nullptr;
}

}  // namespace kuaidi
