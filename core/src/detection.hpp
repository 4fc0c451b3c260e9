#pragma once
// Detection for a caller that already holds the normalised number (not part of the public API).

#include <string>

#include "kuaidi/carriers.hpp"

namespace kuaidi {

// detect_carrier(n) for n == normalise_tracking_number(n), without normalising it again.
detection detect_normalised_carrier(std::string normalised);

}  // namespace kuaidi
