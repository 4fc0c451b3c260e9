#pragma once
// The core's results as JSON, the one shape the page (through wasm), the mock's admin API and
// the test vectors share. Field names are snake_case and match the C++ members.

#include <nlohmann/json.hpp>

#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/input.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/request.hpp"

namespace kuaidi {

nlohmann::json to_json(const scenario& s);
nlohmann::json to_json(const carrier& c);
nlohmann::json to_json(const detection& d);
nlohmann::json to_json(const validation& v);
nlohmann::json to_json(const outcome& o);
nlohmann::json to_json(const cleaned_input& c);

nlohmann::json catalogue_json();  // every scenario, in catalogue order
nlohmann::json carriers_json();   // every carrier, in table order

// {"kddh":"…","code":"…",…} (absent keys stay absent; non-string values are refused) → params.
// Returns false and leaves `error` set when the object is not of that form.
bool params_from_json(const nlohmann::json& object, request_params& params, std::string& error);

// {"http_status":…, "headers_readable":…, "headers":{…} or [[n,v]…], "body":"…",
//  "transport_error":"…"} → answer. Returns false and sets `error` when it is not of that form.
bool answer_from_json(const nlohmann::json& object, http_answer& answer, std::string& error);

}  // namespace kuaidi
