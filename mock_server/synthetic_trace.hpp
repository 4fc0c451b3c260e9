#pragma once
// Deterministic synthetic traces: the same number and carrier always get the same route between
// real Chinese cities, the same couriers (phones masked) and the same times, ending at or before
// the clock's anchor. The vendor's `status` follows the newest event (kdniao's scheme).

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kuaidi/carriers.hpp"
#include "kuaidi/response.hpp"

namespace kuaidi::mock {

trace synthesize_trace(std::string_view tracking_number, const carrier& by,
                       std::int64_t anchor_seconds);

// Numbers the mock answers number_void for: every digit the same, e.g. JT0000000000000.
bool looks_void(std::string_view tracking_number);

// Built bodies by number and carrier; bounded, so hostile traffic cannot grow it without limit.
class trace_cache {
 public:
  explicit trace_cache(std::int64_t anchor_seconds, std::size_t capacity = 8192);
  std::shared_ptr<const std::string> body(const std::string& tracking_number, const carrier& by);

 private:
  const std::int64_t anchor_seconds_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies_;
};

}  // namespace kuaidi::mock
