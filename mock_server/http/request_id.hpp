#pragma once
// X-Ca-Request-Id as the Aliyun gateway writes it: a random (v4) UUID in uppercase hex.

#include <cstddef>
#include <string>
#include <string_view>

namespace kuaidi::mock {

std::string new_request_id();

// Inline so black-box tests and the soak driver check the shape without linking the mock.
inline bool is_request_id(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return id[14] == '4' && (id[19] == '8' || id[19] == '9' || id[19] == 'A' || id[19] == 'B');
}

}  // namespace kuaidi::mock
