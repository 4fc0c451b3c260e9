#include "simulation.hpp"

#include <functional>
#include <random>
#include <thread>

#include "clock.hpp"

namespace kuaidi::mock {

std::uint64_t request_entropy() {
  thread_local std::mt19937_64 random{std::random_device{}() ^
                                      std::hash<std::thread::id>{}(std::this_thread::get_id())};
  return random();
}

simulation_host::simulation_host(simulator_config config, referee_thresholds thresholds)
    : config_(std::move(config)), state_(initial_state(config_)), referee_(thresholds) {}

answered_request simulation_host::answer(gateway_request request) {
  request.entropy = request_entropy();
  answered_request out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    out.answered = simulate(config_, state_, request);
  }
  out.observed = observe_request(request, out.answered);
  if (out.observed) {
    out.observed->time_ms = system_now_ms();
    std::lock_guard<std::mutex> lock(referee_mutex_);
    referee_.observe(*out.observed);
  }
  return out;
}

}  // namespace kuaidi::mock
