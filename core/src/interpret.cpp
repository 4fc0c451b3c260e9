#include "kuaidi/interpret.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "enum_names.hpp"
#include "text.hpp"

namespace kuaidi {

namespace {

using json = nlohmann::json;

constexpr int max_body_depth = 64;  // deeper nesting is not an API answer; parsing it risks the stack

struct state_info {
  state s;
  std::string_view id;
  localized_text label;
};

constexpr state_info state_table[] = {
    {state::delivered, "delivered", {"已签收", "Delivered"}},
    {state::out_for_delivery, "out_for_delivery", {"派送中", "Out for delivery"}},
    {state::in_transit, "in_transit", {"运输中", "In transit"}},
    {state::picked_up, "picked_up", {"已揽收", "Picked up"}},
    {state::returned, "returned", {"退回", "Returned"}},
    {state::problem, "problem", {"问题件", "Problem"}},
    {state::no_record, "no_record", {"暂无轨迹", "No record yet"}},
    {state::bad_number, "bad_number", {"单号有误", "Wrong number"}},
    {state::carrier_unmatched, "carrier_unmatched", {"无法识别快递公司", "Carrier not matched"}},
    {state::bad_parameter, "bad_parameter", {"参数错误", "Bad parameter"}},
    {state::own_platform_error, "own_platform_error", {"自研平台校验未通过", "Own-platform check failed"}},
    {state::quota_used_up, "quota_used_up", {"次数已用完", "Quota used up"}},
    {state::appcode_invalid, "appcode_invalid", {"AppCode 无效", "AppCode invalid"}},
    {state::not_authorised, "not_authorised", {"未获授权", "Not authorised"}},
    {state::throttled, "throttled", {"调用过于频繁", "Throttled"}},
    {state::forbidden, "forbidden", {"网关拒绝", "Refused by the gateway"}},
    {state::gateway_fault, "gateway_fault", {"服务故障", "Service fault"}},
    {state::bad_request, "bad_request", {"请求格式被网关拒绝", "Request refused by the gateway"}},
    {state::not_reachable, "not_reachable", {"连不上接口", "Not reachable"}},
    {state::unreadable, "unreadable", {"无法解读的答复", "Unreadable answer"}},
};

const state_info& info(state s) {
  for (const auto& i : state_table)
    if (i.s == s) return i;
  return state_table[std::size(state_table) - 1];
}

void note(outcome& o, std::string zh, std::string en) { o.notes.push_back({std::move(zh), std::move(en)}); }

void explain(outcome& o, const localized_text& explanation, const localized_text& action) {
  o.explanation = {std::string(explanation.zh), std::string(explanation.en)};
  o.action = {std::string(action.zh), std::string(action.en)};
}

std::string_view header(const http_answer& a, std::string_view name) {
  for (const auto& h : a.headers)
    if (text::iequals(h.name, name)) return h.value;
  return {};
}

// The market bills exactly the 2xx answers.
billing billing_for_status(int http_status) {
  return http_status >= 200 && http_status < 300 ? billing::billed : billing::not_billed;
}

state state_for_category(category kind) {
  switch (kind) {
    case category::success: return state::in_transit;
    case category::no_record: return state::no_record;
    case category::bad_number: return state::bad_number;
    case category::carrier_unmatched: return state::carrier_unmatched;
    case category::bad_parameter: return state::bad_parameter;
    case category::own_platform: return state::own_platform_error;
    case category::quota: return state::quota_used_up;
    case category::auth: return state::appcode_invalid;
    case category::throttled: return state::throttled;
    case category::gateway_fault: return state::gateway_fault;
    case category::bad_request: return state::bad_request;
  }
  return state::unreadable;
}

state state_for_gateway(const scenario& s) {
  const bool not_authorised = s.key == scenario_id::unauthorized || s.key == scenario_id::auth_expired;
  return not_authorised ? state::not_authorised : state_for_category(s.kind);
}

// "\n1. <title>：<action>" for each cause.
std::string numbered_causes(const std::vector<const scenario*>& causes, bool zh) {
  const std::string_view colon = zh ? "：" : ": ";
  std::string out;
  int number = 0;
  for (const scenario* s : causes)
    out += text::concat({"\n", std::to_string(++number), ". ", zh ? s->title.zh : s->title.en, colon,
                         zh ? s->action.zh : s->action.en});
  return out;
}

// "The gateway refused the call (HTTP 403) without saying why… Possible causes:" and the list.
owned_text refusal_without_cause(int http_status, bool headers_readable,
                                 const std::vector<const scenario*>& causes) {
  const std::string code = std::to_string(http_status);
  return {text::concat({"网关拒绝了这次调用（HTTP ", code, "），没有说明原因",
                        headers_readable ? "。" : "（浏览器读不到网关的错误头）。",
                        "这次调用不计费。可能的原因：", numbered_causes(causes, true)}),
          text::concat({"The gateway refused the call (HTTP ", code, ") without saying why",
                        headers_readable ? "." : " (the browser cannot read the gateway's error headers).",
                        " This call is not billed. Possible causes:", numbered_causes(causes, false)})};
}

// The explanation of each status that several gateway answers share, with and without readable
// headers, built once from the catalogue: a browser meets them often, and building the list of
// causes afresh (dozens of small copies) cost WebAssembly twice what it costs natively.
const owned_text& several_causes_explanation(int http_status, bool headers_readable) {
  struct explained {
    int http_status;
    owned_text readable, unreadable;
  };
  static const std::vector<explained> table = [] {
    std::vector<explained> out;
    for (int status : gateway_statuses()) {
      const status_range causes = gateway_scenarios_with_status(status);
      if (causes.size() < 2) continue;
      const std::vector<const scenario*> list(causes.begin(), causes.end());
      out.push_back(
          {status, refusal_without_cause(status, true, list), refusal_without_cause(status, false, list)});
    }
    return out;
  }();
  const auto at = std::find_if(table.begin(), table.end(),
                               [&](const explained& e) { return e.http_status == http_status; });
  return headers_readable ? at->readable : at->unreadable;
}

// What a status alone says when it has several causes: a 403 is any refusal; otherwise the
// likeliest cause (the catalogue lists the caller's own mistakes first) names the state.
state state_for_status(int http_status, const std::vector<const scenario*>& causes) {
  if (http_status == 403) return state::forbidden;
  return state_for_gateway(*causes.front());
}

void from_status_alone(const http_answer& a, outcome& o) {
  const status_range causes = gateway_scenarios_with_status(a.http_status);
  if (causes.size() == 0) {
    o.what = a.http_status >= 500 ? state::gateway_fault : state::unreadable;
    explain(o,
            {"接口返回了文档中没有的 HTTP 状态码，无法判断原因。这次调用不计费。",
             "The API answered with an HTTP status that is not documented; the cause is unknown. "
             "This call is not billed."},
            {"稍后重试；如果一直出现，请把开发者模式里的完整答复发给服务商。",
             "Retry later; if it persists, send the full answer from developer mode to the vendor."});
    return;
  }
  o.possible.assign(causes.begin(), causes.end());
  if (o.possible.size() == 1) {
    o.matched = o.possible.front();
    o.what = state_for_gateway(*o.matched);
    explain(o, o.matched->explanation, o.matched->action);
    return;
  }
  o.what = state_for_status(a.http_status, o.possible);
  o.explanation = several_causes_explanation(a.http_status, a.headers_readable);
  o.action = {"按上面的顺序逐一排查；在阿里云云市场「已购买的服务」里可以看到剩余次数和授权情况。",
              "Check the causes above in order; the Aliyun market's \"purchased services\" page "
              "shows the calls left and the authorisations."};
}

void from_gateway_headers(const http_answer& a, outcome& o) {
  const scenario* s = find_gateway_scenario(a.http_status, o.error_code, o.error_message);
  if (!s) {
    from_status_alone(a, o);
    note(o, text::concat({"网关的错误信息不在已知列表中：", o.error_code, " ", o.error_message}),
         text::concat({"The gateway's error is not a known one: ", o.error_code, " ", o.error_message}));
    return;
  }
  o.matched = s;
  o.what = state_for_gateway(*s);
  explain(o, s->explanation, s->action);
}

// An integer from a number, a numeric string or a boolean; `coerced` says the type was wrong.
std::optional<std::int64_t> integer_of(const json& v, bool& coerced) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  coerced = true;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15) return static_cast<std::int64_t>(d);
    return std::nullopt;
  }
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) {
    const auto s = text::trim(v.get_ref<const std::string&>());
    const bool negative = !s.empty() && s.front() == '-';
    const auto digits = negative ? s.substr(1) : s;
    std::int64_t value = 0;
    if (!text::parse_digits(digits, 15, value)) return std::nullopt;
    return negative ? -value : value;
  }
  return std::nullopt;
}

