#pragma once
// Deterministic synthetic traces: the same number and carrier always get the same route between
// real Chinese cities, the same couriers (phones masked) and the same times, ending at or before
// the clock's anchor. The vendor's `status` follows the newest event (kdniao's scheme).

#include <cstdint>
#include <string_view>

#include "kuaidi/carriers.hpp"
#include "kuaidi/response.hpp"

namespace kuaidi {

trace synthesize_trace(std::string_view tracking_number, const carrier& by,
                       std::int64_t anchor_seconds);

// Numbers the mock answers number_void for: every digit the same, e.g. JT0000000000000.
bool looks_void(std::string_view tracking_number);

}  // namespace kuaidi
