#include "http_server.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "admin_api.hpp"
#include "clock.hpp"
#include "fixture_file.hpp"
#include "journal.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/simulator.hpp"
#include "kuaidi/version.hpp"
#include "openapi.hpp"
#include "refusals.hpp"
#include "request_id.hpp"
#include "simulation.hpp"
#include "static_files.hpp"
#include "text.hpp"
#include "tuned_server.hpp"

namespace kuaidi::mock {

namespace {

using json = nlohmann::json;
using httplib::Request;
using httplib::Response;
using handled = httplib::Server::HandlerResponse;
using steady = std::chrono::steady_clock;

constexpr const char* mock_version = kuaidi::version;

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

std::string dump(const json& value) { return value.dump(2, ' ', false, json::error_handler_t::replace); }

// A body follows the head (Content-Length above 0, or chunked): httplib must read it first.
bool has_body(const Request& req) {
  for (const auto& [name, value] : req.headers) {
    if (text::iequals(name, "transfer-encoding")) return true;
    if (text::iequals(name, "content-length") && value != "0") return true;
  }
  return false;
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return !path.empty() && ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// What the journal and the log keep about one request.
struct outcome {
  std::string scenario;
  std::string route;
  std::string fault;
  std::string appcode;
  std::chrono::milliseconds delay{0};  // the answer leaves this much later than it is made
  std::optional<std::string> kddh;     // on calls to the service: what the referee saw
  std::optional<bool> tel;
  bool billed = false;
};

// What the journal keeps of a request.
struct asked {
  std::string_view method, target;
  const std::string& remote;
};

}  // namespace

struct mock_server::parts {
  explicit parts(const mock_options& o)
      : options(o),
        clock(o.now_seconds, o.clock_rate > 0),
        simulator(simulator_config_from(o, clock.trace_anchor_seconds()), o.referee),
        fixtures(o.fixtures_path,
                 [this](std::shared_ptr<const fixture_set> set) {
                   simulator.with_state([&](simulator_state& s) { set_fixtures(s, std::move(set)); });
                 }),
        journal_(o.journal_size),
        log(o.log_target),
        admin_calls(
            simulator, journal_, fixtures, [this] { return health(); }, [this] { return clock.now_ms(); }),
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
  outcome simulated(const Request& req, Response& res);
  outcome plan(const kuaidi::simulation& answered, direct_answer& out);
  outcome plan(const answered_request& answered, direct_answer& out);
  outcome send(const answered_request& answered, Response& res);
  void write(const direct_answer& a, Response& res);
  bool direct(const request_head& head, const std::string& remote, std::string& out);
  outcome admin(const Request& req, Response& res);
  std::optional<outcome> static_file(const Request& req, Response& res);
  handled library_error(const Request& req, Response& res);
  void add_common_headers(Response& res) const;
  void record(const Request& req, const Response& res, const outcome& what, steady::time_point started);
  void record(const asked& request, int status, std::string_view request_id, const outcome& what,
              steady::time_point started);
  void record_refused(const refused_request& refused, int status, std::string request_id, std::string detail);
  void keep(journal_entry entry);
  std::string unreadable_answer(const refused_request& refused);
  json health() const;

  const mock_options options;
  const std::string web_root = is_directory(options.web_root) ? options.web_root : std::string();
  static_files static_files_{web_root};
  mock_clock clock;
  simulation_host simulator;
  fixture_store fixtures;
  journal journal_;
  request_log log;
  admin_api admin_calls;
  tuned_server server;
  int bound_port = 0;
  steady::time_point started_at = steady::now();
};

void mock_server::parts::wire() {
  server.set_pre_routing_handler([this](const Request& req, Response& res) {
    // Bodies of the methods httplib reads one for go through its handlers, which read it first;
    // any other body (a GET's) is skipped by the event loop, and httplib has no route for it.
    const bool body_read =
        req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE";
    if (body_read && has_body(req)) return handled::Unhandled;
    return dispatch(req, res);
  });
  const auto with_body = [this](const Request& req, Response& res) { dispatch(req, res); };
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Delete(".*", with_body);
  server.Options(".*", with_body);
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const Request& req, Response& res) { return library_error(req, res); }));
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
    res.status = 500;
    res.set_header("X-Mock-Error", "1");
    res.set_content(dump(json{{"error", "kuaidi-mock failed on this request: " + what},
                              {"hint", "please report it with the request that caused it"}}),
                    "application/json");
    record(req, res, {"", "mock_error", "", "", {}, {}, {}, false}, started);
  });
  server.unreadable_request_answer = [this](const refused_request& refused) {
    return unreadable_answer(refused);
  };
  server.direct_route = [this](const request_head& head, const std::string& remote, std::string& out) {
    return direct(head, remote, out);
  };
}