// Moves a string field out of the parsed body, which reads each field once.
std::string string_of(json& object, const char* key, outcome& o) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return std::move(it->get_ref<std::string&>());
  note(o, text::concat({"字段 ", key, " 不是字符串。"}), text::concat({"Field ", key, " is not a string."}));
  return it->dump(-1, ' ', false, json::error_handler_t::replace);
}

void read_events(json& body, outcome& o) {
  const auto it = body.find("data");
  if (it == body.end() || it->is_null()) return;
  if (!it->is_array()) {
    note(o, "字段 data 不是数组，轨迹无法读取。", "Field data is not an array; no events could be read.");
    return;
  }
  std::size_t skipped = 0;
  for (auto& item : *it) {
    if (!item.is_object()) {
      ++skipped;
      continue;
    }
    event e;
    e.time = string_of(item, "time", o);
    e.content = string_of(item, "content", o);
    const auto parsed = parse_event_time(e.time);
    e.time_valid = parsed.has_value();
    e.sort_key = parsed.value_or(0);
    e.stage = stage_from_text(e.content);
    o.events.push_back(std::move(e));
  }
  if (skipped) {
    note(o, "data 中有 " + std::to_string(skipped) + " 项不是对象，已跳过。",
         std::to_string(skipped) + " item(s) of data are not objects and were skipped.");
  }
  // Newest first; events with unreadable times keep their order after the dated ones.
  std::stable_sort(o.events.begin(), o.events.end(), [](const event& x, const event& y) {
    if (x.time_valid != y.time_valid) return x.time_valid;
    return x.time_valid && x.sort_key > y.sort_key;
  });
}

