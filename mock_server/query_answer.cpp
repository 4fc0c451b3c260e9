#include "query_answer.hpp"

#include <algorithm>

#include "kuaidi/carriers.hpp"
#include "kuaidi/response.hpp"
#include "reserved.hpp"

namespace kuaidi::mock {

const char* const vendor_content_type = "application/json;charset=UTF-8";

namespace {

// The mock's own query parameters, taken out before the vendor (and the signature) sees the query.
struct mock_parameters {
  std::string vendor_query;
  std::optional<std::string> scenario;
  std::optional<std::string> fault;
  std::optional<std::string> latency;
};

mock_parameters split_mock_parameters(const std::string& query) {
  mock_parameters out;
  std::string_view rest = query;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string value =
        eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    if (name == "__scenario") out.scenario = value;
    else if (name == "__fault") out.fault = value;
    else if (name == "__latency") out.latency = value;
    else {
      if (!out.vendor_query.empty()) out.vendor_query += '&';
      out.vendor_query += pair;
    }
  }
  return out;
}

std::string trimmed(std::string text) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t'; };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

const scenario& catalogue_entry(std::string_view id) {
  static const scenario missing{};
  const scenario* s = find_scenario(id);
  return s ? *s : missing;
}

std::string break_json(std::string body) {
  // Cut the body short but keep the headers honest: the bytes are complete, the JSON is not.
  body.resize(body.size() * 3 / 5);
  return body;
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

}  // namespace

mock_answer gateway_answer(const scenario& s, gateway_generation generation, std::string route) {
  const gateway_error& e = gateway_error_for(s, generation);
  mock_answer a;
  a.http_status = e.http_status;
  a.content_type = "text/plain";
  if (!e.code.empty()) a.headers.emplace_back("X-Ca-Error-Code", std::string(e.code));
  a.headers.emplace_back("X-Ca-Error-Message", std::string(e.message));
  a.answered = &s;
  a.route = std::move(route);
  return a;
}

mock_answer mock_error(int http_status, const std::string& problem, const std::string& hint) {
  mock_answer a;
  a.http_status = http_status;
  a.content_type = "application/json";
  a.body = nlohmann::json({{"error", problem}, {"hint", hint}})
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  a.headers.emplace_back("X-Mock-Error", "1");
  a.route = "mock_error";
  return a;
}

query_service::query_service(const mock_options& options, const mock_clock& clock,
                             accounts& accounts, fixture_store& fixtures, fault_injector& faults)
    : options_(options),
      clock_(clock),
      accounts_(accounts),
      fixtures_(fixtures),
      faults_(faults),
      traces_(clock.trace_anchor_seconds()) {}

mock_answer query_service::answer(const query_request& request) {
  const mock_parameters mock = split_mock_parameters(request.query);
  const request_params params = params_from_query_string(mock.vendor_query);
  std::string error;
  const auto forced_choice = forced(request, mock.scenario, params, error);
  if (!error.empty())
    return mock_error(400, error, "GET /__admin/scenarios lists every scenario id");
  const auto plan = faults_.plan(request.fault_header ? request.fault_header : mock.fault,
                                 request.latency_header ? request.latency_header : mock.latency,
                                 error);
  if (!plan) return mock_error(400, error, "see GET /__admin/ for the fault and latency syntax");

  const bool market = options_.mode == platform::market;
  const auto appcode =
      request.authorization ? appcode_from_authorization(*request.authorization) : std::nullopt;
  mock_answer result;
  if (forced_choice && forced_choice->chosen->source == answer_source::gateway) {
    result = gateway_answer(*forced_choice->chosen, options_.gateway, forced_choice->route);
  } else if (auto refused = gateway_stage(request, *plan, market ? appcode : std::nullopt)) {
    result = std::move(*refused);
  } else if (forced_choice) {
    result = forced_answer(*forced_choice->chosen, params, forced_choice->route);
  } else {
    result = vendor_stage(mock.vendor_query, params, request);
  }
  const auto gateway_wait = result.plan.latency;
  result.plan = *plan;
  if (gateway_wait.count() > 0) result.plan.latency = gateway_wait;
  if (result.plan.injected.transport == transport_fault::malformed && !result.body.empty())
    result.body = break_json(std::move(result.body));
  if (market && appcode) {
    result.appcode = mask_appcode(*appcode);
    if (is_2xx(result.http_status)) accounts_.charge(*appcode);
  }
  return result;
}

std::optional<query_service::forced_scenario> query_service::forced(
    const query_request& request, const std::optional<std::string>& scenario_param,
    const request_params& params, std::string& error) const {
  const auto named = [&](const std::string& id, const char* where,
                         const char* route) -> std::optional<forced_scenario> {
    const std::string wanted = trimmed(id);
    if (const scenario* s = find_scenario(wanted)) return forced_scenario{s, route};
    error = std::string(where) + ": unknown scenario id '" + wanted + "'";
    return std::nullopt;
  };
  if (request.scenario_header) return named(*request.scenario_header, "X-Mock-Scenario", "header");
  if (scenario_param) return named(*scenario_param, "__scenario", "query");
  if (params.kddh)
    if (const scenario* s = find_reserved(normalise_tracking_number(*params.kddh)))
      return forced_scenario{s, "reserved"};
  return std::nullopt;
}

// The Aliyun gateway in front of the vendor: auth, quota, flow control, then its own faults.
std::optional<mock_answer> query_service::gateway_stage(const query_request& request,
                                                        const fault_plan& plan,
                                                        const std::optional<std::string>& appcode) {
  if (options_.mode == platform::market) {
    if (const scenario* refused = accounts_.admit(request.authorization, clock_.now_ms())) {
      mock_answer a = gateway_answer(*refused, options_.gateway, "natural");
      if (appcode) a.appcode = mask_appcode(*appcode);
      return a;
    }
  }
  if (plan.injected.gateway) return gateway_answer(*plan.injected.gateway, options_.gateway, "fault");
  if (plan.latency.count() >= options_.backend_timeout_ms) {
    mock_answer a = gateway_answer(catalogue_entry("backend_timeout"), options_.gateway, "natural");
    a.plan.latency = std::chrono::milliseconds(options_.backend_timeout_ms);  // the gateway gives up then
    return a;
  }
  return std::nullopt;
}

mock_answer query_service::forced_answer(const scenario& s, const request_params& params,
                                         std::string route) {
  mock_answer a = outcome_answer(forced_outcome(s, params), params.appid.value_or(""));
  a.route = std::move(route);
  return a;
}

std::optional<mock_answer> answer_cache::find(const std::string& vendor_query,
                                              std::uint64_t fixtures_generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fixtures_generation != generation_) return std::nullopt;
  auto it = answers_.find(vendor_query);
  if (it == answers_.end()) return std::nullopt;
  return it->second;
}

