#include "kuaidi/paste.hpp"

#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "enum_names.hpp"
#include "text.hpp"

namespace kuaidi {

namespace {

using json = nlohmann::json;

constexpr int max_paste_depth = 64;  // a HAR is 6 deep; deeper nesting risks the parser's stack

constexpr localized_text expected_forms = {
    "请粘贴以下任一种：curl -i 或 curl -v 的完整输出；原始 HTTP 答复（以 HTTP/1.1 666 这样的状态行开头，"
    "然后是响应头、空行和正文）；浏览器开发者工具导出的 HAR（整个文件或其中一条）；或一行日志，"
    "含 status=状态码 和 body=正文（也可以是含 status、headers、body 的 JSON 对象）。",
    "Paste one of: the whole output of curl -i or curl -v; a raw HTTP answer (a status line such as "
    "HTTP/1.1 666, then the headers, a blank line and the body); a HAR exported from the browser's "
    "developer tools (the whole file or one entry); or a log line with status=CODE and body=TEXT "
    "(or a JSON object with status, headers and body)."};

void fail(pasted_answer& p, std::string_view zh, std::string_view en) {
  p.answer.reset();
  p.error = {text::concat({zh, expected_forms.zh}), text::concat({en, " ", expected_forms.en})};
}

void note(pasted_answer& p, std::string zh, std::string en) {
  p.notes.push_back({std::move(zh), std::move(en)});
}

bool is_token_char(char c) {
  return text::is_digit(c) || text::is_upper(c) || text::is_lower(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// "HTTP/1.1 200 OK", "HTTP/2 403 ", "HTTP/1.1 666": the status, 100–999; nullopt otherwise.
std::optional<int> status_line(std::string_view line) {
  line = text::trim(line);
  if (line.substr(0, 5) != "HTTP/") return std::nullopt;
  std::size_t i = 5;
  while (i < line.size() && (text::is_digit(line[i]) || line[i] == '.')) ++i;
  if (i == 5 || i - 5 > 3 || i >= line.size() || line[i] != ' ') return std::nullopt;
  while (i < line.size() && line[i] == ' ') ++i;
  const std::string_view code = line.substr(i, 3);
  std::int64_t status = 0;
  if (code.size() != 3 || code[0] == '0' || !text::parse_digits(code, 3, status)) return std::nullopt;
  if (i + 3 < line.size() && line[i + 3] != ' ') return std::nullopt;
  return static_cast<int>(status);
}

// "Name: value" with a token for a name; false for anything else.
bool header_line(std::string_view line, http_header& out) {
  const std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (char c : line.substr(0, colon))
    if (!is_token_char(c)) return false;
  out = {std::string(line.substr(0, colon)), std::string(text::trim(line.substr(colon + 1)))};
  return true;
}

struct line_view {
  std::string_view text;  // without the line break and a trailing \r
  std::size_t start;      // offset in the paste
};

std::vector<line_view> split_lines(std::string_view all) {
  std::vector<line_view> lines;
  std::size_t start = 0;
  while (start <= all.size()) {
    const std::size_t end = all.find('\n', start);
    std::string_view line =
        all.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({line, start});
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

// curl -i, a raw answer: status line, headers, blank line, body; answers in a row, the last read.
bool read_http(std::string_view all, pasted_answer& p) {
  const std::vector<line_view> lines = split_lines(all);
  std::size_t i = 0;
  while (i < lines.size() && !status_line(lines[i].text)) ++i;
  if (i == lines.size()) return false;
  http_answer a;
  for (;;) {
    a = http_answer{};
    a.http_status = *status_line(lines[i].text);
    ++i;
    bool blank_seen = false;
    for (; i < lines.size(); ++i) {
      if (text::trim(lines[i].text).empty()) {
        blank_seen = true;
        ++i;
        break;
      }
      http_header h;
      if (!header_line(text::trim(lines[i].text), h)) break;
      a.headers.push_back(std::move(h));
    }
    std::size_t next = i;
    while (next < lines.size() && text::trim(lines[next].text).empty()) ++next;
    if (next < lines.size() && status_line(lines[next].text)) {
      ++p.answers_skipped;
      i = next;
      continue;
    }
    if (!blank_seen && i < lines.size())
      note(p, "响应头和正文之间没有空行，已从第一行不像响应头的内容起当作正文。",
           "No blank line between the headers and the body: the body is taken from the first line "
           "that is not a header.");
    break;
  }
  if (i < lines.size()) a.body = std::string(all.substr(lines[i].start));
  p.form = paste_form::http;
  p.answer = std::move(a);
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// curl's own lines in -v output (connection, TLS, request, data counters), not the answer's.
bool curl_trace_line(std::string_view line) {
  return starts_with(line, "* ") || line == "*" || starts_with(line, "> ") || line == ">" ||
         starts_with(line, "< ") || line == "<" || starts_with(line, "{ [") || starts_with(line, "} [");
}

// curl -v: "< " lines are the answer's head, the body is what is not curl's own.
bool read_curl_verbose(std::string_view all, pasted_answer& p) {
  const std::vector<line_view> lines = split_lines(all);
  std::size_t last_status = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (starts_with(lines[i].text, "< ") && status_line(lines[i].text.substr(2))) {
      if (last_status != lines.size()) ++p.answers_skipped;
      last_status = i;
    }
  if (last_status == lines.size()) return false;
  for (std::size_t i = 0; i < last_status; ++i) {
    const std::string_view line = lines[i].text;
    if (!starts_with(line, "> ")) continue;
    const std::size_t space = line.find(' ', 2);
    const std::size_t version = line.rfind(" HTTP/");
    if (space != std::string_view::npos && version != std::string_view::npos && version > space)
      p.request_target = std::string(line.substr(space + 1, version - space - 1));
  }
  http_answer a;
  a.http_status = *status_line(lines[last_status].text.substr(2));
  std::size_t i = last_status + 1;
  for (; i < lines.size(); ++i) {
    const std::string_view line = lines[i].text;
    if (!starts_with(line, "<")) {
      if (curl_trace_line(line)) continue;
      break;  // the body, printed without the blank "<" line
    }
    const std::string_view rest = text::trim(line.substr(1));
    if (rest.empty()) {
      ++i;
      break;
    }
    http_header h;
    if (header_line(rest, h)) a.headers.push_back(std::move(h));
  }
  std::string body;
  for (; i < lines.size(); ++i) {
    std::string_view line = lines[i].text;
    if (curl_trace_line(line)) continue;
    // Without a final line break the body runs into curl's next line on the terminal.
    for (std::string_view tail : {"* Connection #", "* Closing connection", "* shutting down"})
      if (const std::size_t at = line.find(tail); at != std::string_view::npos) line = line.substr(0, at);
    if (!body.empty()) body += '\n';
    body += line;
  }
  a.body = std::move(body);
  p.form = paste_form::curl_verbose;
  p.answer = std::move(a);
  return true;
}

std::optional<std::int64_t> integer_of(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned())
    return v.get<std::uint64_t>() > 1000000 ? 1000000 : static_cast<std::int64_t>(v.get<std::uint64_t>());
  std::int64_t value = 0;
  if (v.is_string() && text::parse_digits(text::trim(v.get_ref<const std::string&>()), 9, value))
    return value;
  return std::nullopt;
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool base64_decode(std::string_view in, std::string& out) {
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int value;
    if (text::is_upper(c))
      value = c - 'A';
    else if (text::is_lower(c))
      value = c - 'a' + 26;
    else if (text::is_digit(c))
      value = c - '0' + 52;
    else if (c == '+' || c == '-')
      value = 62;
    else if (c == '/' || c == '_')
      value = 63;
    else if (c == '=' || text::is_ascii_space(c))
      continue;
    else
      return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  return true;
}

void headers_of(const json& v, http_answer& a, pasted_answer& p) {
  bool understood = true;
  if (v.is_object()) {
    for (const auto& item : v.items()) {
      if (item.value().is_array())
        for (const auto& each : item.value()) a.headers.push_back({item.key(), text_of(each)});
      else
        a.headers.push_back({item.key(), text_of(item.value())});
    }
  } else if (v.is_array()) {
    for (const auto& h : v) {
      if (h.is_object() && h.contains("name") && h["name"].is_string())
        a.headers.push_back(
            {h["name"].get<std::string>(), h.contains("value") ? text_of(h["value"]) : std::string()});
      else if (h.is_array() && h.size() == 2 && h[0].is_string())
        a.headers.push_back({h[0].get<std::string>(), text_of(h[1])});
      else
        understood = false;
    }
  } else if (!v.is_null()) {
    understood = false;
  }
  if (!understood)
    note(p, "有些响应头的写法看不懂，已略过。",
         "Some headers are in a form this tool does not read; they were left out.");
}

const json* field(const json& object, std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (const auto it = object.find(name); it != object.end() && !it->is_null()) return &*it;
  return nullptr;
}

// {status, headers, body | data | text | content.text}; false (with the error set) when the
// status is missing or not an HTTP status.
bool read_response_object(const json& r, pasted_answer& p) {
  const json* status = field(r, {"status", "statusCode", "status_code", "http_status"});
  const std::optional<std::int64_t> code = status ? integer_of(*status) : std::nullopt;
  if (!code) {
    fail(p, "这个 JSON 对象里没有可读的 HTTP 状态码（status）。",
         "This JSON object has no readable HTTP status (status).");
    return false;
  }
  if (*code != 0 && (*code < 100 || *code > 999)) {
    const std::string shown = std::to_string(*code);
    fail(p, text::concat({"status 为 ", shown, "，不是 HTTP 状态码（100–999）。"}),
         text::concat({"status is ", shown, ", which is not an HTTP status (100–999)."}));
    return false;
  }
  http_answer a;
  a.http_status = static_cast<int>(*code);
  if (const json* headers = field(r, {"headers", "header"})) headers_of(*headers, a, p);
  if (const json* content = field(r, {"content"}); content && content->is_object()) {
    const json* body = field(*content, {"text"});
    a.body = body ? text_of(*body) : std::string();
    const json* encoding = field(*content, {"encoding"});
    if (encoding && encoding->is_string() && encoding->get_ref<const std::string&>() == "base64") {
      std::string decoded;
      if (base64_decode(a.body, decoded))
        a.body = std::move(decoded);
      else
        note(p, "正文标为 base64，但无法解码，已按原样读取。",
             "The body is marked base64 but does not decode; it was read as is.");
    }
    const json* size = field(*content, {"size"});
    if (!body && size && size->is_number() && size->get<double>() > 0)
      note(p, "HAR 里没有保存这条答复的正文。", "The HAR holds no body for this answer.");
  } else if (const json* body = field(r, {"body", "data", "text", "response_body"})) {
    a.body = text_of(*body);
  }
  if (a.http_status == 0) {
    const json* why = field(r, {"_error", "statusText", "error"});
    a.transport_error = why ? text_of(*why) : std::string("no HTTP answer");
    a.headers_readable = false;
  }
  p.answer = std::move(a);
  return true;
}

std::string url_path(std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) return "/";
  return std::string(url.substr(start, url.find_first_of("?#", start) - start));
}

std::string request_url(const json& entry) {
  const json* request = field(entry, {"request"});
  const json* url = request && request->is_object() ? field(*request, {"url"}) : nullptr;
  return url && url->is_string() ? url->get<std::string>() : std::string();
}

bool read_har_entries(const json& entries, pasted_answer& p) {
  std::size_t chosen = entries.size();
  for (std::size_t i = entries.size(); i-- > 0 && chosen == entries.size();) {
    const std::string path = url_path(request_url(entries[i]));
    if (path.size() >= 6 && path.compare(path.size() - 6, 6, "/query") == 0) chosen = i;
  }
  if (chosen == entries.size()) {
    for (std::size_t i = entries.size(); i-- > 0 && chosen == entries.size();)
      if (entries[i].is_object() && field(entries[i], {"response"})) chosen = i;
  }
  if (chosen == entries.size()) {
    fail(p, "HAR 里没有任何带答复的请求。", "The HAR holds no request with an answer.");
    return false;
  }
  p.answers_skipped = static_cast<int>(entries.size() - 1);
  p.request_target = request_url(entries[chosen]);
  if (entries.size() > 1) {
    const std::string n = std::to_string(entries.size());
    const std::string k = std::to_string(chosen + 1);
    note(p, text::concat({"HAR 里有 ", n, " 个请求，读取的是第 ", k, " 个：", p.request_target}),
         text::concat({"The HAR holds ", n, " requests; read number ", k, ": ", p.request_target}));
  }
  const json& response = *field(entries[chosen], {"response"});
  if (!response.is_object()) {
    fail(p, "HAR 条目中的 response 不是对象。", "The HAR entry's response is not an object.");
    return false;
  }
  p.form = paste_form::har;
  return read_response_object(response, p);
}

bool is_vendor_body(const json& o) { return o.contains("ok") && o.contains("msg"); }

void read_json(const json& v, std::string_view pasted_text, pasted_answer& p) {
  if (v.is_array()) {
    if (!v.empty() && v.back().is_object() && field(v.back(), {"response"})) {
      read_har_entries(v, p);
      return;
    }
    return fail(p, "这是一个 JSON 数组，但不是 HAR 条目的列表。",
                "This is a JSON array, but not a list of HAR entries.");
  }
  if (!v.is_object()) return fail(p, "这是 JSON，但不是对象。", "This is JSON, but not an object.");
  if (const json* log = field(v, {"log"}); log && log->is_object()) {
    const json* entries = field(*log, {"entries"});
    if (!entries || !entries->is_array() || entries->empty())
      return fail(p, "HAR 文件里没有任何请求（log.entries 为空）。",
                  "The HAR file holds no request (log.entries is empty).");
    read_har_entries(*entries, p);
    return;
  }
  if (const json* response = field(v, {"response"}); response && response->is_object()) {
    p.request_target = request_url(v);
    p.form = field(v, {"request"}) ? paste_form::har : paste_form::response_json;
    read_response_object(*response, p);
    return;
  }
  if (is_vendor_body(v) && !field(v, {"body", "headers", "content"})) {
    http_answer a;
    const std::optional<std::int64_t> ok = integer_of(v["ok"]);
    a.http_status = ok == 1 ? 200 : 666;
    a.body = std::string(pasted_text);
    const std::string shown = std::to_string(a.http_status);
    note(p,
         text::concat({"只粘贴了正文，没有 HTTP 状态码：按文档，ok 为 ", ok == 1 ? "1" : "0", " 时状态码是 ",
                       shown, "。"}),
         text::concat({"Only the body was pasted, without the HTTP status: the documentation pairs ok ",
                       ok == 1 ? "1" : "0", " with ", shown, "."}));
    p.form = paste_form::vendor_body;
    p.answer = std::move(a);
    return;
  }
  if (!field(v, {"status", "statusCode", "status_code", "http_status"}))
    return fail(p, "这段 JSON 既不是 HAR，也不是带 status 的答复，也不是接口的答复正文（ok、msg）。",
                "This JSON is neither a HAR, nor an answer with a status, nor the API's body (ok, msg).");
  p.form = paste_form::response_json;
  read_response_object(v, p);
}

bool is_key_char(char c) {
  return text::is_digit(c) || text::is_upper(c) || text::is_lower(c) || c == '_' || c == '-' || c == '.';
}

// The end of a JSON value starting at `at` ({…}, […] or "…"), strings and escapes respected;
// npos when it does not close.
std::size_t json_value_end(std::string_view s, std::size_t at) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = at; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

struct log_pair {
  std::string key;    // lower case
  std::string value;  // a quoted value unquoted
  bool structured;    // {…} or […] as written
};

// key=value pairs; a value is JSON ({…}, […], "…"), or runs to a space (a body: to the line's end).
std::vector<log_pair> log_pairs(std::string_view s) {
  std::vector<log_pair> pairs;
  std::size_t i = 0;
  while ((i = s.find('=', i)) != std::string_view::npos) {
    std::size_t k = i;
    while (k > 0 && is_key_char(s[k - 1])) --k;
    const std::string key = text::lower(s.substr(k, i - k));
    std::size_t v = i + 1;
    if (key.empty()) {
      i = v;
      continue;
    }
    const bool body = key == "body" || key == "response_body";
    std::size_t end;
    log_pair pair{key, {}, false};
    if (v < s.size() && (s[v] == '{' || s[v] == '[' || s[v] == '"') &&
        (end = json_value_end(s, v)) != std::string_view::npos) {
      pair.structured = s[v] != '"';
      const json parsed = pair.structured ? json() : json::parse(s.substr(v, end - v), nullptr, false);
      pair.value = pair.structured || parsed.is_discarded() || !parsed.is_string()
                       ? std::string(s.substr(v, end - v))
                       : parsed.get<std::string>();
    } else {
      end = body ? s.find('\n', v) : s.find_first_of(" \t\r\n,;", v);
      if (end == std::string_view::npos) end = s.size();
      pair.value = std::string(text::trim(s.substr(v, end - v)));
    }
    pairs.push_back(std::move(pair));
    i = end;
  }
  return pairs;
}

bool read_log_line(std::string_view all, pasted_answer& p) {
  http_answer a;
  bool has_status = false;
  for (const log_pair& pair : log_pairs(all)) {
    const std::string& key = pair.key;
    if (key == "status" || key == "http_status" || key == "statuscode" || key == "status_code") {
      std::int64_t code = 0;
      if (!has_status && text::parse_digits(pair.value, 3, code) && code >= 100) {
        a.http_status = static_cast<int>(code);
        has_status = true;
      }
    } else if (key == "body" || key == "response_body") {
      a.body = pair.value;
    } else if (key == "headers" || key == "response_headers") {
      const json parsed = json::parse(pair.value, nullptr, false);
      if (!parsed.is_discarded()) headers_of(parsed, a, p);
    } else if (starts_with(key, "x-ca-")) {
      a.headers.push_back({key, pair.value});
    }
  }
  if (!has_status) return false;
  p.form = paste_form::log_line;
  p.answer = std::move(a);
  return true;
}

bool has_verbose_status(std::string_view all) {
  for (const line_view& line : split_lines(all))
    if (starts_with(line.text, "< ") && status_line(line.text.substr(2))) return true;
  return false;
}

}  // namespace

namespace {

constexpr names::row<paste_form> form_names[] = {{paste_form::har, "har"},
                                                 {paste_form::response_json, "response_json"},
                                                 {paste_form::vendor_body, "vendor_body"},
                                                 {paste_form::http, "http"},
                                                 {paste_form::curl_verbose, "curl_verbose"},
                                                 {paste_form::log_line, "log_line"}};
static_assert(names::covers(form_names, paste_form::log_line));

}  // namespace

std::string_view to_string(paste_form form) { return names::name_of(form_names, form); }

pasted_answer read_pasted_answer(std::string_view pasted) {
  pasted_answer p;
  const std::string_view all = text::trim(pasted);
  if (all.empty()) {
    fail(p, "粘贴框是空的。", "Nothing was pasted.");
    return p;
  }
  if (pasted.size() > max_paste_size) {
    const std::string mb = std::to_string(max_paste_size / (1024 * 1024));
    fail(p, text::concat({"粘贴的内容超过 ", mb, " MB，不像一次答复。"}),
         text::concat({"The paste is larger than ", mb, " MB, too large to be one answer."}));
    return p;
  }
  if (all.front() == '{' || all.front() == '[') {
    if (text::json_depth(all) > max_paste_depth) {
      fail(p, "这段 JSON 嵌套过深，不像 HAR 或一次答复。",
           "This JSON is nested too deeply to be a HAR or an answer.");
      return p;
    }
    const json parsed = json::parse(all, nullptr, false);
    if (!parsed.is_discarded()) {
      read_json(parsed, all, p);
      return p;
    }
  }
  if (has_verbose_status(all) ? read_curl_verbose(all, p) : read_http(all, p)) return p;
  if (read_log_line(all, p)) return p;
  if (all.front() == '{' || all.front() == '[')
    fail(p, "这段内容以 { 或 [ 开头，但不是完整的 JSON（可能只复制了一部分）。",
         "This starts with { or [ but is not complete JSON (perhaps only part of it was copied).");
  else
    fail(p, "读不懂粘贴的内容：没有找到 HTTP 状态行，也不是 JSON 或带 status= 的日志。",
         "The paste could not be read: it has no HTTP status line, and is neither JSON nor a log line with "
         "status=.");
  return p;
}

}  // namespace kuaidi
