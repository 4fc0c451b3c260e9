#include "kuaidi/referee.hpp"

#include "enum_names.hpp"
#include "kuaidi/accounts.hpp"
#include "kuaidi/carriers.hpp"
#include "text.hpp"

namespace kuaidi {

namespace {

// Each rule's explanation, written once. {…} are filled by explain(): the thresholds, and the
// documented texts from the catalogue and the carrier table (never retyped here).
struct rule_row {
  referee_rule rule;
  std::string_view id;
  std::string_view zh;
  std::string_view en;
};

constexpr rule_row rule_table[] = {
    {referee_rule::duplicate_billed_query, "duplicate_billed_query",
     "同一单号（及同一 tel）在上次计费后 {window}内再次被计费。每个 2xx 应答都计费，"
     "包括 ok:1 但未查到轨迹的应答；而包裹的轨迹很少变得这么快：保存上次的结果，稍后再查。",
     "The same kddh (with the same tel) was billed again within {window} of its last billed answer. "
     "Every 2xx answer is billed, ok:1 answers that found nothing included, and a parcel rarely "
     "changes that fast: keep the last answer and ask again later."},
    {referee_rule::retried_vendor_refusal, "retried_vendor_refusal",
     "供应商已拒绝（ok:0，HTTP {refused_status}）的请求又被原样发送。拒绝只取决于请求参数，"
     "原样重发永远不会成功：按应答的 msg 修正参数，不要重试。",
     "A request the vendor refused (ok:0, HTTP {refused_status}) was sent again unchanged. The "
     "refusal depends on the parameters alone, so the same request can never succeed: fix what the "
     "answer's msg names instead of retrying."},
    {referee_rule::call_after_quota_exhausted, "call_after_quota_exhausted",
     "网关已对该 AppCode 应答 {quota_status} {quota_classic}（VPC：{quota_vpc}）后，调用仍在继续，"
     "且同样被拒绝：套餐的次数已用完，续费之前每次调用都会被拒绝。应停止调用并通知负责人续费。",
     "Calls went on after the gateway answered {quota_status} {quota_classic} (VPC: {quota_vpc}) for "
     "this AppCode, and were refused the same way: the package's calls are used up, and every call "
     "is refused until it is renewed. Stop calling and tell whoever renews it."},
    {referee_rule::no_backoff_after_throttle, "no_backoff_after_throttle",
     "收到限流应答（{throttled_classic}，VPC 为 {throttled_vpc_status}）后 {backoff}内又用同一 AppCode "
     "调用。限流期间的调用仍会被拒绝，立即重试只会延长限流：等待并逐次加长间隔后再调用。",
     "Another call on this AppCode came within {backoff} of a throttled answer ({throttled_classic}; "
     "VPC: {throttled_vpc_status}). Calls are refused while the flow control lasts, and calling at "
     "once only prolongs it: wait, with a growing back-off, before the next call."},
    {referee_rule::retry_storm_after_gateway_error, "retry_storm_after_gateway_error",
     "网关 5xx 应答后 {storm_window}内调用超过 {storm_calls} 次。5xx 说明网关或后端正在出错，"
     "密集重试只会加重负载，得不到应答：只重试几次，并逐次加长间隔。",
     "More than {storm_calls} calls came within {storm_window} after a gateway 5xx answer. A 5xx means "
     "the gateway or the backend is failing, and a burst of retries adds load without getting an "
     "answer: retry a few times, with growing delays."},
    {referee_rule::appcode_in_query, "appcode_in_query",
     "AppCode 放在了 URL 中（AppCode=…）。URL 会留在访问日志、代理和浏览器历史里。文档规定的位置是"
     "请求头 Authorization: APPCODE <AppCode>；查询参数中的 AppCode 只有在服务商开启 Header & Query "
     "模式时才有效。",
     "The AppCode was sent in the URL (AppCode=…). URLs stay in access logs, proxies and browser "
     "history. The documented place is the header Authorization: APPCODE <AppCode>; a query AppCode "
     "counts only where the provider enabled the Header & Query mode."},
    {referee_rule::missing_tel_for_carrier, "missing_tel_for_carrier",
     "该单号属于只凭手机尾号应答的快递公司（{tail_carriers_zh}），请求却没有带 tel：应答是计费的"
     "「{no_record_msg}」（ok:1，HTTP {no_record_status}）。请在 tel 中传入寄件人或收件人手机号的后四位。",
     "The number belongs to a carrier that answers only with the phone tail ({tail_carriers_en}), and "
     "was sent without tel: the answer is a billed \"{no_record_msg}\" (ok:1, HTTP {no_record_status}). "
     "Send the last 4 digits of the sender's or the receiver's phone in tel."},
};

constexpr std::size_t index_of(referee_rule rule) { return static_cast<std::size_t>(rule); }

constexpr bool in_rule_order() {
  for (std::size_t i = 0; i < std::size(rule_table); ++i)
    if (index_of(rule_table[i].rule) != i || all_referee_rules[i] != rule_table[i].rule) return false;
  return std::size(rule_table) == referee_rule_count;
}
static_assert(in_rule_order(), "one row per rule, in the enum's order");

const rule_row& row_of(referee_rule rule) { return rule_table[index_of(rule)]; }

// Every ok:0 answer of the vendor comes with this status (api.md §3), and none is billed.
int refused_status() { return entry(scenario_id::kddh_missing).http_status; }

// "30 min", "1 s", "1500 ms" (and 分钟, 秒, 毫秒): whole units only, so nothing is rounded.
std::string duration_text(std::int64_t ms, bool zh) {
  if (ms > 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + (zh ? " 分钟" : " min");
  if (ms > 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + (zh ? " 秒" : " s");
  return std::to_string(ms) + (zh ? " 毫秒" : " ms");
}

std::string tail_carriers(bool zh) {
  std::string out;
  for (const carrier& c : all_carriers()) {
    if (!c.needs_phone_tail) continue;
    if (!out.empty()) out += zh ? "、" : ", ";
    out += zh ? c.name_zh : c.name_en;
  }
  return out;
}

void fill(std::string& text, std::string_view name, const std::string& value) {
  const std::string mark = "{" + std::string(name) + "}";
  for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size()))
    text.replace(at, mark.size(), value);
}

std::string filled(std::string_view pattern, const referee_thresholds& t, bool zh) {
  std::string text(pattern);
  const scenario& quota = entry(scenario_id::quota_exhausted);
  const scenario& throttled = entry(scenario_id::throttled);
  const scenario& no_record = entry(scenario_id::no_record);
  fill(text, "window", duration_text(t.duplicate_window_ms, zh));
  fill(text, "backoff", duration_text(t.throttle_backoff_ms, zh));
  fill(text, "storm_window", duration_text(t.storm_window_ms, zh));
  fill(text, "storm_calls", std::to_string(t.storm_calls));
  fill(text, "refused_status", std::to_string(refused_status()));
  fill(text, "quota_status", std::to_string(quota.classic.http_status));
  fill(text, "quota_classic", std::string(quota.classic.message));
  fill(text, "quota_vpc", std::string(quota.vpc.code));
  fill(text, "throttled_classic",
       std::to_string(throttled.classic.http_status) + " " + std::string(throttled.classic.message));
  fill(text, "throttled_vpc_status", std::to_string(throttled.vpc.http_status));
  fill(text, "no_record_msg", std::string(no_record.msg));
  fill(text, "no_record_status", std::to_string(no_record.http_status));
  fill(text, "tail_carriers_zh", zh ? tail_carriers(true) : std::string());
  fill(text, "tail_carriers_en", zh ? std::string() : tail_carriers(false));
  return text;
}

// FNV-1a: AppCodes are told apart without being kept.
std::uint64_t identity(std::string_view appcode) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : appcode) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string field(const std::optional<std::string>& value) { return value ? "=" + *value : std::string("-"); }

// "The same request": the same vendor parameters (the signature's too, on the own platform).
std::string request_key(const request_params& p) {
  return field(p.kddh) + '\n' + field(p.code) + '\n' + field(p.tel) + '\n' + field(p.appid) + '\n' +
         field(p.sendtime) + '\n' + field(p.sign);
}

bool blank(const std::optional<std::string>& value) { return !value || text::trim(*value).empty(); }

// The gateway stopped the call (its own answers), so the vendor never saw it.
bool stopped_by_gateway(const referee_observation& seen) {
  return seen.answered && seen.answered->source == answer_source::gateway;
}

bool is(const referee_observation& seen, scenario_id id) { return seen.answered && seen.answered->key == id; }

// Memory for a long run stays bounded (as the simulator's answer memo is): past this many numbers,
// requests or AppCodes, what is remembered is dropped, the expired bills first.
constexpr std::size_t remembered = 4096;

}  // namespace

