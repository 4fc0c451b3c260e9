#pragma once
// What a request, interpret or simulator vector feeds the core, built once for the Catch2 runners and for the
// page module's parity check (tests/wasm/binding_calls.cpp): the JSON the page's bindings take.

#include <algorithm>
#include <cctype>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kuaidi/json.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/signature.hpp"
#include "templates.hpp"
#include "vectors.hpp"

namespace kuaidi::test {

// request.json's "options", or the market's defaults when a case has none.
inline validation_options request_options(const nlohmann::json& c) {
  validation_options options;
  const nlohmann::json o = c.value("options", nlohmann::json());
  if (o.is_null()) return options;
  require_known_keys(o, {"own_platform", "now_ms", "algorithm", "source_allowed", "apps"});
  options.own_platform = o.at("own_platform").get<bool>();
  options.now_ms = o.at("now_ms").get<std::int64_t>();
  options.algorithm = *parse_sign_algorithm(o.at("algorithm").get<std::string>());
  options.source_allowed = o.at("source_allowed").get<bool>();
  for (const auto& app : o.at("apps")) {
    require_known_keys(app, {"appid", "secret", "disabled"});
    options.apps.push_back({app.at("appid"), app.at("secret"), app.value("disabled", false)});
  }
  return options;
}

// request.json's "params" with "{{sign:SECRET}}" replaced by the signature of the other
// parameters ("{{SIGN:…}}" in upper case).
inline nlohmann::json request_params_json(const nlohmann::json& c) {
  nlohmann::json object = c.at("params");
  const request_params params = value_of(params_from_json(object));
  if (!params.sign || params.sign->rfind("{{", 0) != 0) return object;
  const std::string secret = params.sign->substr(7, params.sign->size() - 9);
  signed_parameters unsigned_params;
  for (const auto& p : params.all)
    if (p.first != "sign") unsigned_params.push_back(p);
  std::string sign = compute_sign(unsigned_params, secret, request_options(c).algorithm);
  if (params.sign->rfind("{{SIGN", 0) == 0)
    std::transform(sign.begin(), sign.end(), sign.begin(),
                   [](char ch) { return static_cast<char>(std::toupper(ch)); });
  object["sign"] = sign;
  return object;
}

inline request_params request_params_of(const nlohmann::json& c) {
  if (c.contains("query")) return params_from_query_string(c.at("query").get<std::string>());
  return value_of(params_from_json(request_params_json(c)));
}

// interpret.json's "answer" with its templates expanded and its generated bodies made.
inline nlohmann::json interpret_answer_json(const nlohmann::json& c) {
  require_known_keys(c, {"name", "answer", "expect", "huge_body", "nested_body"});
  nlohmann::json a = c.at("answer");
  require_known_keys(
      a, {"http_status", "headers", "headers_readable", "body", "body_json", "transport_error", "simulated"});
  if (a.contains("body")) a["body"] = expand(a.at("body"));
  if (a.contains("body_json")) a["body"] = expand(a.at("body_json").dump());
  a.erase("body_json");
  if (c.contains("huge_body"))
    a["body"] = "{\"ok\":1,\"pad\":\"" + std::string(c.at("huge_body").get<std::size_t>(), 'x') + "\"}";
  if (c.contains("nested_body")) a["body"] = std::string(c.at("nested_body").get<std::size_t>(), '[');
  return a;
}

inline http_answer interpret_answer(const nlohmann::json& c) {
  return value_of(answer_from_json(interpret_answer_json(c)));
}

// A simulator.json step's request, with the file's default time and Authorization, and a fixed
// entropy so request ids repeat.
inline nlohmann::json simulator_request_json(const nlohmann::json& step, const nlohmann::json& defaults) {
  nlohmann::json r = step.at("request");
  require_known_keys(r, {"method", "target", "headers", "now_ms"});
  if (!r.contains("now_ms")) r["now_ms"] = defaults.at("now_ms");
  if (!r.contains("headers")) r["headers"] = {{"Authorization", defaults.at("authorization")}};
  r["entropy"] = 42;
  return r;
}

// paste.json's "paste": a string, or lines joined with "\r\n" (as curl and HTTP write them) unless "eol"
// says.
inline std::string paste_of(const nlohmann::json& c) {
  const nlohmann::json& p = c.at("paste");
  if (p.is_string()) return expand(p.get<std::string>());
  const std::string eol = c.value("eol", "\r\n");
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) out += (i ? eol : "") + expand(p[i].get<std::string>());
  return out;
}

}  // namespace kuaidi::test