// Whether the status's meaning fits the newest event: the kdniao scheme has no "out for delivery",
// its "in transit" covers it, and status 0 says nothing about a trace.
bool status_allows(state by_status, state by_text) {
  return by_status == by_text || by_status == state::no_record ||
         (by_status == state::in_transit && by_text == state::out_for_delivery);
}

state trace_state(outcome& o) {
  const std::optional<state> by_text = o.events.empty() ? std::nullopt : o.events.front().stage;
  if (by_text && o.status_state && !status_allows(*o.status_state, *by_text)) {
    note(o,
         text::concat({"status 的含义（", info(*o.status_state).label.zh, "）与最新轨迹（",
                       info(*by_text).label.zh, "）不一致，以最新轨迹为准。"}),
         text::concat({"The status (", info(*o.status_state).label.en, ") disagrees with the newest event (",
                       info(*by_text).label.en, "); the newest event is taken."}));
  }
  if (by_text) return *by_text;
  if (o.events.empty()) return state::no_record;
  if (o.status_state && *o.status_state != state::no_record) return *o.status_state;
  return state::in_transit;
}

// What a demo says instead of "this call was billed": the real API's rule, conditionally.
constexpr localized_text demo_billing = {
    "真实接口这样响应时会扣一次次数；演示接口不扣费。",
    "The real API bills one call for this answer; the demo bills nothing."};

// Longest first: the endings of the catalogue's billed explanations and of billed_suffix.
constexpr std::string_view billed_endings_zh[] = {"接口已正常应答（HTTP 200），所以本次已扣次数。",
                                                  "接口已正常应答，所以本次已扣次数。", "本次已扣次数。",
                                                  "这次调用已计费。"};
constexpr std::string_view billed_endings_en[] = {
    "The API answered normally (HTTP 200), so this call was billed.",
    "The API answered normally, so this call was billed.", "This call was billed."};

void say_demo_billing(outcome& o) {
  const auto reword = [](std::string& text, bool zh, std::string_view instead) {
    const std::string_view ending = billed_ending(text, zh);
    if (ending.empty()) return;
    text.resize(text.size() - ending.size());
    while (!text.empty() && text.back() == ' ') text.pop_back();
    text += zh || text.empty() ? "" : " ";
    text += instead;
  };
  reword(o.explanation.zh, true, demo_billing.zh);
  reword(o.explanation.en, false, demo_billing.en);
}

void explain_trace(outcome& o, bool simulated) {
  const localized_text label = info(o.what).label;
  if (o.what == state::no_record) {
    const scenario& s = entry(scenario_id::no_record);
    explain(o, s.explanation, s.action);
    return;
  }
  const std::string count = std::to_string(o.events.size());
  o.explanation = {
      text::concat({simulated ? "查询成功：当前状态「" : "查询成功（已计费）：当前状态「", label.zh,
                    "」，共 ", count, " 条轨迹。", simulated ? demo_billing.zh : ""}),
      text::concat({simulated ? "Found: the parcel is \"" : "Found (billed): the parcel is \"", label.en,
                    "\", ", count, " event(s).", simulated ? " " : "", simulated ? demo_billing.en : ""})};
  if (o.what == state::problem || o.what == state::returned) {
    o.action = {"包裹可能出现问题，请联系快递公司或寄件人核实。",
                "The parcel may have a problem; contact the carrier or the sender."};
  } else {
    o.action = {"无需处理；如需最新进度，稍后再查（每次查询都会计费）。",
                "Nothing to do; query again later for news (every query is billed)."};
  }
}

