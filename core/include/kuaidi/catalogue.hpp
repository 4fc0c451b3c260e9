#pragma once
// The catalogue of every documented answer of the express-tracking API: the vendor's messages
// (Aliyun market and own platform), the success answer and the Aliyun gateway's errors.
// It is the single place where a documented message is written; everything else reads it.

#include <cstddef>
#include <string>
#include <string_view>

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

struct localized_text {
  std::string_view zh;
  std::string_view en;
};

// The gateway's error as sent: status, X-Ca-Error-Code (VPC only) and X-Ca-Error-Message.
struct gateway_error {
  int http_status = 0;
  std::string_view code;     // empty for the classic gateway
  std::string_view message;  // X-Ca-Error-Message
};

enum class gateway_generation { classic, vpc };

struct scenario {
  std::string_view id;  // stable, snake_case: "kddh_too_long"
  answer_source source;
  category kind;
  int ok;           // the body's "ok": 1 or 0; -1 when the answer has no JSON body (gateway)
  int http_status;  // vendor answers: 200 or 666; gateway answers: the classic status
  std::string_view msg;  // exact vendor text; empty for gateway answers
  bool billed;           // the market bills 2xx only
  gateway_error classic;  // gateway answers only
  gateway_error vpc;      // gateway answers only
  localized_text title;        // a few words naming the case
  localized_text explanation;  // what happened, in plain words
  localized_text action;       // what to do
  std::string_view trigger;    // how the real service reaches it (English, for docs and the mock)
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

// nullptr when no entry has that id.
const scenario* find_scenario(std::string_view id);

// The vendor answer whose msg matches `msg` exactly (templated messages such as
// "appid:XXXXXXXX接口已停用" match any appid); nullptr when none does.
const scenario* find_scenario_by_msg(std::string_view msg);

// The gateway answer for a status and error header; `code` (VPC) wins over `message` (classic).
const scenario* find_gateway_scenario(int http_status, std::string_view code,
                                      std::string_view message);

// The gateway error as the given generation sends it.
const gateway_error& gateway_error_for(const scenario& s, gateway_generation generation);

// The msg the vendor sends, with templates filled ("appid:XXXXXXXX接口已停用" names the appid).
std::string render_msg(const scenario& s, std::string_view appid = {});

std::string_view to_string(answer_source source);
std::string_view to_string(category kind);
std::string_view to_string(gateway_generation generation);

}  // namespace kuaidi