void answer_cache::keep(const std::string& vendor_query, std::uint64_t fixtures_generation,
                        const mock_answer& answer) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fixtures_generation < generation_) return;  // made before a reload this cache already saw
  if (fixtures_generation != generation_ || answers_.size() >= capacity) {
    answers_.clear();
    generation_ = fixtures_generation;
  }
  answers_.emplace(vendor_query, answer);
}

// The own platform's answers depend on the clock (sendtime) and the caller: never cached.
mock_answer query_service::vendor_stage(const std::string& vendor_query, const request_params& params,
                                        const query_request& request) {
  if (options_.mode != platform::market) return validated_answer(params, request);
  const std::uint64_t generation = fixtures_.generation();
  if (auto cached = answers_.find(vendor_query, generation)) return std::move(*cached);
  mock_answer fresh = validated_answer(params, request);
  answers_.keep(vendor_query, generation, fresh);
  return fresh;
}

bool query_service::source_allowed(const query_request& request) const {
  const auto& allowed = options_.allowed_sources;
  if (allowed.empty()) return true;
  return std::find(allowed.begin(), allowed.end(), request.remote_addr) != allowed.end() ||
         (!request.origin.empty() &&
          std::find(allowed.begin(), allowed.end(), request.origin) != allowed.end());
}

mock_answer query_service::validated_answer(const request_params& params,
                                            const query_request& request) {
  validation_options checks;
  checks.own_platform = options_.mode == platform::own;
  checks.now_ms = clock_.now_ms();
  checks.apps = options_.apps;
  checks.algorithm = options_.algorithm;
  checks.source_allowed = source_allowed(request);
  const validation checked = validate(params, checks);
  if (!checked.passed()) {
    const std::string appid = params.appid.value_or("");
    mock_answer a = vendor_answer(*checked.answer, {}, checked.request.tracking_number, appid);
    a.route = "natural";
    return a;
  }
  const auto pinned = fixtures_.current();
  if (const fixture* f = pinned->find(checked.request.tracking_number, checked.request.phone_tail))
    return fixture_answer(*f);
  mock_answer a = outcome_answer(synthetic_outcome(checked));
  a.route = "natural";
  return a;
}