void check_http_vs_ok(outcome& o) {
  if (!o.ok) return;
  const bool success_status = o.http_status >= 200 && o.http_status < 300;
  if (*o.ok == 1 && !success_status) {
    const std::string code = std::to_string(o.http_status);
    note(o, text::concat({"ok 为 1，但 HTTP 状态码是 ", code, "，与文档不符。"}),
         text::concat(
             {"ok is 1 but the HTTP status is ", code, ", which the documentation does not describe."}));
  } else if (*o.ok != 1 && o.http_status != 666) {
    const std::string code = std::to_string(o.http_status);
    note(o,
         text::concat({"ok 不为 1，但 HTTP 状态码是 ", code, "（文档为 666）",
                       success_status ? "，这次调用仍会计费。" : "。"}),
         text::concat({"ok is not 1 but the HTTP status is ", code, " (the documentation says 666)",
                       success_status ? "; this call is still billed." : "."}));
  }
}

void unreadable(outcome& o, std::string zh, std::string en) {
  o.what = state::unreadable;
  o.explanation = {std::move(zh), std::move(en)};
  o.action = {"稍后重试；如果一直出现，请把开发者模式里的原始答复发给服务商。",
              "Retry later; if it persists, send the raw answer from developer mode to the vendor."};
}

std::string_view billed_suffix(const outcome& o, bool zh) {
  if (o.billed == billing::billed) return zh ? "这次调用已计费。" : " This call was billed.";
  return zh ? "这次调用不计费。" : " This call is not billed.";
}

void from_vendor_body(const http_answer& a, outcome& o) {
  const std::string_view body = text::trim(a.body);
  if (body.empty()) {
    const std::string code = std::to_string(a.http_status);
    return unreadable(o, text::concat({"答复是空的（HTTP ", code, "）。", billed_suffix(o, true)}),
                      text::concat({"The answer is empty (HTTP ", code, ").", billed_suffix(o, false)}));
  }
  if (a.body.size() > max_interpreted_body) {
    const std::string size = std::to_string(a.body.size());
    return unreadable(
        o, text::concat({"答复过大（", size, " 字节），不像本接口的答复。", billed_suffix(o, true)}),
        text::concat(
            {"The answer is too large (", size, " bytes) to be this API's.", billed_suffix(o, false)}));
  }
  if (text::json_depth(body) > max_body_depth) {
    return unreadable(
        o, text::concat({"答复的 JSON 嵌套过深，不像本接口的答复。", billed_suffix(o, true)}),
        text::concat({"The answer's JSON is nested too deeply to be this API's.", billed_suffix(o, false)}));
  }
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    const bool cut = body.front() == '{' && body.back() != '}';
    return unreadable(
        o,
        text::concat({cut ? "答复被截断了，不是完整的 JSON。" : "答复不是 JSON。", billed_suffix(o, true)}),
        text::concat({cut ? "The answer was cut short: it is not complete JSON." : "The answer is not JSON.",
                      billed_suffix(o, false)}));
  }
  if (!parsed.is_object()) {
    return unreadable(o, text::concat({"答复是 JSON，但不是对象。", billed_suffix(o, true)}),
                      text::concat({"The answer is JSON but not an object.", billed_suffix(o, false)}));
  }
  bool coerced = false;
  if (const auto it = parsed.find("ok"); it != parsed.end()) o.ok = integer_of(*it, coerced);
  if (coerced)
    note(o, "字段 ok 的类型不对（应为数字）。", "Field ok has the wrong type (a number is expected).");
  if (!o.ok) {
    note(o, "答复中没有可读的 ok 字段。", "The answer has no readable ok field.");
  }
  o.msg = string_of(parsed, "msg", o);
  coerced = false;
  if (const auto it = parsed.find("status"); it != parsed.end()) o.raw_status = integer_of(*it, coerced);
  if (coerced)
    note(o, "字段 status 的类型不对（应为数字）。",
         "Field status has the wrong type (a number is expected).");
  if (o.raw_status) o.status_state = state_from_status(*o.raw_status);
  o.carrier_name = string_of(parsed, "kdmc", o);
  o.tracking_number = string_of(parsed, "kddh", o);
  read_events(parsed, o);
  check_http_vs_ok(o);

  o.matched = find_scenario_by_msg(o.msg);
  if (o.matched && o.matched->source == answer_source::gateway) o.matched = nullptr;
  const bool trace_like = (o.matched && o.matched->kind == category::success) || (!o.matched && o.ok == 1);
  if (trace_like) {
    o.what = trace_state(o);
    explain_trace(o, a.simulated);
    if (!o.matched)
      note(o, text::concat({"msg「", o.msg, "」不在文档中。"}),
           text::concat({"The msg \"", o.msg, "\" is not documented."}));
    return;
  }
  if (o.matched) {
    o.what = state_for_category(o.matched->kind);
    explain(o, o.matched->explanation, o.matched->action);
    return;
  }
  o.what = o.ok ? state::bad_parameter : state::unreadable;
  o.explanation = {
      text::concat({"接口答复失败：「", o.msg, "」，这条信息不在文档中。", billed_suffix(o, true)}),
      text::concat({"The API answered with a failure: \"", o.msg, "\", which is not documented.",
                    billed_suffix(o, false)})};
  o.action = {"按 msg 的提示检查参数；如果看不懂，请把开发者模式里的原始答复发给服务商。",
              "Check the parameters as the msg says; if unclear, send the raw answer from developer "
              "mode to the vendor."};
}

