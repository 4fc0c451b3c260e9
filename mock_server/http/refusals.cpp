#include "refusals.hpp"

namespace kuaidi::mock {

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Error";
  }
}

std::string refusal_text(const mock_options& options, int status, std::string_view problem) {
  switch (status) {
    case 408:
      return "the request did not arrive whole within " + std::to_string(options.read_timeout_s) +
             " s (--read-timeout)";
    case 413:
      return "request larger than " + std::to_string(options.max_request_bytes) +
             " bytes (--max-request-bytes): /query takes no body; admin calls take small JSON objects";
    case 431:
      return "request line and headers larger than " + std::to_string(options.max_request_bytes) +
             " bytes: send fewer or shorter headers";
    case 416:
      return "the Range header could not be read: kuaidi-mock answers whole bodies, "
             "send the request without it";
    default:
      return "malformed HTTP request (status " + std::to_string(status) + ")" +
             (problem.empty() ? std::string() : ": " + std::string(problem)) +
             ": send 'GET /query?kddh=… HTTP/1.1' with headers ending in CRLF CRLF";
  }
}

refusal unreadable_refusal(const mock_options& options, read_failure why, std::string_view problem) {
  if (why == read_failure::too_slow) return {408, refusal_text(options, 408) + "\n"};
  if (why == read_failure::body_too_large) return {413, refusal_text(options, 413) + "\n"};
  if (why == read_failure::header_line_too_long)
    return {431, "a header line longer than " + std::to_string(header_line_limit) +
                     " bytes (cpp-httplib's limit): send shorter headers\n"};
  if (why == read_failure::malformed) return {400, refusal_text(options, 400, problem) + "\n"};
  return {431, refusal_text(options, 431) + "\n"};
}

std::string closing_answer(int status, const std::vector<http_header>& headers, const std::string& body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  return out + "\r\n" + body;
}

}  // namespace kuaidi::mock
