#pragma once
// The catalogue of every documented answer of the express-tracking API: the vendor's messages
// (Aliyun market and own platform), the success answer and the Aliyun gateway's errors.
// It is the single place where a documented message is written; everything else reads it.
// The gateway half follows ../shared/reference/gateway.md (Aliyun's classic and VPC tables): every
// row a caller of a GET + AppCode market API can meet. Signature-mode rows (Invalid AppKey,
// Invalid AppSecret, Timestamp Expired, Invalid Timestamp, Nonce Used, Invalid Content-MD5,
// Invalid Signature, Empty Signature) and request-body rows (Empty/Invalid Request Body,
// Unsupported Multipart) are left out on purpose: an AppCode GET never meets them.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuaidi {

// Where an answer comes from: the vendor's backend (JSON body) or the gateway in front (no body).
enum class answer_source { vendor, own_platform, gateway };

// Broad groups the page, the mock and interpretation share.
enum class category {
  success,            // a trace (or an empty one) was returned
  no_record,          // ok:1 but nothing to show yet
  bad_number,         // ok:1, the number is wrong for the carrier / the vendor
  carrier_unmatched,  // ok:1, the code or number matches no carrier
  bad_parameter,      // ok:0, a request parameter is missing or malformed
  own_platform,       // ok:0, the vendor's own-platform checks (appid, sendtime, sign, source)
  quota,              // the package is used up, expired or the owner is in arrears
  auth,               // AppCode missing, unknown, or not authorised for this API
  throttled,          // flow control
  gateway_fault,      // the gateway or the backend failed
  bad_request,        // the gateway rejected the request itself (path, URL length)
};

// What an entry concerns, so the page can point at the field (or the header) to fix.
enum class request_parameter { none, kddh, code, tel, appid, sendtime, sign, authorization };

// How sure an answer is (gateway.md's marks). "doc": the vendor's own page (vendor answers);
// "list": one third-party compiled list, shown as unverified.
enum class certainty { doc, official, capture, clients, list, ours };

// Every entry, in catalogue order (catalogue.cpp checks the order at compile time).
// clang-format off
enum class scenario_id {
  kddh_empty, kddh_missing, kddh_too_long, code_too_long, tel_too_long, tel_invalid, phone_in_kddh,
  number_wrong, number_format_invalid, no_record, carrier_unmatched, number_void, success,
  appid_missing, appid_too_long, sendtime_missing, sendtime_too_long, sendtime_expired,
  sign_missing, sign_too_long, sign_invalid, debug_data, source_forbidden, appid_disabled,
  appcode_invalid, auth_missing, quota_exhausted, quota_expired, unauthorized, auth_expired,
  user_arrears, subscription_invalid, provider_overdue, throttled, throttled_user, throttled_api,
  throttled_domain, throttled_group, api_not_found, api_offline, invalid_stage, invalid_domain,
  method_unsupported, param_location, url_too_long, body_too_large, group_invalid,
  gateway_internal, api_definition_expired, api_meta_invalid, backend_unreachable,
  backend_bad_answer, backend_timeout, service_busy, backend_busy,
};
// clang-format on

// The number of entries (one past the last enumerator).
constexpr std::size_t scenario_count = static_cast<std::size_t>(scenario_id::backend_busy) + 1;

struct localized_text {
  std::string_view zh;
  std::string_view en;
};

// The gateway's error as sent: status, X-Ca-Error-Code (VPC only) and X-Ca-Error-Message.
struct gateway_error {
  int http_status = 0;
  std::string_view code;                   // empty for the classic gateway
  std::string_view message;                // X-Ca-Error-Message
  certainty confidence = certainty::ours;  // how sure this generation's answer is
};

enum class gateway_generation { classic, vpc };

struct scenario {
  scenario_id key;      // the same entry, checked by the compiler
  std::string_view id;  // stable, snake_case: "kddh_too_long"; to_string(key)
  answer_source source;
  category kind;
  int ok;                      // the body's "ok": 1 or 0; -1 when the answer has no JSON body (gateway)
  int http_status;             // vendor answers: 200 or 666; gateway answers: the classic status
  std::string_view msg;        // exact vendor text; empty for gateway answers
  bool billed;                 // the market bills 2xx only
  gateway_error classic;       // gateway answers only
  gateway_error vpc;           // gateway answers only
  localized_text title;        // a few words naming the case
  localized_text explanation;  // what happened, in plain words
  localized_text action;       // what to do
  std::string_view trigger;    // how the real service reaches it (English, for docs and the mock)
  request_parameter parameter = request_parameter::none;  // what the caller has to fix, if one
};

// A view over the catalogue, usable in range-for; the entries live for the whole program.
struct scenario_range {
  const scenario* first;
  const scenario* last;
  const scenario* begin() const { return first; }
  const scenario* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};

scenario_range all_scenarios();

// The entry for a fixed id, in constant time.
const scenario& entry(scenario_id id);

// nullptr when no entry has that id (runtime input: a header, a query, a file).
const scenario* find_scenario(std::string_view id);

// The vendor answer whose msg matches `msg` exactly (templated messages such as
// "appid:XXXXXXXX接口已停用" match any appid); nullptr when none does.
const scenario* find_scenario_by_msg(std::string_view msg);

// The gateway answer for a status and error header; `code` (VPC) wins over `message` (classic).
// Exact case first (as the gateway sends it), then ignoring case; every listed code, including
// the ones an entry shares (A400AC, B403MO, T429…, X504TO, D504RE/IL/CS, N502RE, D503CB).
const scenario* find_gateway_scenario(int http_status, std::string_view code, std::string_view message);

// The gateway error as the given generation sends it.
const gateway_error& gateway_error_for(const scenario& s, gateway_generation generation);

// The msg the vendor sends, with templates filled ("appid:XXXXXXXX接口已停用" names the appid).
std::string render_msg(const scenario& s, std::string_view appid = {});

// How sure the answer is in that generation: "doc" for vendor answers.
certainty confidence_of(const scenario& s, gateway_generation generation);

// The gateway statuses a caller may see, and which entries each can mean (in catalogue order,
// either generation): what a page that cannot read X-Ca-* headers has to go on.
struct status_range {
  const scenario* const* first;
  const scenario* const* last;
  const scenario* const* begin() const { return first; }
  const scenario* const* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};
status_range gateway_scenarios_with_status(int http_status);
// Those statuses, each once, in catalogue order.
const std::vector<int>& gateway_statuses();

std::string_view to_string(scenario_id id);
std::string_view to_string(request_parameter parameter);
std::string_view to_string(certainty confidence);
// "official", …, "list (unverified)": the words the README and the page show.
std::string_view describe(certainty confidence);
std::string_view to_string(answer_source source);
std::string_view to_string(category kind);
std::string_view to_string(gateway_generation generation);
// "classic" or "vpc"; nullopt for any other name.
std::optional<gateway_generation> parse_gateway_generation(std::string_view name);

}  // namespace kuaidi
