#pragma once
// The mock's clock: the system's, or pinned by --now. All date arithmetic is the core's (time.hpp).

#include <chrono>
#include <cstdint>
#include <optional>

namespace kuaidi::mock {

std::int64_t system_now_ms();

class mock_clock {
 public:
  // `running` (a --clock-rate above 0): a pinned clock starts at --now and goes on from there, so
  // that the simulated clock has time to run on.
  explicit mock_clock(std::optional<std::int64_t> pinned_seconds = std::nullopt, bool running = false);
  std::int64_t now_ms() const;
  bool pinned() const { return pinned_ms_.has_value(); }
  // Where the simulated clock starts and synthetic parcels' lives are laid out: fixed for the
  // server's life so a number always gets the same answer at the same simulated time.
  std::int64_t trace_anchor_seconds() const { return anchor_seconds_; }

 private:
  std::optional<std::int64_t> pinned_ms_;
  std::int64_t anchor_seconds_;
  bool running_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace kuaidi::mock
