#include "kuaidi/json.hpp"

namespace kuaidi {

namespace {

using json = nlohmann::json;

json text_json(const localized_text& t) { return {{"zh", t.zh}, {"en", t.en}}; }
json text_json(const owned_text& t) { return {{"zh", t.zh}, {"en", t.en}}; }

json gateway_json(const gateway_error& g) {
  return {{"http_status", g.http_status},
          {"code", g.code},
          {"message", g.message},
          {"confidence", to_string(g.confidence)}};
}

json optional_state(const std::optional<state>& s) { return s ? json(to_string(*s)) : json(nullptr); }

json optional_label(const std::optional<state>& s) { return s ? text_json(state_label(*s)) : json(nullptr); }

json candidate_json(const candidate& c) {
  json out = to_json(*c.carrier);
  out["score"] = c.score;
  out["pattern"] = c.pattern;
  out["check_digit_verified"] = c.check_digit_verified;
  out["reason"] = text_json(c.reason);
  out["issuing_country"] = c.issuing_country;
  return out;
}

json rejected_json(const rejected_candidate& r) {
  json out = to_json(*r.carrier);
  out["pattern"] = r.pattern;
  out["check"] = to_string(r.check);
  return out;
}

json event_json(const event& e) {
  return {{"time", e.time},
          {"content", e.content},
          {"time_valid", e.time_valid},
          // The wall-clock time as written, in seconds: the page shows every time one way.
          {"sort_key", e.time_valid ? json(e.sort_key) : json()},
          {"stage", optional_state(e.stage)},
          {"stage_label", optional_label(e.stage)}};
}

// A string member of an object whose members are all strings or null.
std::optional<std::string> optional_string(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

json to_json(const scenario& s) {
  const bool gateway = s.source == answer_source::gateway;
  return {{"id", s.id},
          {"source", to_string(s.source)},
          {"category", to_string(s.kind)},
          {"ok", s.ok < 0 ? json(nullptr) : json(s.ok)},
          {"http_status", s.http_status},
          {"msg", s.msg},
          {"billed", s.billed},
          {"classic", gateway ? gateway_json(s.classic) : json(nullptr)},
          {"vpc", gateway ? gateway_json(s.vpc) : json(nullptr)},
          {"title", text_json(s.title)},
          {"explanation", text_json(s.explanation)},
          {"action", text_json(s.action)},
          {"trigger", s.trigger},
          {"parameter", to_string(s.parameter)},
          {"confidence", gateway ? json(nullptr) : json(to_string(certainty::doc))}};
}

json to_json(const carrier& c) {
  return {{"code", c.code},
          {"name_zh", c.name_zh},
          {"name_en", c.name_en},
          {"needs_phone_tail", c.needs_phone_tail}};
}

json to_json(const detection& d) {
  json candidates = json::array();
  for (const auto& c : d.candidates) candidates.push_back(candidate_json(c));
  json rejected = json::array();
  for (const auto& r : d.rejected) rejected.push_back(rejected_json(r));
  return {{"normalised", d.normalised},
          {"certain", d.certain},
          {"candidates", std::move(candidates)},
          {"rejected", std::move(rejected)}};
}

json to_json(const validation& v) {
  json answer = nullptr;
  if (v.answer) {
    answer = to_json(*v.answer);
    answer["msg"] = v.answer_msg;
  }
  json advisories = json::array();
  for (const auto& a : v.advisories)
    advisories.push_back({{"kind", to_string(a.kind)},
                          {"parameter", to_string(parameter_of(a.kind))},
                          {"text", text_json(a.text)}});
  return {{"passed", v.passed()},
          {"answer", std::move(answer)},
          {"request",
           {{"tracking_number", v.request.tracking_number},
            {"carrier_code", v.request.carrier_code},
            {"phone_tail", v.request.phone_tail}}},
          {"detection", to_json(v.carriers)},
          {"advisories", std::move(advisories)}};
}

json to_json(const cleaned_input& c) {
  json changes = json::array();
  for (const auto& change : c.changes)
    changes.push_back({{"kind", change.kind}, {"text", text_json(change.text)}});
  return {{"value", c.value}, {"changed", c.changed}, {"changes", changes}, {"others", c.others}};
}

json to_json(const outcome& o) {
  json possible = json::array();
  for (const scenario* s : o.possible) possible.push_back(s->id);
  json events = json::array();
  for (const auto& e : o.events) events.push_back(event_json(e));
  json notes = json::array();
  for (const auto& n : o.notes) notes.push_back(text_json(n));
  return {{"state", to_string(o.what)},
          {"state_label", text_json(state_label(o.what))},
          {"billed", to_string(o.billed)},
          {"matched", o.matched ? json(o.matched->id) : json(nullptr)},
          {"possible", std::move(possible)},
          {"http_status", o.http_status},
          {"ok", o.ok ? json(*o.ok) : json(nullptr)},
          {"msg", o.msg},
          {"raw_status", o.raw_status ? json(*o.raw_status) : json(nullptr)},
          {"status_state", optional_state(o.status_state)},
          {"status_label", optional_label(o.status_state)},
          {"carrier_name", o.carrier_name},
          {"tracking_number", o.tracking_number},
          {"events", std::move(events)},
          {"explanation", text_json(o.explanation)},
          {"action", text_json(o.action)},
          {"notes", std::move(notes)},
          {"request_id", o.request_id},
          {"error_code", o.error_code},
          {"error_message", o.error_message}};
}

json to_json(const http_answer& a) {
  json headers = json::array();
  for (const auto& h : a.headers) headers.push_back({h.name, h.value});
  return {{"http_status", a.http_status},
          {"headers_readable", a.headers_readable},
          {"headers", std::move(headers)},
          {"body", a.body},
          {"transport_error", a.transport_error}};
}

json to_json(const pasted_answer& p) {
  json notes = json::array();
  for (const auto& n : p.notes) notes.push_back(text_json(n));
  return {{"read", p.answer.has_value()},
          {"form", p.answer ? json(to_string(p.form)) : json(nullptr)},
          {"answer", p.answer ? to_json(*p.answer) : json(nullptr)},
          {"request_target", p.request_target},
          {"answers_skipped", p.answers_skipped},
          {"notes", std::move(notes)},
          {"error", p.answer ? json(nullptr) : text_json(p.error)}};
}

json catalogue_json() {
  json out = json::array();
  for (const auto& s : all_scenarios()) out.push_back(to_json(s));
  return out;
}

json carriers_json() {
  json out = json::array();
  for (const auto& c : all_carriers()) out.push_back(to_json(c));
  return out;
}

result<request_params> params_from_json(const json& object) {
  if (!object.is_object()) return fail("the request must be a JSON object of parameter names to strings");
  request_params params;
  for (const auto& [name, value] : object.items()) {
    if (value.is_null()) continue;
    if (!value.is_string()) return fail("\"" + name + "\" must be a string");
    params.all.emplace_back(name, value.get<std::string>());
  }
  params.kddh = optional_string(object, "kddh");
  params.code = optional_string(object, "code");
  params.tel = optional_string(object, "tel");
  params.appid = optional_string(object, "appid");
  params.sendtime = optional_string(object, "sendtime");
  params.sign = optional_string(object, "sign");
  return params;
}

result<http_answer> answer_from_json(const json& object) {
  if (!object.is_object()) return fail("the answer must be a JSON object");
  http_answer answer;
  const auto status = object.find("http_status");
  if (status != object.end() && !status->is_number_integer())
    return fail("\"http_status\" must be an integer (0 when nothing came back)");
  if (status != object.end()) answer.http_status = status->get<int>();
  const auto readable = object.find("headers_readable");
  if (readable != object.end() && !readable->is_boolean())
    return fail("\"headers_readable\" must be true or false");
  if (readable != object.end()) answer.headers_readable = readable->get<bool>();
  const auto headers = object.find("headers");
  if (headers != object.end() && headers->is_object()) {
    for (const auto& [name, value] : headers->items())
      if (value.is_string()) answer.headers.push_back({name, value.get<std::string>()});
  } else if (headers != object.end() && headers->is_array()) {
    for (const auto& pair : *headers)
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
        answer.headers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
  }
  const auto body = object.find("body");
  if (body != object.end() && body->is_string()) answer.body = body->get<std::string>();
  const auto transport = object.find("transport_error");
  if (transport != object.end() && transport->is_string())
    answer.transport_error = transport->get<std::string>();
  const auto simulated = object.find("simulated");
  if (simulated != object.end() && !simulated->is_boolean())
    return fail("\"simulated\" must be true or false");
  if (simulated != object.end()) answer.simulated = simulated->get<bool>();
  return answer;
}

}  // namespace kuaidi
