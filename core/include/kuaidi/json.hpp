#pragma once
// The core's results as JSON, the one shape the page (through wasm), the mock's admin API and
// the test vectors share. Field names are snake_case and match the C++ members, except:
// a scenario's "category" is the member `kind` (a member cannot share its type's name), its
// "confidence" (vendor answers: "doc"; null for gateway answers, whose "classic" and "vpc" each
// carry one) is confidence_of(), and its key (scenario_id) is not emitted: "id" names it.

#include <nlohmann/json.hpp>

#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/input.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/paste.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/result.hpp"
#include "kuaidi/simulator.hpp"

namespace kuaidi {

nlohmann::json to_json(const scenario& s);
nlohmann::json to_json(const carrier& c);
nlohmann::json to_json(const detection& d);
nlohmann::json to_json(const validation& v);
nlohmann::json to_json(const outcome& o);
nlohmann::json to_json(const cleaned_input& c);
// The answer in the shape answer_from_json reads (headers as [[name, value]…]).
nlohmann::json to_json(const http_answer& a);
// {"read", "form" (null when not read), "answer" (null when not read), "request_target",
//  "answers_skipped", "notes":[{zh,en}], "error":{zh,en} (null when read)}
nlohmann::json to_json(const pasted_answer& p);

nlohmann::json catalogue_json();  // every scenario, in catalogue order
nlohmann::json carriers_json();   // every carrier, in table order

// {"kddh":"…","code":"…",…} (absent keys stay absent; non-string values are refused) → params, or
// what is wrong with the object.
result<request_params> params_from_json(const nlohmann::json& object);

// {"http_status":…, "headers_readable":…, "headers":{…} or [[n,v]…], "body":"…",
//  "transport_error":"…"} → answer, or what is wrong with the object.
result<http_answer> answer_from_json(const nlohmann::json& object);

// The simulator's inputs and outputs (simulator_json.cpp). Every field is optional on input and
// named as the C++ member; an unknown field or a wrong type is refused with an error naming it.
//   config: {"gateway":"classic|vpc", "mode":"market|own",
//            "appcodes":[{"appcode":"demo","quota":100|null,"state":"active"}] or ["demo:100:active"],
//            "rate_limit", "apps":[{"appid","secret","disabled"}], "algorithm", "allowed_sources":[…],
//            "latency":"MS|MIN-MAX", "fault_rate", "faults":"reset,…", "seed", "backend_timeout_ms",
//            "max_url_length", "appcode_in_query", "expose_headers", "trace_anchor_seconds", "clock_rate"}
//   request: {"method", "target", "headers":[["Name","value"],…] or {"Name":"value"}, "remote_addr",
//             "now_ms", "entropy"}
result<simulator_config> config_from_json(const nlohmann::json& object);
result<gateway_request> request_from_json(const nlohmann::json& object);
// {"answer":{"status","headers":[[n,v]…],"body"}, "record":{"route","answered","billed","injected",
//  "latency_ms","appcode","request_id"}}
nlohmann::json to_json(const simulation& s);

// The simulated clock when the request clock reads now_ms:
// {"now": "2022-10-28T09:00:00+08:00", "now_ms", "rate", "anchor": "…+08:00"}.
nlohmann::json clock_json(const simulator_config& config, const simulator_state& state, std::int64_t now_ms);
// {"advance": "6h"} (s, m, h, d) or {"set": "2022-10-28T09:00:00+08:00"} (or epoch seconds) applied to the
// simulated clock; anything else is refused with an error saying what is accepted.
result<> change_clock(const nlohmann::json& change, const simulator_config& config, simulator_state& state,
                      std::int64_t now_ms);

}  // namespace kuaidi
