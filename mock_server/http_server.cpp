#include "http_server.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "accounts.hpp"
#include "admin_api.hpp"
#include "clock.hpp"
#include "faults.hpp"
#include "fixtures.hpp"
#include "http_text.hpp"
#include "journal.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/version.hpp"
#include "openapi.hpp"
#include "query_answer.hpp"
#include "reserved.hpp"
#include "request_id.hpp"
#include "static_files.hpp"
#include "tuned_server.hpp"

namespace kuaidi::mock {

namespace {

using json = nlohmann::json;
using httplib::Request;
using httplib::Response;
using handled = httplib::Server::HandlerResponse;
using steady = std::chrono::steady_clock;

constexpr const char* mock_version = kuaidi::version;

// What the Aliyun gateway sends on every answer, preflight included (api.md §5). The X-Mock-*
// headers are appended so that a browser may send them; nothing else differs.
constexpr const char* cors_allow_headers =
    "X-Requested-With,X-Sequence,X-Ca-Key,X-Ca-Secret,X-Ca-Version,X-Ca-Timestamp,X-Ca-Nonce,"
    "X-Ca-API-Key,X-Ca-Stage,X-Ca-Client-DeviceId,X-Ca-Client-AppId,X-Ca-Signature,"
    "X-Ca-Signature-Headers,X-Ca-Signature-Method,X-Forwarded-For,X-Ca-Date,X-Ca-Request-Mode,"
    "Authorization,Content-Type,Accept,Accept-Ranges,Cache-Control,Range,Content-MD5,"
    "X-Mock-Scenario,X-Mock-Fault,X-Mock-Latency";
constexpr const char* cors_allow_methods = "GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH";
constexpr const char* cors_max_age = "172800";
constexpr const char* cors_expose_headers = "X-Ca-Request-Id,X-Ca-Error-Code,X-Ca-Error-Message";

constexpr const char* placeholder_page = R"(<!doctype html>
<html lang="en"><meta charset="utf-8"><title>kuaidi-mock</title>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>kuaidi-mock is running</h1>
<p>The web page is not built, or <code>--web-root</code> does not name its folder.</p>
<p>Build it with <code>scripts/run.sh</code> (or <code>emcmake cmake -B build-wasm &amp;&amp;
cmake --build build-wasm</code>) and start <code>kuaidi-mock --web-root build-wasm/web</code>.</p>
<p>Meanwhile: <a href="/__admin/scenarios">/__admin/scenarios</a>,
<a href="/openapi.json">/openapi.json</a>, <a href="/__admin/">/__admin/</a>,
<a href="/query?kddh=JT3084743373888">/query?kddh=JT3084743373888</a> (needs
<code>Authorization: APPCODE &lt;any&gt;</code>).</p>
</body></html>
)";

std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace);
}

// A client sending through an HTTP proxy writes the absolute form (RFC 9112 §3.2.2), so with
// HTTP_PROXY pointed at the mock, calls to http://chawuliu.market.alicloudapi.com/query reach it
// unchanged; everything else reads the origin-form path. The journal keeps the target as sent.
void to_origin_form(std::string& path) {
  for (const std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (path.size() < scheme.size() || !iequals(std::string_view(path).substr(0, scheme.size()), scheme)) continue;
    const std::size_t slash = path.find('/', scheme.size());
    path = slash == std::string::npos ? std::string("/") : path.substr(slash);
    return;
  }
}

// The request headers /query reads, found in one pass (httplib's map compares through tolower
// on every lookup, which showed in profiles).
struct query_headers {
  std::optional<std::string> authorization, scenario, fault, latency;
  std::string origin;
};

query_headers read_query_headers(const Request& req) {
  query_headers h;
  for (const auto& [name, value] : req.headers) {
    if (name.size() < 6) continue;
    if (iequals(name, "authorization")) { if (!h.authorization) h.authorization = value; }
    else if (iequals(name, "x-mock-scenario")) { if (!h.scenario) h.scenario = value; }
    else if (iequals(name, "x-mock-fault")) { if (!h.fault) h.fault = value; }
    else if (iequals(name, "x-mock-latency")) { if (!h.latency) h.latency = value; }
    else if (iequals(name, "origin")) { if (h.origin.empty()) h.origin = value; }
  }
  return h;
}

