// The core for the page: JSON strings in, JSON strings out, so the JavaScript side stays thin and
// the shapes are the ones core/include/kuaidi/json.hpp defines. Errors come back as {"error": …}.

#include <emscripten/bind.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "kuaidi/json.hpp"
#include "kuaidi/referee.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/signature.hpp"
#include "kuaidi/simulator.hpp"

namespace {

using nlohmann::json;

// Text from the network may not be UTF-8; replace bad bytes rather than fail.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string error(const std::string& message) { return dump(json{{"error", message}}); }

json parse(const std::string& text) { return json::parse(text, nullptr, false); }

// {"own_platform":…, "now_ms":…, "algorithm":"md5", "source_allowed":…,
// "apps":[{"appid","secret","disabled"}]}; absent keys keep the defaults (the Aliyun market: no own-platform
// checks).
kuaidi::validation_options options_from(const std::string& options_json) {
  kuaidi::validation_options options;
  const json o = parse(options_json.empty() ? "{}" : options_json);
  if (!o.is_object()) return options;
  if (o.contains("own_platform") && o["own_platform"].is_boolean())
    options.own_platform = o["own_platform"].get<bool>();
  if (o.contains("now_ms") && o["now_ms"].is_number()) options.now_ms = o["now_ms"].get<std::int64_t>();
  if (o.contains("source_allowed") && o["source_allowed"].is_boolean())
    options.source_allowed = o["source_allowed"].get<bool>();
  if (o.contains("algorithm") && o["algorithm"].is_string())
    if (const auto a = kuaidi::parse_sign_algorithm(o["algorithm"].get<std::string>()))
      options.algorithm = *a;
  if (o.contains("apps") && o["apps"].is_array())
    for (const auto& app : o["apps"])
      if (app.is_object())
        options.apps.push_back(
            {app.value("appid", ""), app.value("secret", ""), app.value("disabled", false)});
  return options;
}

std::string validate(const std::string& params_json, const std::string& options_json) {
  const json params_object = parse(params_json);
  if (params_object.is_discarded()) return error("the request parameters are not JSON");
  const auto params = kuaidi::params_from_json(params_object);
  if (!params) return error(params.error());
  return dump(kuaidi::to_json(kuaidi::validate(*params, options_from(options_json))));
}

// The raw query string ("kddh=…&code=…"), decoded as a server would: what a URL really sends.
std::string validate_query(const std::string& query, const std::string& options_json) {
  return dump(
      kuaidi::to_json(kuaidi::validate(kuaidi::params_from_query_string(query), options_from(options_json))));
}

// The own platform's sign over every parameter but `sign` (signature.hpp's default scheme).
std::string sign(const std::string& params_json, const std::string& secret, const std::string& algorithm) {
  const json object = parse(params_json);
  const auto chosen = kuaidi::parse_sign_algorithm(algorithm);
  if (object.is_discarded() || !chosen) return {};
  const auto params = kuaidi::params_from_json(object);
  if (!params) return {};
  kuaidi::signed_parameters unsigned_params;
  for (const auto& p : params->all)
    if (p.first != "sign") unsigned_params.push_back(p);
  return kuaidi::compute_sign(unsigned_params, secret, *chosen);
}

std::string detect(const std::string& tracking_number) {
  return dump(kuaidi::to_json(kuaidi::detect_carrier(tracking_number)));
}

std::string interpret(const std::string& answer_json) {
  const json object = parse(answer_json);
  if (object.is_discarded()) return error("the answer is not JSON");
  const auto answer = kuaidi::answer_from_json(object);
  if (!answer) return error(answer.error());
  return dump(kuaidi::to_json(kuaidi::interpret(*answer)));
}

std::string catalogue() { return dump(kuaidi::catalogue_json()); }
std::string carriers() { return dump(kuaidi::carriers_json()); }
std::string mask(const std::string& tracking_number) { return kuaidi::mask_tracking_number(tracking_number); }
std::string mask_appcode(const std::string& appcode) { return kuaidi::mask_appcode(appcode); }

// The carrier an ok:1 answer would name for these parameters, or null.
std::string named_carrier(const std::string& params_json) {
  const json object = parse(params_json);
  if (object.is_discarded()) return error("not JSON");
  const auto params = kuaidi::params_from_json(object);
  if (!params) return error(params.error());
  const std::string number = params->kddh ? kuaidi::normalise_tracking_number(*params->kddh) : std::string();
  const kuaidi::carrier* named = kuaidi::named_carrier(number, *params);
  return named ? dump(kuaidi::to_json(*named)) : "null";
}

// The service simulated in the page: the 演示 endpoint when no kuaidi-mock serves the page. One
// object holds the config and the state (quotas, fixtures) between calls, as kuaidi-mock does.
class page_simulator {
 public:
  explicit page_simulator(const std::string& config_json) {
    const json object = parse(config_json.empty() ? "{}" : config_json);
    if (object.is_discarded()) {
      error_ = "the simulator config is not JSON";
      return;
    }
    auto config = kuaidi::config_from_json(object);
    if (!config) {
      error_ = config.error();
      return;
    }
    config_ = std::move(*config);
    state_ = kuaidi::initial_state(config_);
  }