std::string_view to_string(referee_rule rule) { return row_of(rule).id; }

std::optional<referee_rule> parse_referee_rule(std::string_view name) {
  return names::value_named(rule_table, &rule_row::id, &rule_row::rule, name);
}

std::string referee_rule_names() {
  return names::listed(rule_table, [](const rule_row& row) { return row.id; });
}

owned_text explain(referee_rule rule, const referee_thresholds& thresholds) {
  const rule_row& row = row_of(rule);
  return {filled(row.zh, thresholds, true), filled(row.en, thresholds, false)};
}

std::optional<referee_observation> observe_request(const gateway_request& request,
                                                   const simulation& answered) {
  const answer_record& record = answered.record;
  if (record.route == "preflight" || record.route == "mock_error") return std::nullopt;
  referee_observation seen;
  seen.time_ms = request.now_ms;
  const std::string_view target = origin_form(request.target);
  const std::size_t mark = target.find('?');
  if (mark != std::string_view::npos) seen.params = params_from_query_string(target.substr(mark + 1));
  const auto from_query = appcode_in_query(seen.params);
  seen.appcode_in_query = from_query.has_value();
  for (const auto& [name, value] : request.headers) {
    if (!text::iequals(name, "authorization")) continue;
    if (const auto code = appcode_from_authorization(value)) seen.appcode = *code;
    break;
  }
  if (seen.appcode.empty() && from_query) seen.appcode = *from_query;
  seen.status = answered.answer.status;
  seen.answered = record.answered;
  seen.billed = record.billed;
  seen.route = record.route;
  seen.request_id = record.request_id;
  return seen;
}

