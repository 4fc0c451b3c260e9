#pragma once
// Request validation: from the raw query parameters to either a normalised request or the
// documented answer the real API would give, plus advisories the page shows before a paid call.
//
// Order of checks (the first that fails decides the answer):
//   own platform only (options.own_platform):
//     1 appid absent/empty     2 appid > 32 chars      3 sendtime absent/empty
//     4 sendtime > 13 chars    5 sign absent/empty     6 sign > 64 chars
//     7 source not allowed     8 appid disabled        9 sendtime off by > 5 minutes (or not a number)
//     10 sign does not verify (unknown appid too)      11 any value contains '*'
//   every mode:
//     12 kddh absent           13 kddh empty or blank  14 kddh > 20 chars
//     15 code > 20 chars       16 tel > 14 chars       17 kddh carries a phone ("SF…:8888")
//     18 tel not a phone tail (4 digits, or a mobile number whose last 4 are taken)
//     19 kddh, normalised, has characters no carrier uses or is shorter than 8 → number_format_invalid
// Lengths count characters (a Chinese character is one); bytes that are not UTF-8 make the value
// malformed: kddh → number_format_invalid, tel → tel_invalid, code → an unknown code.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/signature.hpp"

namespace kuaidi {

struct query_parameter {
  std::string name;
  std::string value;          // percent-decoded bytes, not yet checked for UTF-8
  bool bad_encoding = false;  // a '%' not followed by two hex digits
};

// Splits "a=b&c=d", decodes %XX and '+'. Never fails: bad escapes are kept literally and flagged.
std::vector<query_parameter> parse_query_string(std::string_view query);

struct request_params {
  std::optional<std::string> kddh;  // absent and empty are different answers
  std::optional<std::string> code;
  std::optional<std::string> tel;
  std::optional<std::string> appid;
  std::optional<std::string> sendtime;
  std::optional<std::string> sign;
  std::vector<std::string> badly_encoded;  // names whose value had invalid percent-encoding
  signed_parameters all;                   // every parameter as sent, for the signature
};

// The first occurrence of each known name wins, as most servers do.
request_params params_from_query(const std::vector<query_parameter>& parameters);
request_params params_from_query_string(std::string_view query);

struct own_platform_app {
  std::string appid;
  std::string secret;
  bool disabled = false;
};

struct validation_options {
  bool own_platform = false;  // check appid / sendtime / sign as the vendor's own platform does
  std::int64_t now_ms = 0;    // the server's clock, for the ±5-minute sendtime window
  std::vector<own_platform_app> apps;
  sign_algorithm algorithm = sign_algorithm::md5;
  bool source_allowed = true;  // the caller's allow-list decision (IP, origin)
};

// The request after normalisation: what a backend would look up.
struct tracking_request {
  std::string tracking_number;  // normalised (trimmed, uppercase, no spaces or '-')
  std::string carrier_code;     // lowercase; empty when not given
  std::string phone_tail;       // exactly 4 digits, or empty
};

enum class advisory_kind {
  masked_number,         // contains '*': copied from a response, the API treats it as debug data
  phone_tail_needed,     // the carrier answers only with a phone tail and none was given
  code_number_mismatch,  // the code names a carrier whose formats the number does not fit
  unknown_code,          // the code is not in the carrier table
  check_digit_failed,    // the format fits but the check digit is wrong
  no_carrier_matched,    // no carrier issues numbers like this one
  phone_tail_taken,      // a full phone number was given; only its last 4 digits are used
};

std::string_view to_string(advisory_kind kind);

// The request parameter an advisory is about (the page shows it under that field).
request_parameter parameter_of(advisory_kind kind);

struct owned_text {
  std::string zh;
  std::string en;
};

struct advisory {
  advisory_kind kind;
  owned_text text;
};

struct validation {
  const scenario* answer = nullptr;  // the documented answer instead of a trace; null when none
  std::string answer_msg;            // answer's msg as sent (templates filled)
  tracking_request request;
  detection carriers;  // detection of the normalised number (empty when not reached)
  std::vector<advisory> advisories;
  bool passed() const { return answer == nullptr; }
};

validation validate(const request_params& params, const validation_options& options = {});

// Number of Unicode characters in valid UTF-8; nullopt when the bytes are not UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace kuaidi
