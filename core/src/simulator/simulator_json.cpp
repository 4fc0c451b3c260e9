#include <nlohmann/json.hpp>

#include "../enum_names.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/time.hpp"

namespace kuaidi {

namespace {

using json = nlohmann::json;

// Reads the fields of one JSON object, refusing unknown names and wrong types: a read returns
// false once one is refused, and failed() says the first refusal.
class fields {
 public:
  fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  bool object(std::initializer_list<const char*> known) {
    if (!object_.is_object()) return refuse(where_ + " must be a JSON object");
    for (const auto& item : object_.items()) {
      bool found = false;
      for (const char* name : known) found = found || item.key() == name;
      if (found) continue;
      return refuse(where_ + ": unknown field \"" + item.key() + "\" (fields: " + names::listed(known) + ")");
    }
    return true;
  }

  template <typename T>
  bool read(const char* name, T& out) {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return true;
    if constexpr (std::is_same_v<T, bool>) {
      if (!it->is_boolean()) return refuse(where_ + "." + name + " must be true or false");
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!it->is_string()) return refuse(where_ + "." + name + " must be a string");
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!it->is_number()) return refuse(where_ + "." + name + " must be a number");
    } else {
      if (!it->is_number_integer() || (std::is_unsigned_v<T> && it->get<std::int64_t>() < 0))
        return refuse(where_ + "." + name + " must be a whole number");
    }
    out = it->get<T>();
    return true;
  }

  const json* find(const char* name) const {
    const auto it = object_.find(name);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  bool refuse(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  failure<> failed() const { return fail(error_); }

 private:
  const json& object_;
  std::string where_;
  std::string error_;
};

result<std::vector<account_spec>> read_appcodes(const json& list) {
  if (!list.is_array()) return fail("config.appcodes must be an array");
  std::vector<account_spec> out;
  for (const json& item : list) {
    if (item.is_string()) {
      auto spec = parse_account_spec(item.get<std::string>());
      if (!spec) return fail(spec.error());
      out.push_back(*spec);
      continue;
    }
    account_spec spec;
    fields f(item, "config.appcodes[]");
    std::string state = "active";
    if (!f.object({"appcode", "quota", "state"}) || !f.read("appcode", spec.appcode) ||
        !f.read("state", state))
      return f.failed();
    if (spec.appcode.empty()) return fail("config.appcodes[] needs a non-empty \"appcode\"");
    if (const json* quota = f.find("quota")) {
      if (!quota->is_number_integer() || quota->get<std::int64_t>() < 0)
        return fail("config.appcodes[].quota must be a whole number >= 0, or null for unlimited");
      spec.quota = quota->get<std::int64_t>();
    }
    const auto parsed = parse_account_state(state);
    if (!parsed) return fail("config.appcodes[].state must be one of " + account_state_names());
    spec.state = *parsed;
    out.push_back(spec);
  }
  return out;
}

result<std::vector<own_platform_app>> read_apps(const json& list) {
  if (!list.is_array()) return fail("config.apps must be an array");
  std::vector<own_platform_app> out;
  for (const json& item : list) {
    own_platform_app app;
    fields f(item, "config.apps[]");
    if (!f.object({"appid", "secret", "disabled"}) || !f.read("appid", app.appid) ||
        !f.read("secret", app.secret) || !f.read("disabled", app.disabled))
      return f.failed();
    out.push_back(app);
  }
  return out;
}

}  // namespace

result<simulator_config> config_from_json(const json& object) {
  simulator_config config;
  fields f(object, "config");
  std::string gateway = "classic", mode = "market", algorithm = "md5", latency, faults;
  if (!f.object({"gateway", "mode", "appcodes", "rate_limit", "apps", "algorithm", "allowed_sources",
                 "latency", "fault_rate", "faults", "seed", "backend_timeout_ms", "max_url_length",
                 "appcode_in_query", "expose_headers", "trace_anchor_seconds", "clock_rate"}) ||
      !f.read("gateway", gateway) || !f.read("mode", mode) || !f.read("rate_limit", config.rate_limit) ||
      !f.read("algorithm", algorithm) || !f.read("latency", latency) ||
      !f.read("fault_rate", config.fault_rate) || !f.read("faults", faults) || !f.read("seed", config.seed) ||
      !f.read("backend_timeout_ms", config.backend_timeout_ms) ||
      !f.read("max_url_length", config.max_url_length) ||
      !f.read("appcode_in_query", config.appcode_in_query) ||
      !f.read("expose_headers", config.expose_headers) ||
      !f.read("trace_anchor_seconds", config.trace_anchor_seconds) ||
      !f.read("clock_rate", config.clock_rate))
    return f.failed();
  const auto generation = parse_gateway_generation(gateway);
  if (!generation) return fail("config.gateway must be \"classic\" or \"vpc\", got \"" + gateway + "\"");
  config.gateway = *generation;
  const auto chosen_mode = parse_platform(mode);
  if (!chosen_mode) return fail("config.mode must be \"market\" or \"own\", got \"" + mode + "\"");
  config.mode = *chosen_mode;
  const auto chosen = parse_sign_algorithm(algorithm);
  if (!chosen) return fail("config.algorithm must be md5, sha256 or hmac_sha256, got \"" + algorithm + "\"");
  config.algorithm = *chosen;
  if (!(config.fault_rate >= 0 && config.fault_rate <= 1))
    return fail("config.fault_rate must be from 0 to 1");
  if (config.rate_limit < 0) return fail("config.rate_limit must be 0 (none) or more");
  if (!(config.clock_rate >= 0 && config.clock_rate <= max_clock_rate))
    return fail(
        "config.clock_rate must be from 0 (the clock stands still) to 1000000 simulated seconds "
        "a second");
  if (!latency.empty()) {
    const auto range = parse_latency(latency);
    if (!range) return fail(range.error());
    config.latency = *range;
  }
  if (!faults.empty()) {
    auto list = parse_fault_list(faults);
    if (!list) return fail(list.error());
    config.faults = std::move(*list);
  }
  if (const json* list = f.find("appcodes")) {
    auto appcodes = read_appcodes(*list);
    if (!appcodes) return fail(appcodes.error());
    config.appcodes = std::move(*appcodes);
  }
  if (const json* list = f.find("apps")) {
    auto apps = read_apps(*list);
    if (!apps) return fail(apps.error());
    config.apps = std::move(*apps);
  }
  if (const json* list = f.find("allowed_sources")) {
    if (!list->is_array()) return fail("config.allowed_sources must be an array of strings");
    for (const json& source : *list) {
      if (!source.is_string()) return fail("config.allowed_sources must be an array of strings");
      config.allowed_sources.push_back(source.get<std::string>());
    }
  }
  return config;
}

result<gateway_request> request_from_json(const json& object) {
  gateway_request request;
  fields f(object, "request");
  if (!f.object({"method", "target", "headers", "remote_addr", "now_ms", "entropy"}) ||
      !f.read("method", request.method) || !f.read("target", request.target) ||
      !f.read("remote_addr", request.remote_addr) || !f.read("now_ms", request.now_ms) ||
      !f.read("entropy", request.entropy))
    return f.failed();
  const json* headers = f.find("headers");
  if (!headers) return request;
  if (headers->is_object()) {
    for (const auto& [name, value] : headers->items()) {
      if (!value.is_string()) return fail("request.headers." + name + " must be a string");
      request.headers.push_back({name, value.get<std::string>()});
    }
    return request;
  }
  if (!headers->is_array()) return fail("request.headers must be [[name, value], …] or {name: value}");
  for (const json& pair : *headers) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
      return fail("request.headers must be [[name, value], …] of strings");
    request.headers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
  }
  return request;
}

