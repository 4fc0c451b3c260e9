#pragma once
// The core's simulator behind kuaidi-mock: the core decides every answer; this keeps the
// simulator's state under one lock, because the event loops answer requests concurrently.

#include <mutex>
#include <utility>

#include "kuaidi/simulator.hpp"

namespace kuaidi::mock {

class simulation_host {
 public:
  explicit simulation_host(simulator_config config);

  // The arrival time is the caller's; the request's randomness is drawn here.
  simulation answer(gateway_request request);

  // Runs f(state) under the lock, for the admin API and the fixture reloads.
  template <typename F>
  auto with_state(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::forward<F>(f)(state_);
  }

  const simulator_config& config() const { return config_; }

 private:
  const simulator_config config_;
  std::mutex mutex_;
  simulator_state state_;
};

// 64 random bits from a per-thread generator, for request ids the simulator does not make.
std::uint64_t request_entropy();

}  // namespace kuaidi::mock
