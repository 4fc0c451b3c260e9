#include "kuaidi/simulator.hpp"

#include <nlohmann/json.hpp>

#include "../enum_names.hpp"
#include "../text.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/synthetic_trace.hpp"
#include "kuaidi/time.hpp"

namespace kuaidi {

namespace {

// What the Aliyun gateway sends on every answer, preflight included (api.md §5, gateway.md §4).
// The X-Mock-* headers are appended so that a page may send them; nothing else differs.
constexpr std::string_view cors_allow_headers =
    "X-Requested-With,X-Sequence,X-Ca-Key,X-Ca-Secret,X-Ca-Version,X-Ca-Timestamp,X-Ca-Nonce,"
    "X-Ca-API-Key,X-Ca-Stage,X-Ca-Client-DeviceId,X-Ca-Client-AppId,X-Ca-Signature,"
    "X-Ca-Signature-Headers,X-Ca-Signature-Method,X-Forwarded-For,X-Ca-Date,X-Ca-Request-Mode,"
    "Authorization,Content-Type,Accept,Accept-Ranges,Cache-Control,Range,Content-MD5,"
    "X-Mock-Scenario,X-Mock-Fault,X-Mock-Latency";
constexpr std::string_view cors_allow_methods = "GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH";
constexpr std::string_view cors_max_age = "172800";
constexpr std::string_view cors_expose_headers = "X-Ca-Request-Id,X-Ca-Error-Code,X-Ca-Error-Message";

// The classic gateway's captured Server header; the VPC capture shows "Kaede/<version>" without
// a published version, so the name alone is sent (ours).
std::string_view server_name(gateway_generation generation) {
  return generation == gateway_generation::vpc ? "Kaede" : "Tengine";
}

// The answer decided, before the headers every answer carries are added.
struct decision {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<http_header> headers;  // X-Ca-Error-*, a fixture's own, X-Mock-Error
  const scenario* answered = nullptr;
  std::string route;
  fault injected;
  int latency_ms = 0;
  bool moves_with_clock = false;  // a natural synthetic trace: it differs as the simulated clock moves
};

bool is_2xx(int status) { return status >= 200 && status < 300; }

decision gateway_decision(const scenario& s, gateway_generation generation, std::string route) {
  const gateway_error& e = gateway_error_for(s, generation);
  decision d;
  d.status = e.http_status;
  d.content_type = std::string(gateway_content_type);
  if (!e.code.empty()) d.headers.push_back({"X-Ca-Error-Code", std::string(e.code)});
  d.headers.push_back({"X-Ca-Error-Message", std::string(e.message)});
  d.answered = &s;
  d.route = std::move(route);
  return d;
}

// A request the simulator itself cannot honour (an unknown X-Mock-Scenario id, a bad X-Mock-Latency).
decision mock_error(const std::string& problem, const std::string& hint) {
  decision d;
  d.status = 400;
  d.content_type = "application/json";
  d.body = nlohmann::json({{"error", problem}, {"hint", hint}})
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  d.headers.push_back({"X-Mock-Error", "1"});
  d.route = "mock_error";
  return d;
}

decision vendor_decision(const scenario& s, std::string_view carrier_name, std::string_view tracking_number,
                         std::string_view appid = {}) {
  decision d;
  d.status = s.http_status;
  d.content_type = std::string(vendor_content_type);
  d.body = build_answer_body(s, carrier_name, tracking_number, appid);
  d.answered = &s;
  return d;
}

// Before its pickup (a clock set back) the vendor has no record of the parcel yet.
decision trace_decision(const std::string& tracking_number, const carrier& by, std::int64_t anchor_seconds,
                        std::int64_t clock_seconds) {
  const trace t = synthesize_trace(tracking_number, by, anchor_seconds, clock_seconds);
  if (t.events.empty()) return vendor_decision(entry(scenario_id::no_record), by.name_zh, tracking_number);
  const scenario& success = entry(scenario_id::success);
  decision d;
  d.status = success.http_status;
  d.content_type = std::string(vendor_content_type);
  d.body = build_trace_body(t);
  d.answered = &success;
  return d;
}

// A synthetic trace as the clock reads `clock_seconds`; forced and fixture answers pass the anchor,
// so that a pinned answer never moves.
decision outcome_decision(const vendor_outcome& o, std::int64_t anchor_seconds, std::int64_t clock_seconds,
                          std::string_view appid = {}) {
  if (!o.answer) return trace_decision(o.tracking_number, *o.named, anchor_seconds, clock_seconds);
  return vendor_decision(*o.answer, o.named ? o.named->name_zh : std::string_view{}, o.tracking_number,
                         appid);
}

std::string break_json(std::string body) {
  // Cut the body short but keep the headers honest: the bytes are complete, the JSON is not.
  body.resize(body.size() * 3 / 5);
  return body;
}

// The simulator's own query parameters, taken out before the vendor (and the signature) sees the query.
struct mock_parameters {
  std::string vendor_query;
  std::optional<std::string> scenario;
  std::optional<std::string> fault;
  std::optional<std::string> latency;
};

mock_parameters split_mock_parameters(std::string_view query) {
  mock_parameters out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string value = eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    if (name == "__scenario")
      out.scenario = value;
    else if (name == "__fault")
      out.fault = value;
    else if (name == "__latency")
      out.latency = value;
    else {
      if (!out.vendor_query.empty()) out.vendor_query += '&';
      out.vendor_query += pair;
    }
  }
  return out;
}

// The request headers the simulator reads; the first of each name counts.
struct read_headers {
  std::optional<std::string> authorization, scenario, fault, latency;
  std::string origin;
};

read_headers read(const std::vector<http_header>& headers) {
  read_headers h;
  const auto first = [](std::optional<std::string>& slot, const std::string& value) {
    if (!slot) slot = value;
  };
  for (const auto& [name, value] : headers) {
    if (text::iequals(name, "authorization"))
      first(h.authorization, value);
    else if (text::iequals(name, "x-mock-scenario"))
      first(h.scenario, value);
    else if (text::iequals(name, "x-mock-fault"))
      first(h.fault, value);
    else if (text::iequals(name, "x-mock-latency"))
      first(h.latency, value);
    else if (text::iequals(name, "origin") && h.origin.empty())
      h.origin = value;
  }
  return h;
}

// The host of an absolute-form target ("http://user@host:80/…" → "host"); empty for the origin form.
std::string_view absolute_host(std::string_view target) {
  const std::size_t scheme = target.find("://");
  if (scheme == std::string_view::npos || target.substr(0, 1) == "/") return {};
  std::string_view authority = target.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  return authority.substr(0, authority.find(':'));
}

bool is_api_host(std::string_view host) {
  for (const std::string_view known : api_hosts)
    if (text::iequals(host, known)) return true;
  return false;
}

// X-Ca-Stage names the environment; only RELEASE is published for a market API (gateway.md §7).
bool wrong_stage(const std::vector<http_header>& headers) {
  for (const auto& [name, value] : headers)
    if (text::iequals(name, "x-ca-stage")) return !text::iequals(text::trim(value), "RELEASE");
  return false;
}

struct forced_scenario {
  const scenario* chosen = nullptr;
  std::string route;
};

// The one request being answered: the config, the state and what was read of the request.
class query {
 public:
  query(const simulator_config& config, simulator_state& state, const gateway_request& request,
        std::string_view query_string)
      : config_(config),
        state_(state),
        request_(request),
        headers_(read(request.headers)),
        mock_(split_mock_parameters(query_string)),
        params_(params_from_query_string(mock_.vendor_query)),
        credential_(credential()) {}

