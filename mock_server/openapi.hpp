#pragma once
// GET /openapi.json: an OpenAPI 3 description of GET /query generated from the catalogue (every
// answer, status and gateway header) and from the core's validator (the parameter limits), so
// Postman or Prism users can import it.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "kuaidi/catalogue.hpp"

namespace kuaidi::mock {

nlohmann::ordered_json openapi_document(gateway_generation generation, const std::string& server_url,
                                        std::int64_t example_anchor_seconds);

// The longest value the core accepts for kddh, code or tel (asked of validate(), not retyped).
std::size_t accepted_length(const std::string& parameter);

}  // namespace kuaidi::mock