// A body follows the head (Content-Length above 0, or chunked): httplib must read it first.
bool has_body(const Request& req) {
  for (const auto& [name, value] : req.headers) {
    if (iequals(name, "transfer-encoding")) return true;
    if (iequals(name, "content-length") && value != "0") return true;
  }
  return false;
}

std::string query_of(const std::string& target) {
  const std::size_t mark = target.find('?');
  return mark == std::string::npos ? std::string() : target.substr(mark + 1);
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return !path.empty() && ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// The reason phrase for answers written without httplib (only gateway statuses reach here).
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

// What the journal and the log keep about one request.
struct outcome {
  std::string scenario;
  std::string route;
  std::string fault;
  std::string appcode;
  std::chrono::milliseconds delay{0};  // the answer leaves this much later than it is made
};

}  // namespace

struct mock_server::parts {
  explicit parts(const mock_options& o)
      : options(o),
        clock(o.now_seconds),
        accounts_(o.appcodes, o.rate_limit),
        fixtures(o.fixtures_path),
        faults(o.latency, o.fault_rate, o.faults, o.seed),
        journal_(o.journal_size),
        log(o.log_target),
        queries(options, clock, accounts_, fixtures, faults),
        admin_calls(o.gateway, accounts_, journal_, fixtures, [this] { return health(); }),
        server(limits(o)) {}

  static connection_limits limits(const mock_options& o) {
    connection_limits l;
    // Two loops per core: a loop the kernel preempts stalls only its share of the connections.
    l.threads = o.threads > 0 ? static_cast<std::size_t>(o.threads)
                              : 2 * std::max(1u, std::thread::hardware_concurrency());
    l.keep_alive_idle = std::chrono::seconds(o.keep_alive_timeout_s);
    l.request_deadline = std::chrono::seconds(o.read_timeout_s);
    l.write_timeout = std::chrono::seconds(o.read_timeout_s);
    l.max_request_bytes = o.max_request_bytes;
    return l;
  }

  void wire();
  handled dispatch(const Request& req, Response& res);
  outcome route(const Request& req, Response& res);
  outcome answer_query(const Request& req, Response& res);
  outcome send(const mock_answer& answer, Response& res);
  outcome admin(const Request& req, Response& res);
  outcome static_file(const Request& req, Response& res);
  handled library_error(const Request& req, Response& res);
  void add_common_headers(Response& res) const;
  void record(const Request& req, const Response& res, const outcome& what, steady::time_point started);
  void record_refused(const refused_request& refused, int status, std::string request_id, std::string detail);
  void keep(journal_entry entry);
  std::string unreadable_answer(const refused_request& refused);
  std::string refusal_text(int status, std::string_view problem = {}) const;
  json health() const;

  const mock_options options;
  const std::string web_root = is_directory(options.web_root) ? options.web_root : std::string();
  static_files static_files_{web_root};
  mock_clock clock;
  accounts accounts_;
  fixture_store fixtures;
  fault_injector faults;
  journal journal_;
  request_log log;
  query_service queries;
  admin_api admin_calls;
  tuned_server server;
  int bound_port = 0;
  steady::time_point started_at = steady::now();
};

void mock_server::parts::wire() {
  server.set_pre_routing_handler([this](const Request& req, Response& res) {
    // Bodies of the methods httplib reads one for go through its handlers, which read it first;
    // any other body (a GET's) is skipped by the event loop, and httplib has no route for it.
    const bool body_read = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                           req.method == "DELETE";
    if (body_read && has_body(req)) return handled::Unhandled;
    return dispatch(req, res);
  });
  const auto with_body = [this](const Request& req, Response& res) { dispatch(req, res); };
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Delete(".*", with_body);
  server.Options(".*", with_body);
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const Request& req, Response& res) {
        return library_error(req, res);
      }));
  server.set_exception_handler([this](const Request& req, Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    const auto started = steady::now();
    res.headers.clear();  // dispatch may have set some before the throw
    add_common_headers(res);
    send(mock_error(500, "kuaidi-mock failed on this request: " + what,
                    "please report it with the request that caused it"),
         res);
    record(req, res, {"", "mock_error", "", "", {}}, started);
  });
  server.unreadable_request_answer = [this](const refused_request& refused) { return unreadable_answer(refused); };
}

