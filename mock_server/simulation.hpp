#pragma once
// The core's simulator behind kuaidi-mock: the core decides every answer; this keeps the
// simulator's state under one lock, because the event loops answer requests concurrently, and
// the referee that watches the answers under its own.

#include <mutex>
#include <optional>
#include <utility>

#include "kuaidi/referee.hpp"
#include "kuaidi/simulator.hpp"

namespace kuaidi::mock {

struct answered_request {
  simulation answered;
  std::optional<referee_observation> observed;  // what the referee saw; nullopt: no call to the service
};

class simulation_host {
 public:
  explicit simulation_host(simulator_config config, referee_thresholds thresholds = {});

  // The arrival time is the caller's; the request's randomness is drawn here. The referee judges
  // the answer by the real time, whatever the simulated clock says: a client backs off in real time.
  answered_request answer(gateway_request request);

  // Runs f(state) under the lock, for the admin API and the fixture reloads.
  template <typename F>
  auto with_state(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::forward<F>(f)(state_);
  }

  template <typename F>
  auto with_referee(F&& f) {
    std::lock_guard<std::mutex> lock(referee_mutex_);
    return std::forward<F>(f)(referee_);
  }

  const simulator_config& config() const { return config_; }

 private:
  const simulator_config config_;
  std::mutex mutex_;
  simulator_state state_;
  std::mutex referee_mutex_;
  referee referee_;
};

// 64 random bits from a per-thread generator, for request ids the simulator does not make.
std::uint64_t request_entropy();

}  // namespace kuaidi::mock
