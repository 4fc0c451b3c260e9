#pragma once
// The signature of the vendor's own platform (appid + sendtime + sign instead of an AppCode).
// The vendor does not publish its algorithm; this is kuaidi-kit's documented default, selectable:
//
//   string_to_sign = every parameter except `sign` with a non-empty value, sorted by name (bytes),
//                    joined as name=value with '&' (values as sent, not percent-encoded),
//                    then "&key=" + secret appended             (md5, sha256)
//                    or nothing appended, the secret is the key  (hmac_sha256)
//   sign           = lowercase hex digest of string_to_sign; compared case-insensitively.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kuaidi {

enum class sign_algorithm { md5, sha256, hmac_sha256 };

std::string_view to_string(sign_algorithm algorithm);
std::optional<sign_algorithm> parse_sign_algorithm(std::string_view name);

using signed_parameters = std::vector<std::pair<std::string, std::string>>;

std::string string_to_sign(const signed_parameters& parameters, std::string_view secret,
                           sign_algorithm algorithm);
std::string compute_sign(const signed_parameters& parameters, std::string_view secret,
                         sign_algorithm algorithm);
bool verify_sign(const signed_parameters& parameters, std::string_view secret, sign_algorithm algorithm,
                 std::string_view sign);

std::string md5_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace kuaidi
