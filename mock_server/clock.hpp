#pragma once
// The mock's clock: the system's, or pinned by --now. All date arithmetic is the core's (time.hpp).

#include <cstdint>
#include <optional>

namespace kuaidi::mock {

std::int64_t system_now_ms();

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
