// The core for the page: JSON strings in, JSON strings out, so the JavaScript side stays thin and
// the shapes are the ones core/include/kuaidi/json.hpp defines. Errors come back as {"error": …}.

#include <emscripten/bind.h>

#include <cstdint>
#include <string>

#include "kuaidi/json.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/signature.hpp"

namespace {

using nlohmann::json;

// Text from the network may not be UTF-8; replace bad bytes rather than fail.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string error(const std::string& message) { return dump(json{{"error", message}}); }

json parse(const std::string& text) { return json::parse(text, nullptr, false); }

// {"own_platform":…, "now_ms":…, "algorithm":"md5", "source_allowed":…, "apps":[{"appid","secret","disabled"}]};
// absent keys keep the defaults (the Aliyun market: no own-platform checks).
kuaidi::validation_options options_from(const std::string& options_json) {
  kuaidi::validation_options options;
  const json o = parse(options_json.empty() ? "{}" : options_json);
  if (!o.is_object()) return options;
  if (o.contains("own_platform") && o["own_platform"].is_boolean()) options.own_platform = o["own_platform"].get<bool>();
  if (o.contains("now_ms") && o["now_ms"].is_number()) options.now_ms = o["now_ms"].get<std::int64_t>();
  if (o.contains("source_allowed") && o["source_allowed"].is_boolean())
    options.source_allowed = o["source_allowed"].get<bool>();
  if (o.contains("algorithm") && o["algorithm"].is_string())
    if (const auto a = kuaidi::parse_sign_algorithm(o["algorithm"].get<std::string>())) options.algorithm = *a;
  if (o.contains("apps") && o["apps"].is_array())
    for (const auto& app : o["apps"])
      if (app.is_object())
        options.apps.push_back({app.value("appid", ""), app.value("secret", ""), app.value("disabled", false)});
  return options;
}

std::string validate(const std::string& params_json, const std::string& options_json) {
  const json params_object = parse(params_json);
  kuaidi::request_params params;
  std::string why;
  if (params_object.is_discarded()) return error("the request parameters are not JSON");
  if (!kuaidi::params_from_json(params_object, params, why)) return error(why);
  return dump(kuaidi::to_json(kuaidi::validate(params, options_from(options_json))));
}

// The raw query string ("kddh=…&code=…"), decoded as a server would: what a URL really sends.
std::string validate_query(const std::string& query, const std::string& options_json) {
  return dump(kuaidi::to_json(kuaidi::validate(kuaidi::params_from_query_string(query), options_from(options_json))));
}

// The own platform's sign over every parameter but `sign` (signature.hpp's default scheme).
std::string sign(const std::string& params_json, const std::string& secret, const std::string& algorithm) {
  const json object = parse(params_json);
  const auto chosen = kuaidi::parse_sign_algorithm(algorithm);
  kuaidi::request_params params;
  std::string why;
  if (object.is_discarded() || !chosen || !kuaidi::params_from_json(object, params, why)) return {};
  kuaidi::signed_parameters unsigned_params;
  for (const auto& p : params.all)
    if (p.first != "sign") unsigned_params.push_back(p);
  return kuaidi::compute_sign(unsigned_params, secret, *chosen);
}

std::string detect(const std::string& tracking_number) {
  return dump(kuaidi::to_json(kuaidi::detect_carrier(tracking_number)));
}

std::string interpret(const std::string& answer_json) {
  const json object = parse(answer_json);
  if (object.is_discarded()) return error("the answer is not JSON");
  kuaidi::http_answer answer;
  std::string why;
  if (!kuaidi::answer_from_json(object, answer, why)) return error(why);
  return dump(kuaidi::to_json(kuaidi::interpret(answer)));
}

std::string catalogue() { return dump(kuaidi::catalogue_json()); }
std::string carriers() { return dump(kuaidi::carriers_json()); }
std::string mask(const std::string& tracking_number) { return kuaidi::mask_tracking_number(tracking_number); }

// Pasted input cleaned before sending: field is "kddh", "tel" or "code".
std::string clean_input(const std::string& field, const std::string& raw) {
  if (field == "kddh") return dump(kuaidi::to_json(kuaidi::clean_tracking_number(raw)));
  if (field == "tel") return dump(kuaidi::to_json(kuaidi::clean_phone_tail(raw)));
  if (field == "code") return dump(kuaidi::to_json(kuaidi::carrier_code_from_name(raw)));
  return error("field is kddh, tel or code");
}

}  // namespace

EMSCRIPTEN_BINDINGS(kuaidi) {
  emscripten::function("validate", &validate);
  emscripten::function("validateQuery", &validate_query);
  emscripten::function("sign", &sign);
  emscripten::function("detect", &detect);
  emscripten::function("interpret", &interpret);
  emscripten::function("catalogue", &catalogue);
  emscripten::function("carriers", &carriers);
  emscripten::function("maskTrackingNumber", &mask);
  emscripten::function("cleanInput", &clean_input);
}
