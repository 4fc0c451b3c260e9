#include "clock.hpp"

#include <chrono>

namespace kuaidi::mock {

std::int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

mock_clock::mock_clock(std::optional<std::int64_t> pinned_seconds)
    : anchor_seconds_(pinned_seconds ? *pinned_seconds : system_now_ms() / 1000) {
  if (pinned_seconds) pinned_ms_ = *pinned_seconds * 1000;
}

std::int64_t mock_clock::now_ms() const { return pinned_ms_ ? *pinned_ms_ : system_now_ms(); }

}  // namespace kuaidi::mock
