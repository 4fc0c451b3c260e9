#include "client.hpp"

#include <algorithm>

#include "raw_http.hpp"

namespace kuaidi::soak {

std::string_view to_string(delivery d) {
  switch (d) {
    case delivery::complete: return "complete answer";
    case delivery::reset: return "connection reset before any byte";
    case delivery::closed_before_answer: return "connection closed before any byte";
    case delivery::cut_short: return "connection closed inside the body";
    case delivery::timed_out: return "no answer in time";
    case delivery::unreachable: return "cannot connect";
    case delivery::garbled: return "garbled answer";
  }
  return "?";
}

bool parse_head(std::string_view head, wire_answer& a) {
  // tests/mock's reader, with the soak's strictness: every header line has a name and a colon.
  const auto answer = mock_test::parse_raw_answer(std::string(head) + "\r\n\r\n");
  if (!answer || answer->status <= 0) return false;
  std::size_t lines = 0;
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos; at = head.find("\r\n", at + 2))
    ++lines;
  if (answer->headers.size() != lines) return false;
  a.status = answer->status;
  a.headers = answer->headers;
  if (auto length = a.header("Content-Length"))
    a.content_length = std::strtoull(length->c_str(), nullptr, 10);
  return true;
}

}  // namespace kuaidi::soak