const referee_finding* referee_report::find(referee_rule rule) const {
  for (const referee_finding& f : findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

nlohmann::json to_json(const referee_report& report) {
  nlohmann::json findings = nlohmann::json::array();
  for (const referee_finding& f : report.findings)
    findings.push_back({{"rule", to_string(f.rule)},
                        {"count", f.count},
                        {"billed_calls_wasted", f.billed_calls_wasted},
                        {"first_request_id", f.first_request_id},
                        {"last_request_id", f.last_request_id},
                        {"explanation", {{"zh", f.explanation.zh}, {"en", f.explanation.en}}}});
  const referee_thresholds& t = report.thresholds;
  return {{"findings", findings},
          {"requests", report.requests},
          {"billed", report.billed},
          {"thresholds",
           {{"duplicate_window_ms", t.duplicate_window_ms},
            {"throttle_backoff_ms", t.throttle_backoff_ms},
            {"storm_calls", t.storm_calls},
            {"storm_window_ms", t.storm_window_ms}}}};
}

referee::referee(referee_thresholds thresholds) : thresholds_(thresholds) {}

void referee::fire(referee_rule rule, const referee_observation& seen) {
  tally& t = tallies_[index_of(rule)];
  ++t.count;
  // An AppCode in the URL is a leak, not a call the client could have saved.
  if (seen.billed && rule != referee_rule::appcode_in_query) ++t.wasted;
  if (t.first_request_id.empty()) t.first_request_id = seen.request_id;
  t.last_request_id = seen.request_id;
}

// The carrier the vendor would name, decided as the simulator decides it (the code's, else the
// detected one), and whether the carrier table says it needs the phone tail.
bool referee::needs_phone_tail(const request_params& params) {
  const std::string number = normalise_tracking_number(*params.kddh);
  const std::string key = number + '\n' + params.code.value_or("");
  if (const auto known = tail_needed_.find(key); known != tail_needed_.end()) return known->second;
  request_params by_code;
  by_code.code = params.code;
  const carrier* named = named_carrier(number, by_code);
  const bool needed = named && named->needs_phone_tail;
  if (tail_needed_.size() >= remembered) tail_needed_.clear();
  tail_needed_.emplace(key, needed);
  return needed;
}

void referee::bound_memory(std::int64_t now_ms) {
  if (last_billed_.size() >= remembered) {
    for (auto it = last_billed_.begin(); it != last_billed_.end();)
      it = now_ms - it->second >= thresholds_.duplicate_window_ms ? last_billed_.erase(it) : std::next(it);
    if (last_billed_.size() >= remembered * 3 / 4) last_billed_.clear();  // else it would sweep at once again
  }
  if (refused_.size() >= remembered) refused_.clear();
  if (callers_.size() >= remembered) callers_.clear();
}

void referee::observe(const referee_observation& seen) {
  bound_memory(seen.time_ms);
  ++requests_;
  if (seen.billed) ++billed_;
  const std::int64_t now = seen.time_ms;
  caller& c = callers_[identity(seen.appcode)];

  if (c.throttled_at && now - *c.throttled_at < thresholds_.throttle_backoff_ms)
    fire(referee_rule::no_backoff_after_throttle, seen);
  if (seen.answered && seen.answered->kind == category::throttled) c.throttled_at = now;

  if (c.storm_started && now - *c.storm_started > thresholds_.storm_window_ms) c.storm_started.reset();
  if (c.storm_started && ++c.calls_in_storm > thresholds_.storm_calls)
    fire(referee_rule::retry_storm_after_gateway_error, seen);
  if (!c.storm_started && stopped_by_gateway(seen) && seen.status >= 500) {
    c.storm_started = now;
    c.calls_in_storm = 0;
  }

  // Refused as used up again: nothing changed since (a renewed quota would have let it through).
  const bool exhausted = is(seen, scenario_id::quota_exhausted);
  if (exhausted && c.exhausted) fire(referee_rule::call_after_quota_exhausted, seen);
  c.exhausted = exhausted;

  if (seen.appcode_in_query) fire(referee_rule::appcode_in_query, seen);

  const std::string key = request_key(seen.params);
  if (refused_.count(key)) fire(referee_rule::retried_vendor_refusal, seen);
  if (stopped_by_gateway(seen)) return;
  if (seen.status == refused_status())
    refused_.insert(key);
  else
    refused_.erase(key);  // the vendor let it through after all: something changed

  if (blank(seen.params.kddh)) return;
  if (seen.status != refused_status() && blank(seen.params.tel) && needs_phone_tail(seen.params))
    fire(referee_rule::missing_tel_for_carrier, seen);
  if (seen.billed) {
    const std::string number = normalise_tracking_number(*seen.params.kddh) + '\n' +
                               std::string(text::trim(seen.params.tel.value_or("")));
    const auto last = last_billed_.find(number);
    if (last != last_billed_.end() && now - last->second < thresholds_.duplicate_window_ms)
      fire(referee_rule::duplicate_billed_query, seen);
    last_billed_[number] = now;
  }
}

referee_report referee::report() const {
  referee_report out;
  out.requests = requests_;
  out.billed = billed_;
  out.thresholds = thresholds_;
  for (const referee_rule rule : all_referee_rules) {
    const tally& t = tallies_[index_of(rule)];
    if (t.count == 0) continue;
    out.findings.push_back(
        {rule, t.count, t.wasted, t.first_request_id, t.last_request_id, explain(rule, thresholds_)});
  }
  return out;
}

void referee::reset() { *this = referee(thresholds_); }

}  // namespace kuaidi
