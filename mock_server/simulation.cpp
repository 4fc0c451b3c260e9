#include "simulation.hpp"

#include <functional>
#include <random>
#include <thread>

namespace kuaidi::mock {

std::uint64_t request_entropy() {
  thread_local std::mt19937_64 random{std::random_device{}() ^
                                      std::hash<std::thread::id>{}(std::this_thread::get_id())};
  return random();
}

simulation_host::simulation_host(simulator_config config)
    : config_(std::move(config)), state_(initial_state(config_)) {}

simulation simulation_host::answer(gateway_request request) {
  request.entropy = request_entropy();
  std::lock_guard<std::mutex> lock(mutex_);
  return simulate(config_, state_, request);
}

}  // namespace kuaidi::mock
