#include "request_id.hpp"

#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace kuaidi::mock {

std::string new_request_id() {
  thread_local std::mt19937_64 random{std::random_device{}() ^
                                      std::hash<std::thread::id>{}(std::this_thread::get_id())};
  const std::uint64_t high = (random() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t low = (random() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string id(36, '-');
  std::size_t at = 0;
  for (int nibble = 15; nibble >= 0; --nibble, ++at) {
    if (at == 8 || at == 13) ++at;
    id[at] = hex[(high >> (nibble * 4)) & 0xF];
  }
  for (int nibble = 15; nibble >= 0; --nibble, ++at) {
    if (at == 18 || at == 23) ++at;
    id[at] = hex[(low >> (nibble * 4)) & 0xF];
  }
  return id;
}

}  // namespace kuaidi::mock
