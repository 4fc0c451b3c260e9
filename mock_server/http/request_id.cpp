#include "request_id.hpp"

#include "kuaidi/simulator.hpp"
#include "simulation.hpp"

namespace kuaidi::mock {

std::string new_request_id() { return request_id_from(request_entropy()); }

}  // namespace kuaidi::mock
