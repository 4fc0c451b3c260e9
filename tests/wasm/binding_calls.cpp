// The native side of tests/wasm/parity.test.mjs: for every vector input, the call the page makes to
// its module (web/bindings.cpp) and what the native core answers, as JSON text. The node test
// makes the same calls on the wasm module and compares the text; the expectations themselves are
// checked once, by the Catch2 runners. Hidden: kuaidi_core_tests "[bindings]" with
// KUAIDI_BINDING_CALLS=<file> writes the calls there.

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "kuaidi/input.hpp"
#include "kuaidi/json.hpp"
#include "kuaidi/paste.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/signature.hpp"
#include "kuaidi/simulator.hpp"
#include "vector_inputs.hpp"

namespace {

using nlohmann::json;

// As the bindings write their answers: bad bytes from the network replaced, never an exception.
std::string text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

json call(const std::string& name, json args, const std::string& output) {
  return {{"call", name}, {"args", std::move(args)}, {"output", output}};
}

void request_calls(json& calls) {
  const json vectors = kuaidi::test::load_vectors("request.json");
  for (const auto& c : vectors.at("cases")) {
    const std::string options = text(c.value("options", json::object()));
    const auto validation =
        kuaidi::validate(kuaidi::test::request_params_of(c), kuaidi::test::request_options(c));
    if (c.contains("query")) {
      calls.push_back(call("validateQuery", {c.at("query"), options}, text(kuaidi::to_json(validation))));
      continue;
    }
    const json params = kuaidi::test::request_params_json(c);
    calls.push_back(call("validate", {text(params), options}, text(kuaidi::to_json(validation))));
    const kuaidi::request_params parsed = kuaidi::test::request_params_of(c);
    const std::string number = parsed.kddh ? kuaidi::normalise_tracking_number(*parsed.kddh) : std::string();
    const kuaidi::carrier* named = kuaidi::named_carrier(number, parsed);
    calls.push_back(call("namedCarrier", {text(params)}, named ? text(kuaidi::to_json(*named)) : "null"));
  }
}

void interpret_calls(json& calls) {
  const json vectors = kuaidi::test::load_vectors("interpret.json");
  for (const auto& c : vectors.at("cases"))
    calls.push_back(call("interpret", {text(kuaidi::test::interpret_answer_json(c))},
                         text(kuaidi::to_json(kuaidi::interpret(kuaidi::test::interpret_answer(c))))));
}

void carrier_and_input_calls(json& calls) {
  const json carriers = kuaidi::test::load_vectors("carriers.json");
  for (const auto& d : carriers.at("detection")) {
    const std::string number = d.at("number");
    calls.push_back(call("detect", {number}, text(kuaidi::to_json(kuaidi::detect_carrier(number)))));
  }
  const json input = kuaidi::test::load_vectors("input.json");
  const std::pair<const char*, kuaidi::cleaned_input (*)(std::string_view)> fields[] = {
      {"tracking_number", kuaidi::clean_tracking_number},
      {"phone_tail", kuaidi::clean_phone_tail},
      {"carrier", kuaidi::carrier_code_from_name}};
  const char* page_names[] = {"kddh", "tel", "code"};
  for (std::size_t i = 0; i < 3; ++i)
    for (const auto& c : input.at(fields[i].first)) {
      if (!c.contains("raw")) continue;  // bytes that are not UTF-8 never come from a page's field
      const std::string raw = c.at("raw");
      calls.push_back(call("cleanInput", {page_names[i], raw}, text(kuaidi::to_json(fields[i].second(raw)))));
    }
  const json response = kuaidi::test::load_vectors("response.json");
  for (const auto& pair : response.at("masking")) {
    const std::string number = pair[0];
    calls.push_back(call("maskTrackingNumber", {number}, kuaidi::mask_tracking_number(number)));
  }
  calls.push_back(call("catalogue", json::array(), text(kuaidi::catalogue_json())));
  calls.push_back(call("carriers", json::array(), text(kuaidi::carriers_json())));
}

void sign_calls(json& calls) {
  const json signature = kuaidi::test::load_vectors("signature.json");
  for (const auto& example : signature.at("sign_examples")) {
    json params = json::object();
    for (const auto& pair : example.at("parameters")) params[pair[0].get<std::string>()] = pair[1];
    const kuaidi::request_params parsed = kuaidi::test::value_of(kuaidi::params_from_json(params));
    const std::string algorithm = example.at("algorithm");
    const std::string secret = example.at("secret");
    const auto chosen = kuaidi::parse_sign_algorithm(algorithm);
    REQUIRE(chosen);
    const std::string sign = kuaidi::compute_sign(parsed.all, secret, *chosen);
    calls.push_back(call("sign", {text(params), secret, algorithm}, sign));
  }
}

// What a person pasted, read and explained (paste.json).
void paste_calls(json& calls) {
  const json vectors = kuaidi::test::load_vectors("paste.json");
  for (const auto& c : vectors.at("cases")) {
    const std::string pasted = kuaidi::test::paste_of(c);
    const kuaidi::pasted_answer read = kuaidi::read_pasted_answer(pasted);
    json out = kuaidi::to_json(read);
    out["outcome"] = read.answer ? kuaidi::to_json(kuaidi::interpret(*read.answer)) : json(nullptr);
    calls.push_back(call("readPaste", {pasted}, text(out)));
  }
}

// One page Simulator per case, its steps in order: {"simulator": config, "steps": [calls…]}.
void simulator_calls(json& calls) {
  const json vectors = kuaidi::test::load_vectors("simulator.json");
  for (const auto& c : vectors.at("cases")) {
    const kuaidi::simulator_config config = kuaidi::test::value_of(kuaidi::config_from_json(c.at("config")));
    kuaidi::simulator_state state = kuaidi::initial_state(config);
    json steps = json::array();
    if (c.contains("fixtures")) {
      const std::string file = text(kuaidi::test::expand_json(c.at("fixtures")));
      auto set = kuaidi::test::value_of(kuaidi::fixture_set::parse(file));
      const std::size_t count = set.size();
      kuaidi::set_fixtures(state, std::make_shared<const kuaidi::fixture_set>(std::move(set)));
      steps.push_back(call("setFixtures", {file}, text(json{{"count", count}})));
    }
    for (const auto& step : c.at("steps")) {
      if (step.contains("update_account")) {
        const json& u = step.at("update_account");
        kuaidi::test::require_ok(state.book.update(u.at("appcode"), u.at("change")));
        steps.push_back(call("updateAccount", {u.at("appcode"), text(u.at("change"))},
                             text(*state.book.to_json(u.at("appcode")))));
        continue;
      }
      if (step.contains("clock")) {
        const std::int64_t now_ms =
            step.value("now_ms", vectors.at("defaults").at("now_ms").get<std::int64_t>());
        const auto changed = kuaidi::change_clock(step.at("clock"), config, state, now_ms);
        const json after =
            changed ? kuaidi::clock_json(config, state, now_ms) : json{{"error", changed.error()}};
        steps.push_back(call("changeClock", {text(step.at("clock")), now_ms}, text(after)));
        continue;
      }
      const json request = kuaidi::test::simulator_request_json(step, vectors.at("defaults"));
      const auto parsed = kuaidi::test::value_of(kuaidi::request_from_json(request));
      const auto answer = kuaidi::simulate(config, state, parsed);
      steps.push_back(call("answer", {text(request)}, text(kuaidi::to_json(answer))));
    }
    steps.push_back(call("accounts", json::array(), text(state.book.to_json())));
    calls.push_back({{"simulator", text(c.at("config"))}, {"steps", steps}});
  }
}

}  // namespace

TEST_CASE("the page module's calls for every vector input, with the native core's answers", "[.bindings]") {
  const char* path = std::getenv("KUAIDI_BINDING_CALLS");
  REQUIRE(path != nullptr);
  json calls = json::array();
  request_calls(calls);
  interpret_calls(calls);
  carrier_and_input_calls(calls);
  sign_calls(calls);
  simulator_calls(calls);
  paste_calls(calls);
  std::ofstream out(path, std::ios::binary);
  out << text(calls);
  REQUIRE(out.good());
}
