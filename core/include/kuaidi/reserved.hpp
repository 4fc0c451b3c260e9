#pragma once
// Reserved tracking numbers, one per catalogue entry, and how each entry is reached naturally.
// This table is the README's scenario table (kuaidi-mock --list-scenarios=markdown|json) and
// what GET /__admin/scenarios serves; the simulator forces the entry of a reserved number.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kuaidi/catalogue.hpp"

namespace kuaidi {

struct reserved_number {
  std::string_view scenario_id;
  std::string_view tracking_number;  // <= 20 letters/digits: passes validation, then is answered
  std::string_view natural_trigger;  // how a request reaches the answer in the mock on its own
};

struct reserved_range {
  const reserved_number* first;
  const reserved_number* last;
  const reserved_number* begin() const { return first; }
  const reserved_number* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};

reserved_range all_reserved_numbers();

// The scenario a normalised tracking number is reserved for; nullptr when none.
const scenario* find_reserved(std::string_view normalised_number);

// nullptr when the catalogue entry has no reserved number (a defect the tests catch).
const reserved_number* reserved_for(std::string_view scenario_id);

// The answer as the mock sends it in that gateway generation: "666 {"ok":0,"msg":"…"}",
// "403 X-Ca-Error-Message: Quota Exhausted", "403 X-Ca-Error-Code: B403MQ".
std::string describe_answer(const scenario& s, gateway_generation generation);

// Every catalogue entry in json.hpp's shape of a scenario, with its reserved number, natural
// trigger, the header and query that force it, and its answer in `generation`.
nlohmann::json scenarios_json(gateway_generation generation);
std::string scenarios_markdown();

}  // namespace kuaidi
