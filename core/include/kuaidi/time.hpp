#pragma once
// Time as the API and the gateway write it: China time (UTC+8, no daylight saving) in trace events,
// IMF-fixdate in the gateway's Date header, and the instants and spans a person types (--now,
// fixtures, the simulated clock's advances).
// Pure arithmetic on epoch seconds: the clock itself is the caller's.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kuaidi {

constexpr std::int64_t china_offset_seconds = 8 * 3600;

// Days since 1970-01-01 of a proleptic Gregorian date; nullopt for a month or a day that is not on
// the calendar (2023-02-29, 2024-04-31, month 13).
std::optional<std::int64_t> days_from_civil(std::int64_t year, int month, int day);

// Epoch seconds from "1700000000" (epoch seconds), "2024-05-01T08:00:00Z",
// "2024-05-01T16:00:00+08:00" or "2024-05-01 16:00:00" (no zone: China time, as the API writes).
std::optional<std::int64_t> parse_instant(std::string_view text);

// Milliseconds from a span people type: a whole number (at most 9 digits) and a unit, "500ms",
// "30s", "15m", "6h" or "2d".
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

// The same span in whole seconds ("500ms" is none).
std::optional<std::int64_t> parse_duration(std::string_view text);

// "YYYY-MM-DD HH:MM:SS" in China time.
std::string china_time(std::int64_t epoch_seconds);

// "YYYY-MM-DDTHH:MM:SS+08:00": China time that parse_instant reads back.
std::string china_iso_time(std::int64_t epoch_seconds);

// "Sun, 06 Dec 2026 04:00:00 GMT" (RFC 9110 §5.6.7), as every HTTP/1.1 server with a clock sends.
std::string http_date(std::int64_t epoch_seconds);

}  // namespace kuaidi
