#include "http_framing.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "text.hpp"

namespace kuaidi::mock {

namespace {

// Past this many headers the request is left to httplib's reader.
constexpr std::size_t plain_header_limit = 64;

// One memchr; find_first_of with a set calls one per byte of the text.
bool holds(std::string_view text, char c) { return text.find(c) != std::string_view::npos; }

// RFC 9110 §5.6.2: the characters of a header name.
bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

constexpr std::size_t chunk_size_line_limit = 1024;

// a before b, bytes compared lowercased (cpp-httplib's order of header names).
bool iless(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return static_cast<unsigned char>(text::to_lower(c)); };
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (lower(a[i]) != lower(b[i])) return lower(a[i]) < lower(b[i]);
  return a.size() < b.size();
}

head_facts refuse(head_facts f, read_failure why, const char* problem) {
  f.failure = why;
  f.problem = problem;
  return f;
}

// A Content-Length value: digits only; past 18 digits it is larger than any limit.
std::optional<std::size_t> parse_content_length(std::string_view value) {
  if (!text::all_digits(value.substr(0, 19))) return std::nullopt;
  if (value.size() > 18) return std::numeric_limits<std::size_t>::max();
  std::size_t n = 0;
  std::from_chars(value.data(), value.data() + value.size(), n);
  return n;
}

void read_connection_tokens(std::string_view value, bool& close, bool& keep_alive) {
  text::any_list_item(value, [&](std::string_view token) {
    close = close || text::iequals(token, "close");
    keep_alive = keep_alive || text::iequals(token, "keep-alive");
    return false;
  });
}

head_facts read_header(head_facts f, std::string_view name, std::string_view value, bool& keep_alive) {
  if (text::iequals(name, "content-length")) {
    const auto length = parse_content_length(value);
    if (!length) return refuse(f, read_failure::malformed, "Content-Length is not a whole number of bytes");
    if (f.has_content_length && f.content_length != *length)
      return refuse(f, read_failure::malformed, "two different Content-Length headers");
    f.content_length = *length;
    f.has_content_length = true;
  } else if (text::iequals(name, "transfer-encoding")) {
    if (!text::iequals(value, "chunked"))
      return refuse(f, read_failure::malformed, "a Transfer-Encoding other than chunked");
    f.chunked = true;
  } else if (text::iequals(name, "connection")) {
    read_connection_tokens(value, f.close, keep_alive);
  }
  return f;
}

// One pass over the head (request line, header lines, the blank line that ends them).
head_facts inspect_head(std::string_view head) {
  head_facts f;
  bool keep_alive = false;
  bool request_line = true;
  while (!head.empty()) {
    const std::size_t eol = head.find('\n');
    std::string_view line = head.substr(0, eol);
    const std::size_t length = eol == std::string_view::npos ? head.size() : eol + 1;
    head.remove_prefix(length);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos)
      return refuse(f, read_failure::malformed, "a NUL byte in the request line or headers");
    if (line.find('\r') != std::string_view::npos)
      return refuse(f, read_failure::malformed, "a CR byte that does not end a line");
    if (request_line) {
      request_line = false;
      f.http10 = line.size() >= 9 && line.substr(line.size() - 9) == " HTTP/1.0";
      continue;
    }
    if (line.empty()) break;
    if (length > header_line_limit)
      return refuse(f, read_failure::header_line_too_long, "");  // not httplib's bare 400
    if (line.front() == ' ' || line.front() == '\t')
      return refuse(f, read_failure::malformed,
                    "a header line starting with a space or tab (obsolete line folding)");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // httplib skips it; so does every lenient server
    f = read_header(f, line.substr(0, colon), text::trim_ows(line.substr(colon + 1)), keep_alive);
    if (f.failure != read_failure::none) return f;
  }
  if (f.chunked && f.has_content_length)
    return refuse(f, read_failure::malformed, "both Content-Length and Transfer-Encoding");
  if (f.http10 && !keep_alive) f.close = true;
  return f;
}

// Where a chunked body ends: chunk-size lines in hex (extensions allowed), data, CRLF, and after
// the last (size 0) chunk any trailer lines up to a blank one.
struct chunked_scan {
  enum { incomplete, complete, malformed, too_large } what = incomplete;
  std::size_t length = 0;
  std::size_t trailers_at = 0, trailers_length = 0;  // trailer lines, which httplib 0.11.4 refuses
  const char* problem = "";
};