json clock_json(const simulator_config& config, const simulator_state& state, std::int64_t now_ms) {
  const std::int64_t now = simulated_now_ms(config, state, now_ms);
  return {{"now", china_iso_time(now / 1000)},
          {"now_ms", now},
          {"rate", config.clock_rate},
          {"anchor", china_iso_time(config.trace_anchor_seconds)}};
}

result<> change_clock(const json& change, const simulator_config& config, simulator_state& state,
                      std::int64_t now_ms) {
  constexpr const char* accepted = R"(send {"advance": "6h"} (a whole number and s, m, h or d) or )"
                                   R"({"set": "2022-10-28T09:00:00+08:00"} (an ISO time or epoch seconds))";
  const bool one = change.is_object() && change.size() == 1;
  const auto advance = one ? change.find("advance") : change.end();
  const auto set = one ? change.find("set") : change.end();
  if (advance != change.end() && advance->is_string()) {
    const auto seconds = parse_duration(advance->get<std::string>());
    const std::string said = advance->get<std::string>();
    if (!seconds) return fail("\"advance\": \"" + said + "\" is not a span of time: " + accepted);
    advance_clock(state, *seconds);
    return {};
  }
  if (set != change.end() && set->is_string()) {
    const auto instant = parse_instant(set->get<std::string>());
    const std::string said = set->get<std::string>();
    if (!instant) return fail("\"set\": \"" + said + "\" is not a time: " + accepted);
    set_clock(config, state, *instant, now_ms);
    return {};
  }
  return fail(std::string("the clock takes one change: ") + accepted);
}

json to_json(const simulation& s) {
  json headers = json::array();
  for (const auto& h : s.answer.headers) headers.push_back({h.name, h.value});
  const answer_record& r = s.record;
  return {{"answer", {{"status", s.answer.status}, {"headers", std::move(headers)}, {"body", s.answer.body}}},
          {"record",
           {{"route", r.route},
            {"answered", r.answered ? json(r.answered->id) : json(nullptr)},
            {"billed", r.billed},
            {"injected", r.injected.empty() ? json(nullptr) : json(r.injected.name())},
            {"latency_ms", r.latency_ms},
            {"appcode", r.appcode},
            {"request_id", r.request_id}}}};
}

}  // namespace kuaidi