  // Empty when the config was understood; otherwise what to change.
  std::string error() const { return error_; }

  std::string answer(const std::string& request_json) {
    if (!error_.empty()) return ::error(error_);
    const json object = parse(request_json);
    if (object.is_discarded()) return ::error("the request is not JSON");
    const auto request = kuaidi::request_from_json(object);
    if (!request) return ::error(request.error());
    const kuaidi::simulation answered = kuaidi::simulate(config_, state_, *request);
    // Judged by the real clock, as kuaidi-mock judges: a client backs off in real time, whatever now_ms says.
    if (auto seen = kuaidi::observe_request(*request, answered)) {
      seen->time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
      referee_.observe(*seen);
    }
    return dump(kuaidi::to_json(answered));
  }

  // What the referee found in the answers so far, as GET /__admin/report.
  std::string report() const { return dump(kuaidi::to_json(referee_.report())); }
  void reset_report() { referee_.reset(); }

  std::string accounts() const { return dump(state_.book.to_json()); }

  // {"remaining": N|null, "state": "…"} for one AppCode, as PUT /__admin/quotas/<appcode>.
  std::string update_account(const std::string& appcode, const std::string& change_json) {
    const json change = parse(change_json);
    if (change.is_discarded()) return ::error("the change is not JSON");
    if (const auto done = state_.book.update(appcode, change); !done) return ::error(done.error());
    return dump(*state_.book.to_json(appcode));
  }

  // A fixture file's text; the fixtures in force stay when it is refused.
  std::string set_fixtures(const std::string& text) {
    auto parsed = kuaidi::fixture_set::parse(text);
    if (!parsed) return ::error(parsed.error());
    const std::size_t count = parsed->size();
    kuaidi::set_fixtures(state_, std::make_shared<const kuaidi::fixture_set>(std::move(*parsed)));
    return dump(json{{"count", count}});
  }

  // Back to the config's quotas and states, as POST /__admin/quotas/reset.
  void reset_accounts() { state_.book.reset(); }

  // The simulated clock when the page's clock reads now_ms, as GET /__admin/clock shows it.
  std::string clock(double now_ms) const {
    if (!error_.empty()) return ::error(error_);
    return dump(kuaidi::clock_json(config_, state_, static_cast<std::int64_t>(now_ms)));
  }

  // {"advance": "6h"} or {"set": "…"}, as POST /__admin/clock: the clock after it, or what was wrong.
  std::string change_clock(const std::string& change_json, double now_ms) {
    if (!error_.empty()) return ::error(error_);
    const json change = parse(change_json);
    const auto done = kuaidi::change_clock(change, config_, state_, static_cast<std::int64_t>(now_ms));
    if (!done) return ::error(done.error());
    return clock(now_ms);
  }

 private:
  kuaidi::simulator_config config_;
  kuaidi::simulator_state state_;
  kuaidi::referee referee_;
  std::string error_;
};

// Pasted input cleaned before sending: field is "kddh", "tel" or "code".
std::string clean_input(const std::string& field, const std::string& raw) {
  if (field == "kddh") return dump(kuaidi::to_json(kuaidi::clean_tracking_number(raw)));
  if (field == "tel") return dump(kuaidi::to_json(kuaidi::clean_phone_tail(raw)));
  if (field == "code") return dump(kuaidi::to_json(kuaidi::carrier_code_from_name(raw)));
  return error("field is kddh, tel or code");
}

// What a person pasted (curl -i, HAR, a log line), read and explained as a live answer is:
// the read paste (paste.hpp's JSON) and "outcome", interpret()'s result, or null when unread.
std::string read_paste(const std::string& text) {
  const kuaidi::pasted_answer pasted = kuaidi::read_pasted_answer(text);
  json out = kuaidi::to_json(pasted);
  out["outcome"] = pasted.answer ? kuaidi::to_json(kuaidi::interpret(*pasted.answer)) : json(nullptr);
  return dump(out);
}

}  // namespace

EMSCRIPTEN_BINDINGS(kuaidi) {
  emscripten::class_<page_simulator>("Simulator")
      .constructor<std::string>()
      .function("error", &page_simulator::error)
      .function("answer", &page_simulator::answer)
      .function("accounts", &page_simulator::accounts)
      .function("updateAccount", &page_simulator::update_account)
      .function("setFixtures", &page_simulator::set_fixtures)
      .function("resetAccounts", &page_simulator::reset_accounts)
      .function("clock", &page_simulator::clock)
      .function("changeClock", &page_simulator::change_clock)
      .function("report", &page_simulator::report)
      .function("resetReport", &page_simulator::reset_report);
  emscripten::function("validate", &validate);
  emscripten::function("validateQuery", &validate_query);
  emscripten::function("sign", &sign);
  emscripten::function("detect", &detect);
  emscripten::function("interpret", &interpret);
  emscripten::function("catalogue", &catalogue);
  emscripten::function("carriers", &carriers);
  emscripten::function("maskTrackingNumber", &mask);
  emscripten::function("maskAppcode", &mask_appcode);
  emscripten::function("namedCarrier", &named_carrier);
  emscripten::function("cleanInput", &clean_input);
  emscripten::function("readPaste", &read_paste);
}