void not_reachable(const http_answer& a, outcome& o) {
  o.what = state::not_reachable;
  o.billed = billing::not_billed;
  const std::string said = a.transport_error.empty() ? std::string() : "（" + a.transport_error + "）";
  const std::string said_en = a.transport_error.empty() ? std::string() : " (" + a.transport_error + ")";
  o.explanation = {"没有收到接口的任何答复" + said + "，这次调用不计费。",
                   "No answer came back from the API" + said_en + "; this call is not billed."};
  o.action = {
      "请逐项检查：\n1. 网络是否连通，能否打开其他网站；\n2. 接口地址是否正确（以 https:// 开头，路径为 "
      "/query）；\n"
      "3. 浏览器是否拦截了跨域请求（CORS）：自定义地址需要允许本页面的来源；\n"
      "4. 浏览器插件、广告拦截或公司代理是否拦截了请求；\n"
      "5. AppCode 中是否混入了空格、换行或中文字符；\n6. 稍后重试，可能是网络超时。",
      "Check, one by one:\n1. the network: can other sites be opened;\n2. the endpoint: it "
      "starts with https:// and its path is /query;\n3. CORS: a custom endpoint must allow "
      "this page's origin;\n4. browser extensions, ad blockers or a company proxy;\n5. stray "
      "spaces, line breaks or non-ASCII characters in the AppCode;\n6. retry later: it may "
      "have timed out."};
}

}  // namespace

std::string_view to_string(state s) { return info(s).id; }
localized_text state_label(state s) { return info(s).label; }

namespace {

constexpr names::row<billing> billing_names[] = {
    {billing::billed, "billed"},
    {billing::not_billed, "not_billed"},
    {billing::unknown, "unknown"},
};
static_assert(names::covers(billing_names, billing::unknown));

}  // namespace

std::string_view to_string(billing b) { return names::name_of(billing_names, b); }

outcome interpret(const http_answer& a) {
  outcome o;
  o.http_status = a.http_status;
  if (a.http_status == 0) {
    not_reachable(a, o);
    return o;
  }
  o.billed = billing_for_status(a.http_status);
  if (a.headers_readable) {
    o.request_id = std::string(header(a, "X-Ca-Request-Id"));
    o.error_code = std::string(header(a, "X-Ca-Error-Code"));
    o.error_message = std::string(header(a, "X-Ca-Error-Message"));
  }
  const bool vendor_status = a.http_status == 666 || (a.http_status >= 200 && a.http_status < 300);
  if (!o.error_code.empty() || !o.error_message.empty()) {
    from_gateway_headers(a, o);
  } else if (vendor_status || text::trim(a.body).substr(0, 1) == "{") {
    from_vendor_body(a, o);
  } else {
    from_status_alone(a, o);
  }
  if (a.simulated && o.billed == billing::billed) say_demo_billing(o);
  return o;
}

std::string_view billed_ending(std::string_view explanation, bool zh) {
  const auto first_match = [explanation](const auto& endings) -> std::string_view {
    for (std::string_view ending : endings) {
      const std::size_t at = explanation.size() - std::min(explanation.size(), ending.size());
      if (explanation.substr(at) == ending) return explanation.substr(at);
    }
    return {};
  };
  return zh ? first_match(billed_endings_zh) : first_match(billed_endings_en);
}

}  // namespace kuaidi
