#pragma once
// Interpretation of any answer (HTTP status, headers when readable, body text) into plain words:
// what happened, whether it was billed, why, what to do, and the events newest first.
// It copes with what a browser sees: a gateway error without readable headers, an empty, non-JSON,
// truncated, wrongly typed or huge body, or no HTTP answer at all.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/catalogue.hpp"
#include "kuaidi/request.hpp"

namespace kuaidi {

struct http_header {
  std::string name;
  std::string value;
};

struct http_answer {
  int http_status = 0;           // 0: no HTTP answer (network failure, CORS, DNS, timeout)
  bool headers_readable = true;  // false when the browser hides them (no Expose-Headers)
  std::vector<http_header> headers;
  std::string body;
  std::string transport_error;  // what the client said when there was no answer
  bool simulated = false;       // answered by the demo: nothing was billed, whatever the status
};

enum class state {
  delivered,
  out_for_delivery,
  in_transit,
  picked_up,
  returned,
  problem,
  no_record,           // ok:1, nothing yet (or the carrier needs a phone tail)
  bad_number,          // ok:1, the vendor says the number is wrong / void / badly formed
  carrier_unmatched,   // ok:1, the code or number matched no carrier
  bad_parameter,       // ok:0, HTTP 666: a parameter is missing or malformed
  own_platform_error,  // ok:0: appid / sendtime / sign / source of the vendor's own platform
  quota_used_up,       // 403 Quota Exhausted / Expired, owner in arrears
  appcode_invalid,     // AppCode missing or unknown
  not_authorised,      // the AppCode's app is not authorised for this API
  throttled,
  forbidden,      // 403 without readable headers: quota used up, not authorised or throttled
  gateway_fault,  // 5xx, or a gateway error that is not the caller's
  bad_request,    // the gateway refused the request's form (path, URL too long)
  not_reachable,  // no HTTP answer
  unreadable,     // an answer this tool cannot make sense of
};

std::string_view to_string(state s);
localized_text state_label(state s);

enum class billing { billed, not_billed, unknown };

std::string_view to_string(billing b);

struct event {
  std::string time;  // as sent
  std::string content;
  bool time_valid = false;
  std::int64_t sort_key = 0;   // seconds since 1970-01-01 of the wall-clock time as written
  std::optional<state> stage;  // what the text says (签收, 派送, 揽收, 退回, 问题件 …)
};

struct outcome {
  state what = state::unreadable;
  billing billed = billing::unknown;
  const scenario* matched = nullptr;      // the catalogue entry recognised
  std::vector<const scenario*> possible;  // several candidates when the answer is ambiguous
  int http_status = 0;
  std::optional<int> ok;
  std::string msg;
  std::optional<std::int64_t> raw_status;  // the vendor's `status`, kept as sent
  std::optional<state> status_state;       // what `status` means under the kdniao scheme
  std::string carrier_name;
  std::string tracking_number;
  std::vector<event> events;  // newest first
  owned_text explanation;
  owned_text action;
  std::vector<owned_text> notes;  // oddities found: wrong types, truncation, disagreement
  std::string request_id;         // X-Ca-Request-Id when readable
  std::string error_code;         // X-Ca-Error-Code when readable
  std::string error_message;      // X-Ca-Error-Message when readable
};

// Bodies above this size are not parsed (the real API's answers are a few KB).
constexpr std::size_t max_interpreted_body = 4 * 1024 * 1024;

// A simulated answer's explanation says what the real API would bill, not that this call was.
outcome interpret(const http_answer& answer);

// The wording a billed explanation ends with (catalogue and trace alike), recognised so that a
// simulated answer can say it conditionally; empty when the text ends otherwise.
std::string_view billed_ending(std::string_view explanation, bool zh);

// The stage a free-text event describes, from its keywords; nullopt when it says nothing known.
std::optional<state> stage_from_text(std::string_view content);

// The kdniao-style meaning of the vendor's `status`; nullopt for values outside 0–6.
std::optional<state> state_from_status(std::int64_t status);

// "YYYY-MM-DD HH:MM:SS" (also "YYYY-MM-DD HH:MM", "YYYY/MM/DD …") → seconds; nullopt if invalid.
std::optional<std::int64_t> parse_event_time(std::string_view time);

}  // namespace kuaidi