chunked_scan scan_chunked(std::string_view body, std::size_t max_data) {
  chunked_scan scan;
  std::size_t at = 0, data = 0;
  const auto bad = [&scan](const char* problem) {
    scan.what = chunked_scan::malformed;
    scan.problem = problem;
    return scan;
  };
  for (;;) {
    const std::size_t eol = body.find('\n', at);
    if (eol == std::string_view::npos)
      return body.size() - at > chunk_size_line_limit ? bad("a chunk-size line that never ends") : scan;
    std::string_view line = body.substr(at, eol - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = eol + 1;
    std::size_t size = 0, digits = 0;
    for (; digits < line.size() && text::hex_value(line[digits]) >= 0; ++digits)
      if (digits >= 15) return bad("a chunk size with too many digits");
    std::from_chars(line.data(), line.data() + digits, size, 16);
    const std::string_view rest = text::trim_ows(line.substr(digits));
    if (digits == 0 || (!rest.empty() && rest.front() != ';'))
      return bad("a chunk size that is not hexadecimal");
    if (size == 0) break;
    data += size;
    if (data > max_data) {
      scan.what = chunked_scan::too_large;
      return scan;
    }
    if (body.size() < at + size + 2) return scan;
    if (body.substr(at + size, 2) != "\r\n") return bad("a chunk whose data is not followed by CRLF");
    at += size + 2;
  }
  scan.trailers_at = at;
  for (;;) {  // trailer lines
    const std::size_t eol = body.find('\n', at);
    if (eol == std::string_view::npos) return scan;
    const std::size_t line_length = eol - at;
    at = eol + 1;
    if (line_length == 0 || (line_length == 1 && body[eol - 1] == '\r')) break;
    scan.trailers_length = at - scan.trailers_at;
  }
  scan.what = chunked_scan::complete;
  scan.length = at;
  return scan;
}

framing refused(read_failure why, const char* problem = "") {
  framing f;
  f.what = framing::refused;
  f.failure = why;
  f.problem = problem;
  return f;
}

// The position of the header line named `name` in an answer's head, or npos.
std::size_t find_answer_header(std::string_view head, std::string_view name) {
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos; at = head.find("\r\n", at + 2)) {
    const std::string_view line = head.substr(at + 2);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        text::iequals(line.substr(0, name.size()), name))
      return at + 2;
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view first_line(std::string_view input, std::size_t limit) {
  input = input.substr(0, std::min(input.find('\n'), limit));
  if (!input.empty() && input.back() == '\r') input.remove_suffix(1);
  return input;
}

framing frame_request(std::string_view pending, std::size_t max_bytes) {
  framing f;
  const std::size_t crlf = pending.find("\r\n\r\n");
  const std::size_t lf = pending.find("\n\n");
  const std::size_t head =
      std::min(crlf == std::string_view::npos ? crlf : crlf + 4, lf == std::string_view::npos ? lf : lf + 2);
  if (head == std::string_view::npos && pending.size() < max_bytes) return f;
  if (head == std::string_view::npos || head > max_bytes) {
    const bool line_whole = pending.substr(0, max_bytes).find('\n') != std::string_view::npos;
    return refused(line_whole ? read_failure::too_large : read_failure::line_too_long);
  }
  f.head_length = head;
  f.head = inspect_head(pending.substr(0, head));
  if (f.head.failure != read_failure::none) return refused(f.head.failure, f.head.problem);
  // The whole request fits --max-request-bytes, so that the loop always has room to read it.
  const std::size_t body_room = max_bytes - head;
  if (f.head.chunked) {
    const chunked_scan body = scan_chunked(pending.substr(head), body_room);
    if (body.what == chunked_scan::malformed) return refused(read_failure::malformed, body.problem);
    if (body.what == chunked_scan::too_large) return refused(read_failure::body_too_large);
    if (body.what == chunked_scan::incomplete)
      return pending.size() >= max_bytes ? refused(read_failure::body_too_large) : f;
    f.what = framing::complete;
    f.length = head + body.length;
    f.trailers_at = head + body.trailers_at;
    f.trailers_length = body.trailers_length;
    return f;
  }
  // Refused before it arrives (httplib reads no GET body, and would frame the next request in it).
  if (f.head.content_length > body_room) return refused(read_failure::body_too_large);
  if (pending.size() < head + f.head.content_length) return f;
  f.what = framing::complete;
  f.length = head + f.head.content_length;
  return f;
}

std::size_t leading_empty_lines(std::string_view pending) {
  std::size_t at = 0;
  while (at < pending.size()) {
    if (pending[at] == '\n')
      ++at;
    else if (pending.substr(at, 2) == "\r\n")
      at += 2;
    else
      break;
  }
  return at;
}

void state_connection(std::string& answer, bool closing, bool http10) {
  if (!closing && !http10) return;  // what httplib wrote is right
  const std::size_t head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) return;
  const std::string_view head(answer.data(), head_end + 2);
  const bool stated = find_answer_header(head, "Connection") != std::string_view::npos;
  if (!closing) {
    if (http10 && !stated) answer.insert(head_end + 2, "Connection: keep-alive\r\n");
    return;
  }
  const std::size_t keep_alive = find_answer_header(head, "Keep-Alive");
  if (keep_alive != std::string_view::npos) {
    const std::size_t line_end = answer.find("\r\n", keep_alive) + 2;
    answer.replace(keep_alive, line_end - keep_alive, stated ? "" : "Connection: close\r\n");
  } else if (!stated) {
    answer.insert(head_end + 2, "Connection: close\r\n");
  }
}

