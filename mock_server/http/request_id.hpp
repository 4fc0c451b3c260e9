#pragma once
// X-Ca-Request-Id as the Aliyun gateway writes it: a random (v4) UUID in uppercase hex.

#include <string>

#include "kuaidi/simulator.hpp"

namespace kuaidi::mock {

std::string new_request_id();

// The shape check is the core's, beside its generator; named here for the mock's tests and the soak.
using kuaidi::is_request_id;

}  // namespace kuaidi::mock
