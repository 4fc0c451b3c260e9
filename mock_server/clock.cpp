#include "clock.hpp"

namespace kuaidi::mock {

std::int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

mock_clock::mock_clock(std::optional<std::int64_t> pinned_seconds, bool running)
    : anchor_seconds_(pinned_seconds ? *pinned_seconds : system_now_ms() / 1000), running_(running) {
  if (pinned_seconds) pinned_ms_ = *pinned_seconds * 1000;
}

std::int64_t mock_clock::now_ms() const {
  using namespace std::chrono;
  if (!pinned_ms_) return system_now_ms();
  if (!running_) return *pinned_ms_;
  return *pinned_ms_ + duration_cast<milliseconds>(steady_clock::now() - started_).count();
}

}  // namespace kuaidi::mock