void mock_server::parts::add_common_headers(Response& res) const {
  res.set_header("X-Ca-Request-Id", new_request_id());
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Allow-Methods", cors_allow_methods);
  res.set_header("Access-Control-Allow-Headers", cors_allow_headers);
  res.set_header("Access-Control-Max-Age", cors_max_age);
  if (options.expose_headers) res.set_header("Access-Control-Expose-Headers", cors_expose_headers);
}

handled mock_server::parts::dispatch(const Request& req, Response& res) {
  const auto started = steady::now();
  add_common_headers(res);
  // The Request is httplib's own non-const object, handed to handlers by const reference.
  to_origin_form(const_cast<Request&>(req).path);
  const outcome what = route(req, res);
  // Range is ignored, as HTTP allows: httplib would cut a /query body and still send 200.
  const_cast<Request&>(req).ranges.clear();
  record(req, res, what, started);
  return handled::Handled;
}

outcome mock_server::parts::route(const Request& req, Response& res) {
  const auto gateway = [&](std::string_view id) {
    return send(gateway_answer(*find_scenario(id), options.gateway, "natural"), res);
  };
  if (req.target.size() > options.max_url_length) return gateway("url_too_long");
  if (req.method == "OPTIONS") {
    res.status = 200;  // the gateway answers every preflight itself
    return {};
  }
  const std::string& path = req.path;
  if (path == "/query")
    return req.method == "GET" || req.method == "HEAD" ? answer_query(req, res) : gateway("api_not_found");
  if (path == "/__admin" || path.rfind("/__admin/", 0) == 0) return admin(req, res);
  if (path == "/openapi.json" && req.method == "GET") {
    const std::string host = req.has_header("Host") ? req.get_header_value("Host")
                                                    : options.host + ":" + std::to_string(bound_port);
    res.status = 200;
    res.set_content(dump(openapi_document(options.gateway, "http://" + host, clock.trace_anchor_seconds())),
                    "application/json");
    return {};
  }
  if (req.method == "GET" || req.method == "HEAD") return static_file(req, res);
  return gateway("api_not_found");
}

outcome mock_server::parts::answer_query(const Request& req, Response& res) {
  query_headers h = read_query_headers(req);
  query_request q;
  q.query = query_of(req.target);
  q.authorization = std::move(h.authorization);
  q.scenario_header = std::move(h.scenario);
  q.fault_header = std::move(h.fault);
  q.latency_header = std::move(h.latency);
  q.remote_addr = req.remote_addr;
  q.origin = std::move(h.origin);
  return send(queries.answer(q), res);
}

outcome mock_server::parts::send(const mock_answer& answer, Response& res) {
  outcome what{answer.answered ? std::string(answer.answered->id) : std::string(), answer.route,
               answer.plan.injected.empty() ? std::string() : answer.plan.injected.name(),
               answer.appcode, answer.plan.latency};
  if (answer.plan.latency.count() > 0) tuned_server::delay_current_answer(answer.plan.latency);
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  res.status = answer.http_status;
  const transport_fault transport = answer.plan.injected.transport;
  if (transport == transport_fault::reset) {
    tuned_server::reset_current_connection();
  } else if (transport == transport_fault::truncate && !answer.body.empty()) {
    // Content-Length promises the whole body; half of it comes, then the connection closes.
    auto body = std::make_shared<std::string>(answer.body);
    res.set_content_provider(body->size(), answer.content_type,
                             [body](size_t, size_t, httplib::DataSink& sink) {
                               sink.write(body->data(), body->size() / 2);
                               return false;
                             });
  } else {
    res.set_content(answer.body, answer.content_type);
  }
  return what;
}

void mock_server::parts::record(const Request& req, const Response& res, const outcome& what,
                                steady::time_point started) {
  journal_entry entry;
  entry.time_ms = system_now_ms();
  entry.request_id = res.get_header_value("X-Ca-Request-Id");
  entry.remote = req.remote_addr;
  entry.method = req.method;
  entry.target = req.target;
  entry.appcode = what.appcode;
  entry.status = res.status;
  entry.scenario = what.scenario;
  entry.route = what.route;
  entry.fault = what.fault;
  entry.duration_us =
      std::chrono::duration_cast<std::chrono::microseconds>(steady::now() - started + what.delay).count();
  keep(std::move(entry));
}

