#pragma once
// Time as the API writes it (China time, UTC+8) and the mock's clock, which `--now` can pin.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kuaidi::mock {

// Epoch seconds from "1700000000" (epoch seconds), "2024-05-01T08:00:00Z",
// "2024-05-01T16:00:00+08:00" or "2024-05-01 16:00:00" (no zone: China time, as the API writes).
std::optional<std::int64_t> parse_instant(std::string_view text);

// "YYYY-MM-DD HH:MM:SS" in China time (UTC+8, no daylight saving).
std::string china_time(std::int64_t epoch_seconds);

std::int64_t system_now_ms();

// The clock every answer reads: pinned by --now, else the real one.
class mock_clock {
 public:
  explicit mock_clock(std::optional<std::int64_t> pinned_seconds = std::nullopt);
  std::int64_t now_ms() const;
  bool pinned() const { return pinned_ms_.has_value(); }
  // The instant synthetic traces end at: fixed for the server's life so a number always gets
  // the same answer.
  std::int64_t trace_anchor_seconds() const { return anchor_seconds_; }

 private:
  std::optional<std::int64_t> pinned_ms_;
  std::int64_t anchor_seconds_;
};

}  // namespace kuaidi::mock