mock_answer query_service::outcome_answer(const vendor_outcome& o, std::string_view appid) {
  if (!o.answer) return trace_answer(o.tracking_number, *o.named);
  return vendor_answer(*o.answer, o.named ? o.named->name_zh : std::string_view{}, o.tracking_number, appid);
}

mock_answer query_service::fixture_answer(const fixture& pinned) {
  mock_answer a;
  a.route = "fixture";
  if (pinned.answer) {
    if (pinned.answer->source == answer_source::gateway)
      a = gateway_answer(*pinned.answer, options_.gateway, "fixture");
    else
      a = outcome_answer(fixture_outcome(*pinned.answer, pinned.tracking_number));
  } else if (pinned.pinned_trace) {
    a.http_status = catalogue_entry("success").http_status;
    a.content_type = vendor_content_type;
    a.body = build_trace_body(*pinned.pinned_trace);
    a.answered = &catalogue_entry("success");
  } else {
    a.http_status = pinned.response->status;
    a.content_type = pinned.response->content_type;
    a.body = pinned.response->body;
    a.headers = pinned.response->headers;
  }
  a.route = "fixture";
  return a;
}

mock_answer query_service::vendor_answer(const scenario& s, std::string_view carrier_name,
                                         std::string_view tracking_number, std::string_view appid) {
  mock_answer a;
  a.http_status = s.http_status;
  a.content_type = vendor_content_type;
  a.body = build_answer_body(s, carrier_name, tracking_number, appid);
  a.answered = &s;
  return a;
}

mock_answer query_service::trace_answer(const std::string& tracking_number, const carrier& by) {
  mock_answer a;
  const scenario& success = catalogue_entry("success");
  a.http_status = success.http_status;
  a.content_type = vendor_content_type;
  a.body = *traces_.body(tracking_number, by);
  a.answered = &success;
  return a;
}

const carrier* named_carrier(const std::string& tracking_number, const request_params& params) {
  if (params.code) {
    std::string code = trimmed(*params.code);
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!code.empty()) return find_carrier(code);
  }
  if (tracking_number.empty()) return nullptr;
  const detection d = detect_carrier(tracking_number);
  return d.best() ? d.best()->carrier : nullptr;
}

vendor_outcome forced_outcome(const scenario& s, const request_params& params) {
  const std::string number = params.kddh ? normalise_tracking_number(*params.kddh) : std::string();
  const carrier* named = named_carrier(number, params);
  if (s.id == "success") {
    // A forced trace needs a carrier: the vendor's own example carrier when none can be named.
    return {nullptr, named ? named : find_carrier("zhongtong"),
            number.empty() ? std::string(reserved_for("success")->tracking_number) : number};
  }
  const bool names_carrier = s.ok == 1 && s.id != "carrier_unmatched";
  return {&s, names_carrier ? named : nullptr, number};
}

vendor_outcome fixture_outcome(const scenario& s, const std::string& tracking_number) {
  const carrier* named = named_carrier(tracking_number, {});
  if (s.id == "success" && named) return {nullptr, named, tracking_number};
  return {&s, s.ok == 1 ? named : nullptr, tracking_number};
}

vendor_outcome synthetic_outcome(const validation& checked) {
  const tracking_request& r = checked.request;
  const std::string& number = r.tracking_number;
  const carrier* by = nullptr;
  if (!r.carrier_code.empty()) {
    by = find_carrier(r.carrier_code);
    if (!by) return {&catalogue_entry("carrier_unmatched"), nullptr, number};
  } else if (const candidate* best = checked.carriers.best()) {
    by = best->carrier;
  } else if (!checked.carriers.rejected.empty()) {
    return {&catalogue_entry("number_wrong"), checked.carriers.rejected.front().carrier, number};
  } else {
    return {&catalogue_entry("carrier_unmatched"), nullptr, number};
  }
  if (by->needs_phone_tail && r.phone_tail.empty()) return {&catalogue_entry("no_record"), by, number};
  if (looks_void(number)) return {&catalogue_entry("number_void"), by, number};
  return {nullptr, by, number};
}

}  // namespace kuaidi::mock