// Refused requests are journaled too: an integrator's malformed request is what they look for.
void mock_server::parts::record_refused(const refused_request& refused, int status, std::string request_id,
                                        std::string detail) {
  journal_entry entry;
  entry.time_ms = system_now_ms();
  entry.request_id = std::move(request_id);
  entry.remote = refused.remote;
  const std::string_view line = refused.request_line;
  const std::size_t space = line.find(' ');
  entry.method = std::string(line.substr(0, space));
  if (space != std::string_view::npos) {
    const std::string_view rest = line.substr(space + 1);
    entry.target = std::string(rest.substr(0, rest.find(' ')));
  }
  entry.status = status;
  entry.route = "refused";
  if (refused.why == read_failure::line_too_long) entry.scenario = "url_too_long";
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  entry.detail = std::move(detail);
  keep(std::move(entry));
}

// The log gets every request; the journal leaves out the admin API's own.
void mock_server::parts::keep(journal_entry entry) {
  if (log.enabled()) {
    json line = to_json(entry);
    line["event"] = "request";
    if (line["target"].get<std::string>().size() > 1024) line["target"] = entry.target.substr(0, 1024) + "…";
    log.write(line);
  }
  if (entry.target.rfind("/__admin", 0) != 0) journal_.record(std::move(entry));
}

handled mock_server::parts::library_error(const Request& req, Response& res) {
  if (res.has_header("X-Ca-Request-Id")) return handled::Unhandled;  // an answer of ours
  const auto started = steady::now();
  add_common_headers(res);
  outcome what{"", "library_error", "", "", {}};
  const auto plain = [&](int status, const std::string& message) {
    res.status = status;
    res.set_content(message + "\n", "text/plain");
  };
  const read_failure failure = tuned_server::current_read_failure();
  // After a request httplib could not parse, the next bytes cannot be trusted to start one.
  tuned_server::close_current_connection();
  res.set_header("Connection", "close");
  if (res.status == 414) {
    what = send(gateway_answer(*find_scenario("url_too_long"), options.gateway, "natural"), res);
  } else if (res.status == 413) {
    plain(413, refusal_text(413));
  } else if (failure == read_failure::too_large) {
    plain(431, refusal_text(431));
  } else if (failure == read_failure::too_slow) {
    plain(408, refusal_text(408));
  } else {
    plain(res.status, refusal_text(res.status));
  }
  record(req, res, what, started);
  return handled::Handled;
}

// Why the mock refuses a request no route saw, and what to send instead.
std::string mock_server::parts::refusal_text(int status, std::string_view problem) const {
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
      return "the Range header could not be read: kuaidi-mock answers whole bodies, send the request without it";
    default:
      return "malformed HTTP request (status " + std::to_string(status) + ")" +
             (problem.empty() ? std::string() : ": " + std::string(problem)) +
             ": send 'GET /query?kddh=… HTTP/1.1' with headers ending in CRLF CRLF";
  }
}

// Bytes for a request httplib never parsed: there is no Response to fill, so write them here.
std::string mock_server::parts::unreadable_answer(const refused_request& refused) {
  const read_failure why = refused.why;
  int status;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  if (why == read_failure::line_too_long) {
    const scenario& s = *find_scenario("url_too_long");
    const gateway_error& e = gateway_error_for(s, options.gateway);
    status = e.http_status;
    if (!e.code.empty()) headers.emplace_back("X-Ca-Error-Code", std::string(e.code));
    headers.emplace_back("X-Ca-Error-Message", std::string(e.message));
  } else if (why == read_failure::too_slow) {
    status = 408;
    body = refusal_text(408) + "\n";
  } else if (why == read_failure::body_too_large) {
    status = 413;
    body = refusal_text(413) + "\n";
  } else if (why == read_failure::header_line_too_long) {
    status = 431;
    body = "a header line longer than " + std::to_string(header_line_limit) +
           " bytes (cpp-httplib's limit): send shorter headers\n";
  } else if (why == read_failure::malformed) {
    status = 400;
    body = refusal_text(400, refused.problem) + "\n";
  } else {
    status = 431;
    body = refusal_text(431) + "\n";
  }
  const std::string request_id = new_request_id();
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                    "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\nX-Ca-Request-Id: " + request_id + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += std::string("Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: ") + cors_allow_methods +
         "\r\nAccess-Control-Allow-Headers: " + cors_allow_headers + "\r\nAccess-Control-Max-Age: " +
         cors_max_age + "\r\n";
  if (options.expose_headers) out += std::string("Access-Control-Expose-Headers: ") + cors_expose_headers + "\r\n";
  record_refused(refused, status, request_id, body);
  return out + "\r\n" + body;
}