std::optional<std::string_view> request_head::header(std::string_view name) const {
  for (const auto& h : headers)
    if (text::iequals(h.name, name)) return h.value;
  return std::nullopt;
}

std::size_t request_head::count(std::string_view name) const {
  const auto named = [name](const header_view& h) { return text::iequals(h.name, name); };
  return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(), named));
}

bool read_plain_head(std::string_view head, request_head& r) {
  r.headers.clear();
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n") return false;
  const std::size_t line_end = head.find("\r\n");
  if (line_end + 2 > request_line_limit) return false;
  const std::string_view line = head.substr(0, line_end);
  const std::size_t space = line.find(' ');
  const std::size_t second = space == std::string_view::npos ? space : line.find(' ', space + 1);
  if (second == std::string_view::npos || line.substr(second + 1) != "HTTP/1.1") return false;
  r.method = line.substr(0, space);
  r.target = line.substr(space + 1, second - space - 1);
  const bool method_ok = !r.method.empty() && std::all_of(r.method.begin(), r.method.end(),
                                                          [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!method_ok || r.target.empty() || r.target.front() != '/') return false;
  if (holds(r.target, '#') || holds(r.target, '\n')) return false;
  const std::size_t end = head.size() - 2;  // the blank line
  for (std::size_t at = line_end + 2; at < end;) {
    const std::size_t eol = head.find("\r\n", at);
    const std::string_view header_line = head.substr(at, eol - at);
    at = eol + 2;
    const std::size_t colon = header_line.find(':');
    if (colon == 0 || colon == std::string_view::npos || r.headers.size() == plain_header_limit) return false;
    const std::string_view name = header_line.substr(0, colon);
    const std::string_view value = text::trim_ows(header_line.substr(colon + 1));
    if (!std::all_of(name.begin(), name.end(), is_token_char)) return false;
    if (value.empty() || holds(value, '%') || holds(value, '\n')) return false;
    r.headers.push_back({name, value});
  }
  return true;
}

void order_like_httplib(std::vector<header_view>& headers) {
  // An insertion sort: stable, and without allocation for the dozen headers of an answer.
  for (std::size_t i = 1; i < headers.size(); ++i) {
    const header_view moving = headers[i];
    std::size_t j = i;
    for (; j > 0 && iless(moving.name, headers[j - 1].name); --j) headers[j] = headers[j - 1];
    headers[j] = moving;
  }
}

void write_answer_head(std::string& out, int status, std::string_view reason,
                       const std::vector<header_view>& headers) {
  std::size_t size = 32 + reason.size();
  for (const auto& h : headers) size += h.name.size() + h.value.size() + 4;
  out.reserve(out.size() + size);
  char digits[16];
  const auto written = std::to_chars(digits, digits + sizeof digits, status);
  out.append("HTTP/1.1 ").append(digits, written.ptr).append(" ").append(reason).append("\r\n");
  for (const auto& h : headers) out.append(h.name).append(": ").append(h.value).append("\r\n");
  out.append("\r\n");
}
}  // namespace kuaidi::mock
