#pragma once
// What a person pastes to have an answer explained, read into the answer interpret() explains.
// Accepted forms, tried in this order:
//  1. JSON: a browser's HAR file (log.entries: the last entry whose URL path ends in /query, else
//     the last), a list of HAR entries, one entry ({request, response}), a response object
//     {status, headers, body} (status also as statusCode / status_code / http_status; the body also
//     as data, text or HAR's content.text; headers as {name: value}, [[name, value]] or
//     [{name, value}]; also wrapped as {"response": …}), or the vendor's body alone ({"ok", "msg",
//     …}: the status is then the documented one, 200 for ok:1 and 666 otherwise, and a note says so).
//  2. HTTP: a status line ("HTTP/1.1 666", "HTTP/2 403 "), header lines, a blank line, the body, as
//     curl -i or a raw answer prints it; curl -v's "< " lines too. Text before the first status line
//     (the command, curl -v's "*" and "> " lines) is passed over; of several answers in a row
//     (100 Continue, redirects followed with -L) the last is read.
//  3. A log line of key=value pairs: status=NNN (also http_status, statusCode, status_code), body=…
//     (JSON, a "quoted string", or the rest of the line), headers={…} and single headers such as
//     x-ca-error-message="Quota Exhausted" (quoted when the value has spaces).
// Anything else is an error saying what was expected, in both languages; nothing throws.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/interpret.hpp"
#include "kuaidi/request.hpp"

namespace kuaidi {

enum class paste_form { har, response_json, vendor_body, http, curl_verbose, log_line };

std::string_view to_string(paste_form form);

struct pasted_answer {
  std::optional<http_answer> answer;  // nullopt when the paste could not be read: see `error`
  paste_form form = paste_form::http;
  std::string request_target;     // the request as the paste shows it (curl -v's "> GET …", HAR's URL)
  int answers_skipped = 0;        // earlier answers passed over (100 Continue, redirects, HAR entries)
  std::vector<owned_text> notes;  // what was assumed or left out
  owned_text error;               // what was wrong and what is expected, when nothing was read
};

// Pastes above this size are refused (a HAR of a whole session with images stays below it).
constexpr std::size_t max_paste_size = 16 * 1024 * 1024;

pasted_answer read_pasted_answer(std::string_view text);

}  // namespace kuaidi