  decision answer(std::string& masked_appcode, bool& billed);

 private:
  // The scenario a header, the query or a reserved number forces, if any; an unknown id is an error.
  result<std::optional<forced_scenario>> forced() const;
  std::optional<decision> gateway_stage(const fault_plan& plan);
  decision vendor_stage(const std::optional<forced_scenario>& forced_vendor);
  decision validated();
  decision fixture_answer(const fixture& pinned) const;
  bool source_allowed() const;
  // The Authorization the gateway reads: the header, or in "Header & Query" mode a query AppCode.
  std::optional<std::string> credential() const {
    if (headers_.authorization || !config_.appcode_in_query) return headers_.authorization;
    const auto code = appcode_in_query(params_);
    return code ? std::optional<std::string>("APPCODE " + *code) : std::nullopt;
  }

  const simulator_config& config_;
  simulator_state& state_;
  const gateway_request& request_;
  const read_headers headers_;
  const mock_parameters mock_;
  const request_params params_;
  const std::optional<std::string> credential_;
};

decision query::answer(std::string& masked_appcode, bool& billed) {
  const auto forced_result = forced();
  if (!forced_result)
    return mock_error(forced_result.error(), "GET /__admin/scenarios lists every scenario id");
  const std::optional<forced_scenario>& forced_choice = *forced_result;
  const auto plan = state_.faults.plan(headers_.fault ? headers_.fault : mock_.fault,
                                       headers_.latency ? headers_.latency : mock_.latency);
  if (!plan) return mock_error(plan.error(), "see GET /__admin/ for the fault and latency syntax");

  const bool market = config_.mode == platform::market;
  const auto appcode = credential_ ? appcode_from_authorization(*credential_) : std::nullopt;
  decision result;
  if (forced_choice && forced_choice->chosen->source == answer_source::gateway) {
    result = gateway_decision(*forced_choice->chosen, config_.gateway, forced_choice->route);
  } else if (auto refused = gateway_stage(*plan)) {
    result = std::move(*refused);
  } else {
    result = vendor_stage(forced_choice);
  }
  const int gateway_wait = result.latency_ms;
  result.injected = plan->injected;
  result.latency_ms = gateway_wait > 0 ? gateway_wait : static_cast<int>(plan->latency.count());
  if (result.injected.transport == transport_fault::malformed && !result.body.empty())
    result.body = break_json(std::move(result.body));
  if (market && appcode) {
    masked_appcode = mask_appcode(*appcode);
    if (is_2xx(result.status)) {
      state_.book.charge(*appcode);
      billed = true;
    }
  }
  return result;
}

result<std::optional<forced_scenario>> query::forced() const {
  using choice = std::optional<forced_scenario>;
  const auto named = [&](const std::string& id, const char* where, const char* route) -> result<choice> {
    const std::string wanted(text::trim(id));
    if (const scenario* s = find_scenario(wanted)) return choice(forced_scenario{s, route});
    return fail(std::string(where) + ": unknown scenario id '" + wanted + "'");
  };
  if (headers_.scenario) return named(*headers_.scenario, "X-Mock-Scenario", "header");
  if (mock_.scenario) return named(*mock_.scenario, "__scenario", "query");
  if (params_.kddh)
    if (const scenario* s = find_reserved(normalise_tracking_number(*params_.kddh)))
      return choice(forced_scenario{s, "reserved"});
  return choice();
}

// The Aliyun gateway in front of the vendor: auth, quota, flow control, then its own faults.
std::optional<decision> query::gateway_stage(const fault_plan& plan) {
  if (config_.mode == platform::market) {
    if (const scenario* refused = state_.book.admit(credential_, request_.now_ms))
      return gateway_decision(*refused, config_.gateway, "natural");
  }
  if (plan.injected.gateway) return gateway_decision(*plan.injected.gateway, config_.gateway, "fault");
  if (plan.latency.count() >= config_.backend_timeout_ms) {
    decision d = gateway_decision(entry(scenario_id::backend_timeout), config_.gateway, "natural");
    d.latency_ms = config_.backend_timeout_ms;  // the gateway gives up then
    return d;
  }
  return std::nullopt;
}

// On the market the vendor's answer depends on the query alone (the own platform's on the clock
// and the caller too): remembered by query and forced scenario.
decision query::vendor_stage(const std::optional<forced_scenario>& forced_vendor) {
  const auto build = [&]() -> decision {
    if (!forced_vendor) return validated();
    const std::int64_t anchor = config_.trace_anchor_seconds;
    decision d = outcome_decision(forced_outcome(*forced_vendor->chosen, params_), anchor, anchor,
                                  params_.appid.value_or(""));
    d.route = forced_vendor->route;
    return d;
  };
  if (config_.mode != platform::market) return build();
  std::string key =
      forced_vendor ? forced_vendor->route + ":" + std::string(forced_vendor->chosen->id) : std::string();
  key += '?';
  key += mock_.vendor_query;
  if (const auto* known = state_.memo.find(key)) {
    decision d;
    d.status = known->status;
    d.content_type = known->content_type;
    d.body = known->body;
    d.headers = known->extra_headers;
    d.answered = known->answered;
    d.route = known->route;
    return d;
  }
  decision fresh = build();
  // A running clock changes a synthetic trace from one request to the next: built every time.
  if (fresh.moves_with_clock && config_.clock_rate > 0) return fresh;
  state_.memo.keep(
      key, {fresh.status, fresh.content_type, fresh.body, fresh.headers, fresh.answered, fresh.route});
  return fresh;
}

bool query::source_allowed() const {
  const auto& allowed = config_.allowed_sources;
  if (allowed.empty()) return true;
  for (const std::string& source : allowed)
    if (source == request_.remote_addr || (!headers_.origin.empty() && source == headers_.origin))
      return true;
  return false;
}

decision query::validated() {
  validation_options checks;
  checks.own_platform = config_.mode == platform::own;
  checks.now_ms = request_.now_ms;
  checks.apps = config_.apps;
  checks.algorithm = config_.algorithm;
  checks.source_allowed = source_allowed();
  const validation checked = validate(params_, checks);
  if (!checked.passed()) {
    decision d =
        vendor_decision(*checked.answer, {}, checked.request.tracking_number, params_.appid.value_or(""));
    d.route = "natural";
    return d;
  }
  if (const fixture* f = state_.fixtures->find(checked.request.tracking_number, checked.request.phone_tail))
    return fixture_answer(*f);
  const vendor_outcome synthetic = synthetic_outcome(checked);
  const std::int64_t clock_seconds = simulated_now_ms(config_, state_, request_.now_ms) / 1000;
  decision d = outcome_decision(synthetic, config_.trace_anchor_seconds, clock_seconds);
  d.moves_with_clock = synthetic.answer == nullptr;
  d.route = "natural";
  return d;
}

decision query::fixture_answer(const fixture& pinned) const {
  decision d;
  if (pinned.answer) {
    if (pinned.answer->source == answer_source::gateway)
      d = gateway_decision(*pinned.answer, config_.gateway, "fixture");
    else
      d = outcome_decision(fixture_outcome(*pinned.answer, pinned.tracking_number),
                           config_.trace_anchor_seconds, config_.trace_anchor_seconds);
  } else if (pinned.pinned_trace) {
    const scenario& success = entry(scenario_id::success);
    d.status = success.http_status;
    d.content_type = std::string(vendor_content_type);
    d.body = build_trace_body(*pinned.pinned_trace);
    d.answered = &success;
  } else {
    d.status = pinned.response->status;
    d.content_type = pinned.response->content_type;
    d.body = pinned.response->body;
    for (const auto& [name, value] : pinned.response->headers) d.headers.push_back({name, value});
  }
  d.route = "fixture";
  return d;
}

// The headers every answer of the gateway carries, then the decision's own.
simulated_answer finish(const simulator_config& config, const gateway_request& request, decision d,
                        const std::string& request_id) {
  simulated_answer a;
  a.status = d.status;
  a.body = std::move(d.body);
  auto& h = a.headers;
  h.reserve(10 + d.headers.size());
  h.push_back({"Server", std::string(server_name(config.gateway))});
  h.push_back({"Date", http_date(request.now_ms / 1000)});
  if (!d.content_type.empty()) h.push_back({"Content-Type", std::move(d.content_type)});
  for (auto& header : gateway_cors_headers(config.expose_headers)) h.push_back(std::move(header));
  h.push_back({"X-Ca-Request-Id", request_id});
  for (auto& header : d.headers) h.push_back(std::move(header));
  return a;
}

// The record of a decision, and the answer with the headers every answer carries.
void conclude(const simulator_config& config, const gateway_request& request, decision d, simulation& out) {
  out.record.route = d.route;
  out.record.answered = d.answered;
  out.record.injected = d.injected;
  out.record.latency_ms = d.latency_ms;
  out.answer = finish(config, request, std::move(d), out.record.request_id);
}

}  // namespace