// The headers of answers the simulator does not make (admin, static files, refusals): the same
// request id and CORS headers as the gateway's, so a page on another origin can read them too.
void mock_server::parts::add_common_headers(Response& res) const {
  res.set_header("X-Ca-Request-Id", new_request_id());
  for (const auto& [name, value] : gateway_cors_headers(options.expose_headers)) res.set_header(name, value);
}

handled mock_server::parts::dispatch(const Request& req, Response& res) {
  const auto started = steady::now();
  // The Request is httplib's own non-const object, handed to handlers by const reference; a proxy
  // client's absolute form reaches the admin API and the page's files like a direct request.
  auto& path = const_cast<Request&>(req).path;
  path = std::string(origin_form(path));
  const outcome what = route(req, res);
  // Range is ignored, as HTTP allows: httplib would cut a /query body and still send 200.
  const_cast<Request&>(req).ranges.clear();
  record(req, res, what, started);
  return handled::Handled;
}

// The mock's own paths (admin API, OpenAPI, the page's files) are answered here; everything
// else is a request to the service, answered by the simulator.
outcome mock_server::parts::route(const Request& req, Response& res) {
  const std::string& path = req.path;
  const bool to_service =
      req.target.size() > options.max_url_length || req.method == "OPTIONS" || path == "/query";
  if (!to_service) {
    if (path == "/__admin" || path.rfind("/__admin/", 0) == 0)
      return add_common_headers(res), admin(req, res);
    if (path == "/openapi.json" && req.method == "GET") {
      const std::string host = req.has_header("Host") ? req.get_header_value("Host")
                                                      : options.host + ":" + std::to_string(bound_port);
      add_common_headers(res);
      res.status = 200;
      res.set_content(dump(openapi_document(options.gateway, "http://" + host, clock.trace_anchor_seconds())),
                      "application/json");
      return {};
    }
    if (req.method == "GET" || req.method == "HEAD")
      if (auto served = static_file(req, res)) return *served;
  }
  return simulated(req, res);
}

outcome mock_server::parts::simulated(const Request& req, Response& res) {
  gateway_request request;
  request.method = req.method;
  request.target = req.target;
  request.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) request.headers.push_back({name, value});
  request.remote_addr = req.remote_addr;
  request.now_ms = clock.now_ms();
  return send(simulator.answer(std::move(request)), res);
}

// A call to the service: what the referee saw goes to the journal too.
outcome mock_server::parts::plan(const answered_request& answered, direct_answer& out) {
  outcome what = plan(answered.answered, out);
  if (const auto& seen = answered.observed) {
    what.kddh = seen->params.kddh;
    what.tel = seen->params.tel && !seen->params.tel->empty();
    what.billed = seen->billed;
  }
  return what;
}

// What the transport does with a simulated answer: the faults it performs, and the headers and
// body it sends (the Content-Type is the body's).
outcome mock_server::parts::plan(const kuaidi::simulation& answered, direct_answer& out) {
  const answer_record& r = answered.record;
  const simulated_answer& a = answered.answer;
  const std::chrono::milliseconds delay(r.latency_ms);
  outcome what{r.answered ? std::string(r.answered->id) : std::string(),
               r.route,
               r.injected.empty() ? std::string() : r.injected.name(),
               r.appcode,
               delay,
               {},
               {},
               false};
  if (delay.count() > 0) tuned_server::delay_current_answer(delay);
  out.status = a.status;
  out.headers.clear();
  out.content_type = {};
  out.body = {};
  out.truncated = false;
  for (const auto& [name, value] : a.headers) {
    if (text::iequals(name, "Content-Type"))
      out.content_type = value;
    else
      out.headers.push_back({name, value});
  }
  const transport_fault transport = r.injected.transport;
  if (transport == transport_fault::reset) {
    tuned_server::reset_current_connection();
    out.content_type = {};
    return what;
  }
  out.body = a.body;
  // Content-Length promises the whole body; half of it comes, then the connection closes.
  out.truncated = transport == transport_fault::truncate && !a.body.empty();
  return what;
}

