#pragma once
// Deterministic synthetic parcels: the same number and carrier always get the same route between
// real Chinese cities, the same couriers (phones masked) and the same life laid out around the
// simulated clock's anchor: picked up at or before the anchor, in transit event by event, out for
// delivery, then delivered — or, for a stable sixteenth of numbers, a problem that stays a problem.
// Pickups are spread over the days before the anchor so that about half of all numbers are still
// on their way when the clock starts, and every journey ends within six days of it. The vendor's
// `status` follows the newest event (kdniao's scheme).

#include <cstdint>
#include <string_view>

#include "kuaidi/carriers.hpp"
#include "kuaidi/response.hpp"

namespace kuaidi {

// The parcel as the vendor shows it when the simulated clock reads `clock_seconds`: the events
// whose time has come, newest first. No events (status 0) when the clock is before the pickup.
trace synthesize_trace(std::string_view tracking_number, const carrier& by, std::int64_t anchor_seconds,
                       std::int64_t clock_seconds);

// Numbers the mock answers number_void for: every digit the same, e.g. JT0000000000000.
bool looks_void(std::string_view tracking_number);

}  // namespace kuaidi