// A client sending through an HTTP proxy writes the absolute form (RFC 9112 §3.2.2); the gateway
// reads the path either way.
std::string_view origin_form(std::string_view target) {
  for (const std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (target.size() < scheme.size() || !text::iequals(target.substr(0, scheme.size()), scheme)) continue;
    const std::size_t slash = target.find('/', scheme.size());
    return slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return target;
}

namespace {

constexpr names::row<platform> platform_names[] = {{platform::market, "market"}, {platform::own, "own"}};
static_assert(names::covers(platform_names, platform::own));

}  // namespace

std::string_view to_string(platform mode) { return names::name_of(platform_names, mode); }

std::optional<platform> parse_platform(std::string_view name) {
  return names::value_named(platform_names, name);
}

std::optional<std::string> appcode_in_query(const request_params& params) {
  for (const auto& [name, value] : params.all)
    for (const std::string_view spelling : {"AppCode", "appcode", "appCode", "APPCODE", "APPCode"})
      if (name == spelling && !value.empty()) return value;
  return std::nullopt;
}

std::string_view simulated_answer::header(std::string_view name) const {
  for (const auto& h : headers)
    if (text::iequals(h.name, name)) return h.value;
  return {};
}

const vendor_memo::vendor_answer* vendor_memo::find(const std::string& key) const {
  const auto it = answers_.find(key);
  return it == answers_.end() ? nullptr : &it->second;
}

void vendor_memo::keep(const std::string& key, vendor_answer answer) {
  if (answers_.size() >= capacity) answers_.clear();  // crude but bounded; answers rebuild fast
  answers_.insert_or_assign(key, std::move(answer));
}

simulator_state initial_state(const simulator_config& config) {
  simulator_state state;
  state.book = accounts(config.appcodes, config.rate_limit);
  state.faults = fault_injector(config.latency, config.fault_rate, config.faults, config.seed);
  return state;
}

std::int64_t simulated_now_ms(const simulator_config& config, const simulator_state& state,
                              std::int64_t now_ms) {
  const std::int64_t anchor_ms = config.trace_anchor_seconds * 1000;
  const std::int64_t elapsed_ms = now_ms > anchor_ms ? now_ms - anchor_ms : 0;
  const auto run_ms = static_cast<std::int64_t>(config.clock_rate * static_cast<double>(elapsed_ms));
  return anchor_ms + run_ms + state.clock.moved_ms;
}

void advance_clock(simulator_state& state, std::int64_t seconds) {
  state.clock.moved_ms += seconds * 1000;
  state.memo.clear();
}

void set_clock(const simulator_config& config, simulator_state& state, std::int64_t instant_seconds,
               std::int64_t now_ms) {
  state.clock.moved_ms += instant_seconds * 1000 - simulated_now_ms(config, state, now_ms);
  state.memo.clear();
}

void set_fixtures(simulator_state& state, std::shared_ptr<const fixture_set> fixtures) {
  state.fixtures = fixtures ? std::move(fixtures) : std::make_shared<const fixture_set>();
  state.memo.clear();
}

simulation simulate(const simulator_config& config, simulator_state& state, const gateway_request& request) {
  simulation out;
  out.record.request_id = request_id_from(request.entropy);
  const std::string_view target = origin_form(request.target);
  const std::size_t mark = target.find('?');
  bool stray_percent = false;  // kept as it is: the path is then no route the gateway knows
  // The path as the gateway routes it: %XX escapes decoded ("/%71uery" is "/query").
  const std::string path = text::percent_decode(target.substr(0, mark), false, stray_percent);
  decision d;
  if (request.target.size() > config.max_url_length) {
    d = gateway_decision(entry(scenario_id::url_too_long), config.gateway, "natural");
  } else if (request.method == "OPTIONS") {
    d.route = "preflight";  // the gateway answers every preflight itself
  } else if (const std::string_view host = absolute_host(request.target);
             !host.empty() && !is_api_host(host)) {
    d = gateway_decision(entry(scenario_id::invalid_domain), config.gateway, "natural");
  } else if (path != "/query" || (request.method != "GET" && request.method != "HEAD")) {
    d = gateway_decision(entry(scenario_id::api_not_found), config.gateway, "natural");
  } else if (wrong_stage(request.headers)) {
    d = gateway_decision(entry(scenario_id::invalid_stage), config.gateway, "natural");
  } else {
    const std::string_view query_string =
        mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
    d = query(config, state, request, query_string).answer(out.record.appcode, out.record.billed);
  }
  conclude(config, request, std::move(d), out);
  return out;
}

simulation simulate_target_too_long(const simulator_config& config, std::int64_t now_ms,
                                    std::uint64_t entropy) {
  gateway_request request;
  request.now_ms = now_ms;
  simulation out;
  out.record.request_id = request_id_from(entropy);
  conclude(config, request, gateway_decision(entry(scenario_id::url_too_long), config.gateway, "natural"),
           out);
  return out;
}

std::vector<http_header> gateway_cors_headers(bool expose_headers) {
  std::vector<http_header> h = {{"Access-Control-Allow-Origin", "*"},
                                {"Access-Control-Allow-Methods", std::string(cors_allow_methods)},
                                {"Access-Control-Allow-Headers", std::string(cors_allow_headers)},
                                {"Access-Control-Max-Age", std::string(cors_max_age)}};
  if (expose_headers) h.push_back({"Access-Control-Expose-Headers", std::string(cors_expose_headers)});
  return h;
}

std::string request_id_from(std::uint64_t entropy) {
  const std::uint64_t first = splitmix64(entropy);
  const std::uint64_t high = (first & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t low = (splitmix64(first) & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string id(36, '-');
  std::size_t at = 0;
  for (int nibble = 15; nibble >= 0; --nibble, ++at) {
    if (at == 8 || at == 13) ++at;
    id[at] = hex[(high >> (nibble * 4)) & 0xF];
  }
  for (int nibble = 15; nibble >= 0; --nibble, ++at) {
    if (at == 18 || at == 23) ++at;
    id[at] = hex[(low >> (nibble * 4)) & 0xF];
  }
  return id;
}

}  // namespace kuaidi