outcome mock_server::parts::send(const answered_request& answered, Response& res) {
  direct_answer a;
  const outcome what = plan(answered, a);
  write(a, res);
  return what;
}

// The planned answer handed to httplib.
void mock_server::parts::write(const direct_answer& a, Response& res) {
  for (const auto& [name, value] : a.headers) res.set_header(std::string(name), std::string(value));
  res.status = a.status;
  if (a.truncated) {
    auto body = std::make_shared<std::string>(a.body);
    res.set_content_provider(body->size(), std::string(a.content_type),
                             [body](size_t, size_t, httplib::DataSink& sink) {
                               sink.write(body->data(), body->size() / 2);
                               return false;
                             });
  } else if (!a.content_type.empty()) {
    res.set_content(std::string(a.body), std::string(a.content_type));
  }
}

// GET /query, the request clients repeat, answered from its plain head without httplib; the
// error handler has nothing to add to it (every simulated answer carries X-Ca-Request-Id).
bool mock_server::parts::direct(const request_head& head, const std::string& remote, std::string& out) {
  const std::string_view target = head.target;
  if (head.method != "GET" || target.substr(0, 6) != "/query" || (target.size() > 6 && target[6] != '?'))
    return false;
  const auto started = steady::now();
  gateway_request request;
  request.target = std::string(target);
  request.headers.reserve(head.headers.size());
  for (const auto& h : head.headers) request.headers.push_back({std::string(h.name), std::string(h.value)});
  request.remote_addr = remote;
  request.now_ms = clock.now_ms();
  const std::size_t written = out.size();
  try {
    const answered_request answered = simulator.answer(std::move(request));
    thread_local direct_answer a;  // its vector reused, request after request
    const outcome what = plan(answered, a);
    server.write_answer(out, head, a);
    record({head.method, target, remote}, a.status, answered.answered.answer.header("X-Ca-Request-Id"), what,
           started);
  } catch (const std::exception&) {
    out.resize(written);
    return false;  // httplib's route answers it again, and its exception handler says what failed
  }
  return true;
}

void mock_server::parts::record(const Request& req, const Response& res, const outcome& what,
                                steady::time_point started) {
  record({req.method, req.target, req.remote_addr}, res.status, res.get_header_value("X-Ca-Request-Id"), what,
         started);
}

void mock_server::parts::record(const asked& request, int status, std::string_view request_id,
                                const outcome& what, steady::time_point started) {
  if (!log.enabled() && !journal_.keeps()) return;
  journal_entry entry;
  entry.time_ms = system_now_ms();
  entry.request_id = std::string(request_id);
  entry.remote = request.remote;
  entry.method = std::string(request.method);
  entry.target = std::string(request.target);
  entry.appcode = what.appcode;
  entry.status = status;
  entry.scenario = what.scenario;
  entry.route = what.route;
  entry.fault = what.fault;
  entry.kddh = what.kddh;
  entry.tel = what.tel;
  entry.billed = what.billed;
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
  outcome what{"", "library_error", "", "", {}, {}, {}, false};
  const auto plain = [&](int status, const std::string& message) {
    res.status = status;
    res.set_content(message + "\n", "text/plain");
  };
  const read_failure failure = tuned_server::current_read_failure();
  // After a request httplib could not parse, the next bytes cannot be trusted to start one.
  tuned_server::close_current_connection();
  res.set_header("Connection", "close");
  if (res.status == 414) {
    res.headers.clear();
    what = send(
        {simulate_target_too_long(simulator.config(), clock.now_ms(), request_entropy()), std::nullopt}, res);
    res.set_header("Connection", "close");
  } else if (res.status == 413) {
    plain(413, refusal_text(options, 413));
  } else if (failure == read_failure::too_large) {
    plain(431, refusal_text(options, 431));
  } else if (failure == read_failure::too_slow) {
    plain(408, refusal_text(options, 408));
  } else {
    plain(res.status, refusal_text(options, res.status));
  }
  record(req, res, what, started);
  return handled::Handled;
}

