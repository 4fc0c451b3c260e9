#pragma once
// The carrier table's facts that detection reads besides the public lookups (not public API).

#include <cstddef>
#include <string_view>

#include "kuaidi/carriers.hpp"

namespace kuaidi {

// carrier_table.cpp checks that the table holds exactly this many carriers.
constexpr std::size_t carrier_count = 38;

// Position of a carrier of all_carriers() in the table.
std::size_t carrier_index(const carrier& c);

// Why an S10 item from this post's country is likely it, for the posts China receives much mail
// from; nullptr for any other country.
const localized_text* s10_issuer_reason(std::string_view country);

}  // namespace kuaidi
