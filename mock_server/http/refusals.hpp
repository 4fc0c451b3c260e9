#pragma once
// What kuaidi-mock answers to a request it refuses before any route sees it (too large, too slow,
// malformed), and the bytes of an answer written without httplib. The texts say what to send instead.

#include <string>
#include <string_view>
#include <vector>

#include "http_framing.hpp"
#include "kuaidi/interpret.hpp"
#include "options.hpp"

namespace kuaidi::mock {

// The reason phrase for answers written without httplib (only gateway statuses reach here).
const char* reason_phrase(int status);

// Why the mock refuses a request with this status, and what to send instead.
std::string refusal_text(const mock_options& options, int status, std::string_view problem = {});

struct refusal {
  int status = 431;
  std::string body;  // plain text, ending in a newline
};

// The answer to a request httplib never parsed, for every failure but a request line too long
// (which the simulator answers as the gateway does).
refusal unreadable_refusal(const mock_options& options, read_failure why, std::string_view problem);

// A whole answer with Content-Length and Connection: close, the headers in the order given.
std::string closing_answer(int status, const std::vector<http_header>& headers, const std::string& body);

}  // namespace kuaidi::mock