// Bytes for a request httplib never parsed: there is no Response to fill, so write them here.
std::string mock_server::parts::unreadable_answer(const refused_request& refused) {
  refusal answer;
  std::vector<http_header> headers;
  if (refused.why == read_failure::line_too_long) {
    kuaidi::simulation too_long =
        simulate_target_too_long(simulator.config(), clock.now_ms(), request_entropy());
    answer.status = too_long.answer.status;
    headers = std::move(too_long.answer.headers);
  } else {
    answer = unreadable_refusal(options, refused.why, refused.problem);
    headers = {{"Content-Type", "text/plain"}, {"X-Ca-Request-Id", new_request_id()}};
    for (auto& header : gateway_cors_headers(options.expose_headers)) headers.push_back(std::move(header));
  }
  std::string request_id;
  for (const auto& [name, value] : headers)
    if (name == "X-Ca-Request-Id") request_id = value;
  record_refused(refused, answer.status, request_id, answer.body);
  return closing_answer(answer.status, headers, answer.body);
}

json mock_server::parts::health() const {
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(steady::now() - started_at);
  json out = {{"status", "ok"},
              {"version", mock_version},
              {"gateway", to_string(options.gateway)},
              {"platform", to_string(options.mode)},
              {"port", bound_port},
              {"uptime_s", uptime.count()},
              {"clock_pinned", clock.pinned()},
              {"now_ms", clock.now_ms()},
              {"web_root", web_root.empty() ? json(nullptr) : json(web_root)}};
  if (fixtures.configured()) out["fixtures"] = fixtures.status();
  return out;
}

outcome mock_server::parts::admin(const Request& req, Response& res) {
  admin_call call{req.method, req.path.substr(std::string("/__admin").size()), std::nullopt, req.body, {}};
  if (call.path.empty()) call.path = "/";
  if (req.has_param("limit")) call.limit = req.get_param_value("limit");
  for (const auto& [name, value] : req.params) call.query.emplace_back(name, value);
  const admin_reply reply = admin_calls.handle(call);
  res.status = reply.status;
  res.set_content(dump(reply.body), "application/json");
  return {};
}

// nullopt when the page has no such file: the request goes on to the service.
std::optional<outcome> mock_server::parts::static_file(const Request& req, Response& res) {
  const std::string path = req.path == "/" ? "/index.html" : req.path;
  if (const auto entry = static_files_.find(path)) {
    add_common_headers(res);
    res.status = 200;
    // Revalidated on each load, so a rebuilt page is never served stale from the browser's cache.
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", entry->etag);
    res.set_header("Last-Modified", entry->last_modified);
    res.set_header("Vary", "Accept-Encoding");
    if (etag_matches(req.get_header_value("If-None-Match"), entry->etag)) {
      res.status = 304;
      return outcome{};
    }
    if (entry->identity.empty()) {  // cpp-httplib 0.11.4 never sends the answer of a 0-byte provider
      res.set_content(std::string(), entry->content_type);
      return outcome{};
    }
    const static_file_body body = choose_body(entry, req.get_header_value("Accept-Encoding"));
    if (body.encoding) res.set_header("Content-Encoding", body.encoding);
    // A content provider with a length is sent as is: httplib compresses only set_content bodies.
    res.set_content_provider(body.bytes->size(), entry->content_type,
                             [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                               return sink.write(body.bytes->data() + offset, length);
                             });
    return outcome{};
  }
  if (req.path == "/" || req.path == "/index.html") {
    add_common_headers(res);
    res.status = 200;
    res.set_content(placeholder_page, "text/html; charset=utf-8");
    return outcome{};
  }
  return std::nullopt;
}

mock_server::mock_server(const mock_options& options) : parts_(std::make_unique<parts>(options)) {
  parts_->wire();
}

mock_server::~mock_server() = default;

result<> mock_server::start() {
  if (!parts_->log.ok()) return fail("cannot open the log file " + parts_->options.log_target);
  if (parts_->fixtures.configured()) {
    const auto loaded = parts_->fixtures.reload();
    if (!loaded) return fail(loaded.error());
    parts_->fixtures.watch(std::chrono::milliseconds(250), [this](const fixture_store::loaded& r) {
      json line = {{"event", r ? "fixtures_reloaded" : "fixtures_rejected"}};
      if (r)
        line["count"] = *r;
      else
        line["error"] = r.error();
      parts_->log.write(line);
    });
  }
  const int port = parts_->server.bind(parts_->options.host, parts_->options.port);
  if (port < 0)
    return fail("cannot listen on " + parts_->options.host + ":" + std::to_string(parts_->options.port) +
                " (" + std::strerror(errno) + "): choose another --port, or --port 0 for any free one");
  parts_->bound_port = port;
  return {};
}

kuaidi::referee_report mock_server::report() const {
  return parts_->simulator.with_referee([](const referee& judge) { return judge.report(); });
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