json mock_server::parts::health() const {
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(steady::now() - started_at);
  json out = {{"status", "ok"},
              {"version", mock_version},
              {"gateway", to_string(options.gateway)},
              {"platform", options.mode == platform::market ? "market" : "own"},
              {"port", bound_port},
              {"uptime_s", uptime.count()},
              {"clock_pinned", clock.pinned()},
              {"now_ms", clock.now_ms()},
              {"web_root", web_root.empty() ? json(nullptr) : json(web_root)}};
  if (fixtures.configured()) out["fixtures"] = fixtures.status();
  return out;
}


outcome mock_server::parts::admin(const Request& req, Response& res) {
  admin_call call{req.method, req.path.substr(std::string("/__admin").size()), std::nullopt, req.body};
  if (call.path.empty()) call.path = "/";
  if (req.has_param("limit")) call.limit = req.get_param_value("limit");
  const admin_reply reply = admin_calls.handle(call);
  res.status = reply.status;
  res.set_content(dump(reply.body), "application/json");
  return {};
}

outcome mock_server::parts::static_file(const Request& req, Response& res) {
  const std::string path = req.path == "/" ? "/index.html" : req.path;
  if (const auto entry = static_files_.find(path)) {
    res.status = 200;
    // Revalidated on each load, so a rebuilt page is never served stale from the browser's cache.
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", entry->etag);
    res.set_header("Last-Modified", entry->last_modified);
    res.set_header("Vary", "Accept-Encoding");
    if (etag_matches(req.get_header_value("If-None-Match"), entry->etag)) {
      res.status = 304;
      return {};
    }
    if (entry->identity.empty()) {  // cpp-httplib 0.11.4 never sends the answer of a 0-byte provider
      res.set_content(std::string(), entry->content_type);
      return {};
    }
    const static_file_body body = choose_body(entry, req.get_header_value("Accept-Encoding"));
    if (body.encoding) res.set_header("Content-Encoding", body.encoding);
    // A content provider with a length is sent as is: httplib compresses only set_content bodies.
    res.set_content_provider(body.bytes->size(), entry->content_type,
                             [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                               return sink.write(body.bytes->data() + offset, length);
                             });
    return {};
  }
  if (req.path == "/" || req.path == "/index.html") {
    res.status = 200;
    res.set_content(placeholder_page, "text/html; charset=utf-8");
    return {};
  }
  return send(gateway_answer(*find_scenario("api_not_found"), options.gateway, "natural"), res);
}

mock_server::mock_server(const mock_options& options) : parts_(std::make_unique<parts>(options)) {
  parts_->wire();
}

mock_server::~mock_server() = default;

bool mock_server::start(std::string& error) {
  if (!parts_->log.ok()) return error = "cannot open the log file " + parts_->options.log_target, false;
  if (parts_->fixtures.configured()) {
    const auto loaded = parts_->fixtures.reload();
    if (!loaded.ok) return error = loaded.error, false;
    parts_->fixtures.watch(std::chrono::milliseconds(250), [this](const fixture_store::load_result& r) {
      json line = {{"event", r.ok ? "fixtures_reloaded" : "fixtures_rejected"}};
      if (r.ok) line["count"] = r.count;
      else line["error"] = r.error;
      parts_->log.write(line);
    });
  }
  const int port = parts_->server.bind(parts_->options.host, parts_->options.port);
  if (port < 0) {
    error = "cannot listen on " + parts_->options.host + ":" + std::to_string(parts_->options.port) +
            " (" + std::strerror(errno) + "): choose another --port, or --port 0 for any free one";
    return false;
  }
  parts_->bound_port = port;
  return true;
}

std::string mock_server::url() const {
  const std::string& host = parts_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(parts_->bound_port) + "/";
}

int mock_server::port() const { return parts_->bound_port; }

void mock_server::run() { parts_->server.listen_after_bind(); }

void mock_server::stop() { parts_->server.shutdown(); }

}  // namespace kuaidi::mock
