#include "kuaidi/request.hpp"

#include <algorithm>
#include <cstdlib>

#include "detection.hpp"
#include "enum_names.hpp"
#include "text.hpp"

namespace kuaidi {

namespace {

constexpr std::size_t max_kddh_chars = 20;
constexpr std::size_t max_code_chars = 20;
constexpr std::size_t max_tel_chars = 14;
constexpr std::size_t max_appid_chars = 32;
constexpr std::size_t max_sendtime_chars = 13;
constexpr std::size_t max_sign_chars = 64;
constexpr std::size_t min_tracking_number_chars = 8;  // the shortest format any carrier issues
constexpr std::int64_t sendtime_window_ms = 5 * 60 * 1000;

// Length in characters; bytes that are not UTF-8 count one each so garbage still hits the limit.
std::size_t char_length(std::string_view value) { return text::utf8_length(value).value_or(value.size()); }

// The documented answer, with the msg as the vendor renders it.
validation& answer(validation& v, scenario_id id, std::string_view appid = {}) {
  v.answer = &entry(id);
  v.answer_msg = render_msg(*v.answer, appid);
  return v;
}

// The validation ends with a documented answer; moved out, since `return answer(v, …)` would copy.
validation answered(validation&& v, scenario_id id) {
  answer(v, id);
  return std::move(v);
}

bool absent_or_blank(const std::optional<std::string>& value) { return !value || text::trim(*value).empty(); }

bool too_long(const std::optional<std::string>& value, std::size_t limit) {
  return value && char_length(*value) > limit;
}

std::optional<std::int64_t> parse_sendtime_ms(std::string_view sendtime) {
  std::int64_t value = 0;
  if (!text::parse_digits(sendtime, 13, value)) return std::nullopt;
  return sendtime.size() >= 13 ? value : value * 1000;  // 13 digits are ms, fewer are seconds
}

const own_platform_app* find_app(const validation_options& options, std::string_view appid) {
  for (const auto& app : options.apps)
    if (app.appid == appid) return &app;
  return nullptr;
}

bool any_value_has_star(const request_params& params) {
  return std::any_of(params.all.begin(), params.all.end(),
                     [](const auto& p) { return text::contains(p.second, "*"); });
}

// Checks 1–11 of the header; true when one of them decided the answer.
bool check_own_platform(const request_params& p, const validation_options& o, validation& v) {
  if (absent_or_blank(p.appid)) return answer(v, scenario_id::appid_missing), true;
  if (too_long(p.appid, max_appid_chars)) return answer(v, scenario_id::appid_too_long), true;
  if (absent_or_blank(p.sendtime)) return answer(v, scenario_id::sendtime_missing), true;
  if (too_long(p.sendtime, max_sendtime_chars)) return answer(v, scenario_id::sendtime_too_long), true;
  if (absent_or_blank(p.sign)) return answer(v, scenario_id::sign_missing), true;
  if (too_long(p.sign, max_sign_chars)) return answer(v, scenario_id::sign_too_long), true;
  if (!o.source_allowed) return answer(v, scenario_id::source_forbidden), true;
  const own_platform_app* app = find_app(o, *p.appid);
  if (app && app->disabled) return answer(v, scenario_id::appid_disabled, *p.appid), true;
  const auto sent_ms = parse_sendtime_ms(text::trim(*p.sendtime));
  if (!sent_ms || std::llabs(*sent_ms - o.now_ms) > sendtime_window_ms)
    return answer(v, scenario_id::sendtime_expired), true;
  if (!app || !verify_sign(p.all, app->secret, o.algorithm, text::trim(*p.sign)))
    return answer(v, scenario_id::sign_invalid), true;
  if (any_value_has_star(p)) return answer(v, scenario_id::debug_data), true;
  return false;
}

bool is_phone_separator(std::string_view s) {
  for (std::string_view sep : {":", "：", ",", "，", "|", "#", ";", "；", "/"})
    if (s == sep) return true;
  return false;
}

bool is_mobile(std::string_view digits) {
  return digits.size() == 11 && digits[0] == '1' && text::all_digits(digits);
}

// "SF1234567890123:8888" — the old convention of other APIs, phone after a separator.
bool carries_phone(std::string_view kddh) {
  kddh = text::trim(kddh);
  std::size_t digits = 0;
  while (digits < kddh.size() && text::is_digit(kddh[kddh.size() - 1 - digits])) ++digits;
  if (digits != 4 && digits != 11) return false;
  const std::string_view phone = kddh.substr(kddh.size() - digits);
  if (digits == 11 && !is_mobile(phone)) return false;
  std::string_view rest = text::trim(kddh.substr(0, kddh.size() - digits));
  for (std::size_t sep_len : {1u, 3u}) {
    if (rest.size() > sep_len && is_phone_separator(rest.substr(rest.size() - sep_len)))
      return !text::trim(rest.substr(0, rest.size() - sep_len)).empty();
  }
  return false;
}

// A phone tail from what was sent in tel: 4 digits, or a mobile (with +86/86) whose last 4 count.
std::optional<std::string> phone_tail_of(std::string_view tel, bool& taken_from_full_number) {
  std::string digits;
  for (char c : tel) {
    if (text::is_digit(c)) {
      digits += c;
    } else if (c != ' ' && c != '-' && !(c == '+' && digits.empty())) {
      return std::nullopt;
    }
  }
  if (digits.size() == 4) return digits;
  if (digits.size() == 13 && digits.compare(0, 2, "86") == 0) digits.erase(0, 2);
  if (!is_mobile(digits)) return std::nullopt;
  taken_from_full_number = true;
  return digits.substr(7);
}

bool is_tracking_charset(std::string_view normalised) {
  return std::all_of(normalised.begin(), normalised.end(),
                     [](char c) { return text::is_digit(c) || text::is_upper(c); });
}

void advise(validation& v, advisory_kind kind, std::string zh, std::string en) {
  v.advisories.push_back({kind, {std::move(zh), std::move(en)}});
}

std::string bracketed(std::string_view name) { return text::concat({"「", name, "」"}); }

// The catalogue's msg for an id, quoted, for advisories that name the answer to expect.
std::string quoted_msg(scenario_id id) { return bracketed(entry(id).msg); }

// Carriers whose formats are unknown can never be contradicted by a number.
bool has_format_rules(const carrier* c) {
  for (const auto& rule : all_format_rules())
    if (rule.carrier_code == c->code) return true;
  return false;
}

bool is_candidate(const detection& d, const carrier* c) {
  return std::any_of(d.candidates.begin(), d.candidates.end(),
                     [c](const candidate& k) { return k.carrier == c; });
}

// The carrier the request will most likely be answered for: the code when known, else a
// certain detection.
const carrier* expected_carrier(const validation& v, const carrier* by_code) {
  if (by_code) return by_code;
  return v.carriers.certain ? v.carriers.best()->carrier : nullptr;
}

void advise_on_carrier(validation& v, const std::optional<std::string>& code) {
  const bool code_given = code && !text::trim(*code).empty();
  const carrier* by_code = code_given ? find_carrier(v.request.carrier_code) : nullptr;
  const detection& d = v.carriers;
  if (code_given && !by_code) {
    advise(v, advisory_kind::unknown_code,
           text::concat({"快递代码", bracketed(*code), "不在已知列表中，接口可能答复",
                         quoted_msg(scenario_id::carrier_unmatched),
                         "（仍会计费）。请从列表中选择，或留空让接口自动识别。"}),
           text::concat({"The carrier code \"", *code,
                         "\" is not a known code; the API may answer that it cannot match the carrier "
                         "(and still bill). Pick one from the list or leave it empty."}));
  }
  if (by_code && !d.candidates.empty() && has_format_rules(by_code) && !is_candidate(d, by_code)) {
    const carrier* best = d.best()->carrier;
    advise(v, advisory_kind::code_number_mismatch,
           text::concat(
               {"单号的格式不像", by_code->name_zh, "的单号，更像", best->name_zh, "。请确认快递代码。"}),
           text::concat({"The number does not look like a ", by_code->name_en, " number; it looks more like ",
                         best->name_en, ". Check the carrier code."}));
  }
  if (d.candidates.empty() && !d.rejected.empty()) {
    const carrier* near = d.rejected.front().carrier;
    advise(v, advisory_kind::check_digit_failed,
           text::concat({"单号的格式符合", near->name_zh, "，但校验位不对，可能抄错了一位。接口可能答复",
                         quoted_msg(scenario_id::number_wrong), "（仍会计费）。"}),
           text::concat({"The number has the format of ", near->name_en,
                         " but its check digit is wrong: a digit was probably mistyped. The API may "
                         "answer that the number is wrong (and still bill)."}));
  } else if (d.candidates.empty() && !code_given) {
    advise(v, advisory_kind::no_carrier_matched,
           text::concat({"没有认出这个单号属于哪家快递。可以填写快递代码，否则接口可能答复",
                         quoted_msg(scenario_id::carrier_unmatched), "（仍会计费）。"}),
           "No carrier was recognised for this number. Fill in the carrier code, or the API may "
           "answer that it cannot match the carrier (and still bill).");
  }
  const carrier* expected = expected_carrier(v, by_code);
  if (expected && expected->needs_phone_tail && v.request.phone_tail.empty()) {
    advise(v, advisory_kind::phone_tail_needed,
           text::concat({expected->name_zh, "需要收件人或寄件人手机号的后 4 位，不填时通常只会得到",
                         quoted_msg(scenario_id::no_record), "（仍会计费）。"}),
           text::concat({expected->name_en,
                         " answers only with the last 4 digits of the sender's or receiver's phone; "
                         "without them the answer is usually \"no record yet\" (still billed)."}));
  }
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view value) { return text::utf8_length(value); }

request_parameter parameter_of(advisory_kind kind) {
  switch (kind) {
    case advisory_kind::phone_tail_needed:
    case advisory_kind::phone_tail_taken: return request_parameter::tel;
    case advisory_kind::unknown_code:
    case advisory_kind::code_number_mismatch: return request_parameter::code;
    case advisory_kind::masked_number:
    case advisory_kind::check_digit_failed:
    case advisory_kind::no_carrier_matched: return request_parameter::kddh;
  }
  return request_parameter::kddh;
}

namespace {

constexpr names::row<advisory_kind> advisory_kind_names[] = {
    {advisory_kind::masked_number, "masked_number"},
    {advisory_kind::phone_tail_needed, "phone_tail_needed"},
    {advisory_kind::code_number_mismatch, "code_number_mismatch"},
    {advisory_kind::unknown_code, "unknown_code"},
    {advisory_kind::check_digit_failed, "check_digit_failed"},
    {advisory_kind::no_carrier_matched, "no_carrier_matched"},
    {advisory_kind::phone_tail_taken, "phone_tail_taken"},
};
static_assert(names::covers(advisory_kind_names, advisory_kind::phone_tail_taken));

}  // namespace

std::string_view to_string(advisory_kind kind) { return names::name_of(advisory_kind_names, kind); }

std::vector<query_parameter> parse_query_string(std::string_view query) {
  std::vector<query_parameter> parameters;
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    query_parameter p;
    p.name = text::percent_decode(pair.substr(0, eq), true, p.bad_encoding);
    if (eq != std::string_view::npos)
      p.value = text::percent_decode(pair.substr(eq + 1), true, p.bad_encoding);
    parameters.push_back(std::move(p));
  }
  return parameters;
}

namespace {

// The first occurrence of a known name fills its slot.
void take_known(request_params& params, const query_parameter& p) {
  std::optional<std::string>* slot = nullptr;
  if (p.name == "kddh")
    slot = &params.kddh;
  else if (p.name == "code")
    slot = &params.code;
  else if (p.name == "tel")
    slot = &params.tel;
  else if (p.name == "appid")
    slot = &params.appid;
  else if (p.name == "sendtime")
    slot = &params.sendtime;
  else if (p.name == "sign")
    slot = &params.sign;
  if (!slot || *slot) return;
  *slot = p.value;
  if (p.bad_encoding) params.badly_encoded.push_back(p.name);
}

}  // namespace

request_params params_from_query(const std::vector<query_parameter>& parameters) {
  request_params params;
  params.all.reserve(parameters.size());
  for (const auto& p : parameters) {
    params.all.emplace_back(p.name, p.value);
    take_known(params, p);
  }
  return params;
}

request_params params_from_query_string(std::string_view query) {
  std::vector<query_parameter> parameters = parse_query_string(query);
  request_params params;
  params.all.reserve(parameters.size());
  for (auto& p : parameters) {
    take_known(params, p);
    params.all.emplace_back(std::move(p.name), std::move(p.value));  // the parsed copy is not needed
  }
  return params;
}

validation validate(const request_params& p, const validation_options& options) {
  validation v;
  if (options.own_platform && check_own_platform(p, options, v)) return v;
  if (!p.kddh) return answered(std::move(v), scenario_id::kddh_missing);
  if (text::trim(*p.kddh).empty()) return answered(std::move(v), scenario_id::kddh_empty);
  if (too_long(p.kddh, max_kddh_chars)) return answered(std::move(v), scenario_id::kddh_too_long);
  if (too_long(p.code, max_code_chars)) return answered(std::move(v), scenario_id::code_too_long);
  if (too_long(p.tel, max_tel_chars)) return answered(std::move(v), scenario_id::tel_too_long);
  if (carries_phone(*p.kddh)) return answered(std::move(v), scenario_id::phone_in_kddh);

  bool tail_from_full_number = false;
  const bool tel_given = p.tel && !text::trim(*p.tel).empty();
  if (tel_given) {
    const auto tail =
        text::utf8_length(*p.tel) ? phone_tail_of(text::trim(*p.tel), tail_from_full_number) : std::nullopt;
    if (!tail) return answered(std::move(v), scenario_id::tel_invalid);
    v.request.phone_tail = *tail;
  }
  if (tail_from_full_number) {
    advise(v, advisory_kind::phone_tail_taken,
           text::concat({"已从完整手机号中取后 4 位「", v.request.phone_tail, "」作为手机尾号。"}),
           text::concat(
               {"Only the last 4 digits \"", v.request.phone_tail, "\" of the phone number are used."}));
  }

  v.request.tracking_number = normalise_tracking_number(*p.kddh);
  if (p.code) v.request.carrier_code = text::lower(text::trim(*p.code));
  if (text::contains(*p.kddh, "*")) {
    advise(v, advisory_kind::masked_number,
           "单号里有 *，像是从查询结果里复制的打码单号。接口会把含 * "
           "的值当作调试数据，查不到轨迹。请填写完整单号。",
           "The number contains '*': it looks like a masked number copied from an answer. The "
           "API treats values with '*' as debug data and finds no trace. Enter the full number.");
  }
  const std::string& number = v.request.tracking_number;
  if (!text::utf8_length(*p.kddh) || !is_tracking_charset(number) ||
      number.size() < min_tracking_number_chars)
    return answered(std::move(v), scenario_id::number_format_invalid);

  v.carriers = detect_normalised_carrier(number);
  advise_on_carrier(v, p.code);
  return v;
}

}  // namespace kuaidi
