#pragma once
// HTTP/1.1 framing as pure functions over bytes, no sockets: where a buffered request ends (or why
// it is refused before anything parses it), the plain request heads the mock reads itself, and an
// answer's head written the way cpp-httplib 0.11.4 writes a Response, so both paths send the same bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuaidi::mock {

// cpp-httplib 0.11.4 (the .so) refuses a longer header line, terminator included.
constexpr std::size_t header_line_limit = 8192;
// ... and answers 414 to a longer request line, terminator included.
constexpr std::size_t request_line_limit = 8192;

// Why a request could not be taken whole.
enum class read_failure {
  none,
  line_too_long,         // the request line is past httplib's limit
  too_large,             // request line and headers past --max-request-bytes
  header_line_too_long,  // one header line past httplib's limit
  body_too_large,        // a chunked body past --max-request-bytes
  malformed,             // framing that cannot be trusted (NUL, bare CR, folding, bad lengths)
  too_slow,
  closed
};

// What a request head says about its framing and its connection, or why it cannot be trusted.
struct head_facts {
  std::size_t content_length = 0;
  bool has_content_length = false;
  bool chunked = false;
  bool http10 = false;
  bool close = false;  // "Connection: close" in any case, or HTTP/1.0 without keep-alive
  read_failure failure = read_failure::none;
  const char* problem = "";
};

// Where the first buffered request ends, or why it is refused before httplib sees it.
struct framing {
  enum { incomplete, complete, refused } what = incomplete;
  std::size_t length = 0;                            // head and body
  std::size_t head_length = 0;                       // request line and headers, the blank line included
  std::size_t trailers_at = 0, trailers_length = 0;  // trailer lines of a chunked body
  head_facts head;
  read_failure failure = read_failure::none;
  const char* problem = "";
};

framing frame_request(std::string_view pending, std::size_t max_bytes);

// Empty lines before a request line are skipped (RFC 9112 §2.2): some clients send a CRLF after
// a body. How many bytes they take.
std::size_t leading_empty_lines(std::string_view pending);

// The text before the first line end, cut at `limit` bytes.
std::string_view first_line(std::string_view input, std::size_t limit);

struct header_view {
  std::string_view name, value;
};

// A request head in the one shape every reader agrees on: "GET /path?query HTTP/1.1", every line
// ending in CRLF, every header "token: value" with a non-empty value free of '%' (httplib 0.11.4
// percent-decodes header values). Headers in the order sent, values trimmed of spaces and tabs.
struct request_head {
  std::string_view method, target;
  std::vector<header_view> headers;

  // The first value of the header (names compared case-insensitively), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

// The head (request line to blank line) read as above into `into` (its vector is reused); false
// for anything else, which is left to httplib's reader.
bool read_plain_head(std::string_view head, request_head& into);

// httplib keeps a Response's headers in a multimap ordered by name without case, and writes them
// in that order: names compared byte by byte lowercased, equal names in the order they were set.
void order_like_httplib(std::vector<header_view>& headers);

// "HTTP/1.1 <status> <reason>", each header as "name: value", a blank line (CRLF line ends).
void write_answer_head(std::string& out, int status, std::string_view reason,
                       const std::vector<header_view>& headers);

// The answer's head says what the loop does with the connection: httplib writes "Keep-Alive" to
// every client that did not send exactly "Connection: close" (even beside our "Connection:
// close"), and never "Connection: keep-alive", which an HTTP/1.0 client needs to reuse it.
void state_connection(std::string& answer, bool closing, bool http10);

}  // namespace kuaidi::mock
