// Soak driver for kuaidi-mock (issue 5): mixed traffic over every catalogue entry against a
// classic and a VPC gateway server at once (HEAD for a tenth of the natural queries), with faults,
// fixture rewrites and quota resets. Every answer is checked byte for byte against what the core
// builds from the catalogue (a HEAD answer: the GET answer's head); the servers' RSS, descriptors
// and journal are sampled. scripts/soak_mock.sh starts the servers with
// `--server-args` and the file from `--write-fixtures`, then runs this; see --help.

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_text.hpp"
#include "kuaidi/accounts.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "kuaidi/faults.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/simulator.hpp"
#include "kuaidi/synthetic_trace.hpp"
#include "kuaidi/time.hpp"
#include "request_id.hpp"

#ifndef KUAIDI_VECTORS_DIR
#define KUAIDI_VECTORS_DIR "tests/vectors"
#endif

namespace kuaidi::soak {
namespace {

using json = nlohmann::json;
using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;
using kuaidi::transport_fault;
using header_list = std::vector<std::pair<std::string, std::string>>;

// What the servers run with; printed by --server-args so that the script never repeats it.
constexpr const char* pinned_clock = "2022-10-27T19:30:00+08:00";
constexpr int backend_timeout_ms = 400;
constexpr const char* server_latency = "0-2";
constexpr const char* server_fault_rate = "0.03";
// Every random fault shows on the wire; resets are asked per request only, so an unasked one is wrong.
constexpr const char* server_faults =
    "malformed,truncate,timeout,throttle,service_busy,backend_unreachable,gateway_internal";
constexpr std::size_t journal_capacity = 1000;  // the documented default, passed explicitly
constexpr int keep_alive_timeout_s = 60;
constexpr std::size_t max_url_length = 8000;  // the documented default
constexpr int quota_calls = 12;

constexpr auto answer_timeout = 60s;         // no answer by then is a failure, however loaded the machine
constexpr auto reuse_limit = 10s;            // reopen idle connections long before the keep-alive ends
constexpr auto fixture_switch_limit = 60s;   // the watcher reloads within a second
constexpr auto descriptor_settle_limit = 30s;
constexpr std::int64_t rss_floor_kb = 2048;  // RSS growth below this is noise, whatever the ratio
constexpr double rss_growth_limit = 0.10;
// More than the mock's trace (8192) and answer (4096) caches hold: priming fills and clears both.
constexpr std::size_t pool_size = 9000;
constexpr std::size_t kept_wrong_answers = 12;

struct soak_account {
  const char* code;
  std::string quota_and_state;  // the --appcode suffix
  const char* refusal;          // the catalogue id the gateway answers, nullptr when admitted
};

const soak_account main_account{"SOAKMAINCODE000001", "unlimited", nullptr};
const soak_account quota_account{"SOAKQUOTACODE00002", std::to_string(quota_calls), nullptr};
const soak_account refused_accounts[] = {
    {"SOAKEXPIREDCODE003", "unlimited:expired", "quota_expired"},
    {"SOAKUNAUTHCODE0004", "unlimited:unauthorized", "unauthorized"},
    {"SOAKARREARSCODE005", "unlimited:arrears", "user_arrears"},
};

std::vector<std::string> server_args() {
  std::vector<std::string> args = {"--now", pinned_clock,
                                   "--backend-timeout", std::to_string(backend_timeout_ms),
                                   "--latency", server_latency,
                                   "--fault-rate", server_fault_rate,
                                   "--faults", server_faults,
                                   "--journal-size", std::to_string(journal_capacity),
                                   "--keep-alive-timeout", std::to_string(keep_alive_timeout_s),
                                   "--max-url-length", std::to_string(max_url_length)};
  for (const soak_account* a : {&main_account, &quota_account, &refused_accounts[0],
                                &refused_accounts[1], &refused_accounts[2]}) {
    args.push_back("--appcode");
    args.push_back(std::string(a->code) + ":" + a->quota_and_state);
  }
  return args;
}

std::int64_t anchor_seconds() {
  static const std::int64_t anchor = *kuaidi::parse_instant(pinned_clock);
  return anchor;
}

const scenario& entry(std::string_view id) {
  const scenario* s = find_scenario(id);
  if (!s) {
    std::cerr << "soak: the catalogue has no entry '" << id << "': the driver is out of date\n";
    std::exit(2);
  }
  return *s;
}

std::string cut(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : text.substr(0, n) + "…(" + std::to_string(text.size()) + " bytes)";
}

// An HTTP/1.1 request as the driver writes it on the socket.
struct wire_request {
  std::string method = "GET";
  std::string target;
  header_list headers;
  std::string body;
  bool close = false;

  std::string bytes() const {
    std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (close) out += "Connection: close\r\n";
    return out + "\r\n" + body;
  }

  // For the report: AppCodes masked, as the mock itself logs them.
  std::string describe() const {
    std::string out = method + " " + cut(target, 160);
    for (const auto& [name, value] : headers) {
      const auto code = mock::iequals(name, "Authorization") ? kuaidi::appcode_from_authorization(value)
                                                         : std::nullopt;
      out += "; " + name + ": " + (code ? "APPCODE " + kuaidi::mask_appcode(*code) : value);
    }
    return out;
  }
};

enum class delivery { complete, reset, closed_before_answer, cut_short, timed_out, unreachable, garbled };

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

struct wire_answer {
  delivery what = delivery::unreachable;
  bool sent = false;  // the request left whole, so the server has it
  int status = 0;
  header_list headers;
  std::string body;
  std::optional<std::size_t> content_length;
  std::string problem;
  bool to_head = false;  // the answer to a HEAD request: a head, and no body

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (mock::iequals(n, name)) return v;
    return std::nullopt;
  }
  int header_count(std::string_view name) const {
    return static_cast<int>(std::count_if(headers.begin(), headers.end(),
                                          [&](const auto& h) { return mock::iequals(h.first, name); }));
  }
  std::string describe() const {
    if (what != delivery::complete && what != delivery::cut_short)
      return std::string(to_string(what)) + (problem.empty() ? "" : " (" + problem + ")");
    std::string out = std::to_string(status);
    for (const char* name : {"Content-Type", "Content-Length", "X-Ca-Error-Code", "X-Ca-Error-Message",
                             "X-Soak-Version", "X-Mock-Error"})
      if (auto v = header(name)) out += "; " + std::string(name) + ": " + *v;
    if (what == delivery::cut_short) out += "; closed after " + std::to_string(body.size()) + " body bytes";
    return out + "; body " + cut(body, 300);
  }
};

bool parse_head(std::string_view head, wire_answer& a) {
  std::size_t end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, end);
  if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 ") return false;
  a.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  while (end != std::string_view::npos && end + 2 < head.size()) {
    const std::size_t start = end + 2;
    end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, end == std::string_view::npos ? end : end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    a.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  if (auto length = a.header("Content-Length")) a.content_length = std::strtoull(length->c_str(), nullptr, 10);
  return a.status > 0;
}

// Raw keep-alive HTTP/1.1, no library in between: a truncated body or a reset must show as such.
class connection {
 public:
  explicit connection(int port) : port_(port) {}
  ~connection() { drop(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  wire_answer exchange(const wire_request& r) {
    wire_answer a = send(r);
    return a.sent ? receive(r) : a;
  }

  // The request alone: its answer is read later by receive(), meanwhile other work goes on.
  wire_answer send(const wire_request& r) {
    wire_answer a;
    if (fd_ >= 0 && steady::now() - idle_since_ > reuse_limit) drop();
    if (fd_ < 0 && !open(a.problem)) return a;
    if (!send_all(r.bytes())) {
      a.what = delivery::closed_before_answer;
      a.problem = std::string("send: ") + std::strerror(errno);
      drop();
      return a;
    }
    a.sent = true;
    return a;
  }

  wire_answer receive(const wire_request& r) {
    wire_answer a;
    a.sent = true;
    if (!read_answer(r, a)) {
      drop();
      return a;
    }
    if (r.close || mock::iequals(a.header("Connection").value_or(""), "close")) drop();
    idle_since_ = steady::now();
    return a;
  }

  void drop() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    pending_.clear();
  }

 private:
  bool open(std::string& problem) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const timeval wait{static_cast<time_t>(std::chrono::seconds(answer_timeout).count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
    const int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return true;
    problem = std::string("connect: ") + std::strerror(errno);
    drop();
    return false;
  }

  bool send_all(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Appends what arrives; false with `what` set when the connection ended or stalled.
  bool receive_more(wire_answer& a, delivery if_closed) {
    char chunk[16384];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) return pending_.append(chunk, static_cast<std::size_t>(n)), true;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) a.what = delivery::timed_out;
      else if (n < 0 && errno == ECONNRESET && if_closed == delivery::closed_before_answer) a.what = delivery::reset;
      else a.what = if_closed;
      if (n < 0) a.problem = std::strerror(errno);
      return false;
    }
  }

  bool read_answer(const wire_request& r, wire_answer& a) {
    a.to_head = r.method == "HEAD";
    std::size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!receive_more(a, pending_.empty() ? delivery::closed_before_answer : delivery::garbled)) return false;
    if (!parse_head(std::string_view(pending_).substr(0, head_end), a)) {
      a.what = delivery::garbled;
      a.problem = "unreadable head: " + cut(pending_.substr(0, head_end), 200);
      return false;
    }
    const std::size_t body_start = head_end + 4;
    const bool bodiless = a.to_head || a.status == 204 || a.status == 304 || a.status < 200;
    if (!bodiless && !a.content_length) {
      a.what = delivery::garbled;
      a.problem = "no Content-Length";
      return false;
    }
    const std::size_t length = bodiless ? 0 : *a.content_length;
    while (pending_.size() < body_start + length) {
      if (!receive_more(a, delivery::cut_short)) {
        a.body = pending_.substr(body_start);
        if (a.what == delivery::reset) a.what = delivery::cut_short;
        return false;
      }
    }
    a.body = pending_.substr(body_start, length);
    pending_.erase(0, body_start + length);
    a.what = delivery::complete;
    if (!pending_.empty()) {
      a.what = delivery::garbled;
      a.problem = std::to_string(pending_.size()) + " stray bytes after the answer";
      return false;
    }
    return true;
  }

  int port_;
  int fd_ = -1;
  steady::time_point idle_since_ = steady::now();
  std::string pending_;
};

// One exact answer: status, Content-Type, body bytes and the documented headers.
struct answer_spec {
  std::string label;                        // catalogue id, or what the fixture pinned
  int status = 0;
  std::optional<std::string> content_type;  // nullopt: no Content-Type at all
  std::string body;
  header_list required;
  std::vector<std::string> forbidden;
  int version = 0;  // the fixture version this answer belongs to; 0 when fixtures play no part
};

constexpr const char* version_header = "X-Soak-Version";

answer_spec vendor_spec(const scenario& s, std::string_view kdmc, std::string_view number,
                        std::string_view appid = {}) {
  answer_spec a;
  a.label = std::string(s.id);
  a.status = s.http_status;
  a.content_type = std::string(kuaidi::vendor_content_type);
  a.body = build_answer_body(s, kdmc, number, appid);
  a.forbidden = {"X-Ca-Error-Message", "X-Ca-Error-Code", version_header, "X-Mock-Error"};
  return a;
}

answer_spec gateway_spec(const scenario& s, gateway_generation g) {
  const gateway_error& e = gateway_error_for(s, g);
  answer_spec a;
  a.label = std::string(s.id);
  a.status = e.http_status;
  a.content_type = "text/plain;charset=UTF-8";  // gateway.md §4, the classic capture
  a.required.emplace_back("X-Ca-Error-Message", std::string(e.message));
  if (e.code.empty()) a.forbidden.push_back("X-Ca-Error-Code");
  else a.required.emplace_back("X-Ca-Error-Code", std::string(e.code));
  a.forbidden.push_back(version_header);
  a.forbidden.push_back("X-Mock-Error");
  return a;
}

answer_spec trace_body_spec(const trace& t) {
  answer_spec a = vendor_spec(entry("success"), {}, {});
  a.body = build_trace_body(t);
  return a;
}

// The mock's synthetic trace for a number, which is deterministic once the clock is pinned.
answer_spec synthetic_trace_spec(const std::string& number, const carrier& by) {
  return trace_body_spec(kuaidi::synthesize_trace(number, by, anchor_seconds(), anchor_seconds()));
}

// The bytes of one of the mock's vendor-stage decisions (query_answer.hpp), which the driver
// shares: what it checks is that the server sends exactly these, under load and faults.
answer_spec outcome_spec(const kuaidi::vendor_outcome& o, std::string_view appid = {}) {
  if (!o.answer) return synthetic_trace_spec(o.tracking_number, *o.named);
  return vendor_spec(*o.answer, o.named ? o.named->name_zh : std::string_view{}, o.tracking_number, appid);
}

struct raw_fixture {
  int status = 200;
  std::string content_type;  // empty: left out of the file, so the documented default applies
  std::string body;
  std::string version;
};

struct fixture_entry {
  explicit fixture_entry(std::string number, std::string phone_tail = {})
      : kddh(std::move(number)), tel(std::move(phone_tail)) {}
  std::string kddh;
  std::string tel;
  const scenario* answer = nullptr;
  std::optional<trace> pinned;
  bool kdmc_in_file = true;
  std::optional<raw_fixture> raw;
};

constexpr const char* fixture_trace_number = "JT9000000000001";
constexpr const char* fixture_scenario_number = "JT9000000000002";
constexpr const char* fixture_response_number = "JT9000000000003";
constexpr const char* fixture_tel_number = "SF9000000000004";
constexpr const char* fixture_tel = "8888";
constexpr const char* fixture_blink_number = "YT9000000000005";
// A large file's slow reload must not land after a quicker newer one: padding makes it large.
constexpr int padding_fixtures = 4000;  // ~30 ms to reload on a quiet machine; larger fragments the heap
constexpr std::string_view padding_prefix = "JT8000000";

std::string padding_number(int i) {
  std::string digits = std::to_string(i);
  return std::string(padding_prefix) + std::string(6 - digits.size(), '0') + digits;
}

bool is_fixture_number(std::string_view number) {
  for (const char* n : {fixture_trace_number, fixture_scenario_number, fixture_response_number,
                        fixture_tel_number, fixture_blink_number})
    if (number == n) return true;
  return false;
}

trace version_trace(const std::string& number, int version, const carrier& named) {
  trace t;
  t.status = version % 7;
  t.carrier_name = std::string(named.name_zh);
  t.tracking_number = number;
  for (int i = 1 + version % 3; i >= 1; --i)
    t.events.push_back({kuaidi::china_time(anchor_seconds() - 3600 * i - version),
                        "soak fixture v" + std::to_string(version) + " event " + std::to_string(i)});
  return t;
}

// Version `version` of the fixture file: every kind of pinned answer, each telling its version.
std::vector<fixture_entry> fixture_plan(int version) {
  std::vector<fixture_entry> plan;
  fixture_entry traced{fixture_trace_number};
  // Odd versions leave kdmc out: the mock then names the detected carrier.
  traced.kdmc_in_file = version % 2 == 0;
  traced.pinned = version_trace(traced.kddh, version,
                                traced.kdmc_in_file ? *find_carrier("yuantong") : *kuaidi::named_carrier(traced.kddh, {}));
  plan.push_back(traced);

  fixture_entry pinned_scenario{fixture_scenario_number};
  const auto every = all_scenarios();
  pinned_scenario.answer = &every.first[(static_cast<std::size_t>(version) * 7) % every.size()];
  plan.push_back(pinned_scenario);

  fixture_entry raw{fixture_response_number};
  const int statuses[] = {200, 666, 503, 404};
  raw.raw = raw_fixture{statuses[version % 4], version % 3 == 0 ? "" : "text/plain; charset=utf-8",
                        json({{"soak_version", version}}).dump(), std::to_string(version)};
  plan.push_back(raw);

  fixture_entry with_tel{fixture_tel_number, fixture_tel};
  with_tel.pinned = version_trace(with_tel.kddh, version, *find_carrier("shunfeng"));
  plan.push_back(with_tel);

  // Present in even versions only: removing a fixture must bring the synthetic answer back.
  if (version % 2 == 0) {
    fixture_entry blink{fixture_blink_number};
    blink.answer = &entry("no_record");
    plan.push_back(blink);
  }
  return plan;
}

json fixture_json(const fixture_entry& f) {
  json e = {{"kddh", f.kddh}};
  if (!f.tel.empty()) e["tel"] = f.tel;
  if (f.answer) {
    e["scenario"] = f.answer->id;
  } else if (f.pinned) {
    json events = json::array();
    for (const auto& ev : f.pinned->events) events.push_back({{"time", ev.time}, {"content", ev.content}});
    json t = {{"status", f.pinned->status}, {"events", events}};
    if (f.kdmc_in_file) t["kdmc"] = f.pinned->carrier_name;
    e["trace"] = t;
  } else {
    json r = {{"status", f.raw->status}, {"headers", {{version_header, f.raw->version}}}, {"body", f.raw->body}};
    if (!f.raw->content_type.empty()) r["content_type"] = f.raw->content_type;
    e["response"] = r;
  }
  return e;
}

json fixture_document(int version, bool padded = false) {
  json list = json::array();
  for (const auto& f : fixture_plan(version)) list.push_back(fixture_json(f));
  for (int i = 0; padded && i < padding_fixtures; ++i)
    list.push_back({{"kddh", padding_number(i)}, {"scenario", "no_record"}});
  return {{"fixtures", list}};
}

// A file with one mistake, and the place the mock's message must name ("" for broken JSON).
struct broken_file {
  std::string text;
  std::string place;
  std::string kind;
};

broken_file broken_fixture_file(int version, unsigned mistake) {
  json doc = fixture_document(version);
  json& list = doc["fixtures"];
  const std::string appended = "fixtures[" + std::to_string(list.size()) + "]";
  switch (mistake % 6) {
    case 0: {
      const std::string text = doc.dump(2);
      return {text.substr(0, text.size() / 2), "", "JSON cut in half"};
    }
    case 1: list[1]["colour"] = "red"; return {doc.dump(2), "fixtures[1]", "unknown field"};
    case 2: list[0]["trace"]["events"][0]["time"] = "yesterday";
      return {doc.dump(2), "fixtures[0].trace.events[0].time", "bad event time"};
    case 3: list[1]["scenario"] = "soak_no_such_scenario"; return {doc.dump(2), "fixtures[1].scenario", "unknown scenario"};
    case 4: list.push_back({{"kddh", "JT900000000000000000001"}, {"scenario", "no_record"}});
      return {doc.dump(2), appended, "kddh the API refuses"};
    default: list.push_back(list[0]); return {doc.dump(2), appended, "duplicate entry"};
  }
}

const fixture_entry* find_fixture(const std::vector<fixture_entry>& plan, const std::string& number,
                                  const std::string& tail) {
  const fixture_entry* without_tel = nullptr;
  for (const auto& f : plan) {
    if (f.kddh != number) continue;
    if (!tail.empty() && f.tel == tail) return &f;
    if (f.tel.empty()) without_tel = &f;
  }
  return without_tel;
}

// Plans by version, built once: answers are checked against many versions at a time.
class fixture_book {
 public:
  const std::vector<fixture_entry>& plan(int version) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = plans_.find(version);
    if (it == plans_.end()) it = plans_.emplace(version, fixture_plan(version)).first;
    return it->second;
  }
  int written() const { return written_; }
  void now_writing(int version) { written_ = version; }

 private:
  std::mutex mutex_;
  std::map<int, std::vector<fixture_entry>> plans_;
  std::atomic<int> written_{1};  // newest valid version on disk, or being written
};

answer_spec scenario_fixture_spec(const scenario& s, const std::string& number, gateway_generation g) {
  if (s.source == answer_source::gateway) return gateway_spec(s, g);
  return outcome_spec(kuaidi::fixture_outcome(s, number));
}

answer_spec fixture_spec(const fixture_entry& f, gateway_generation g, int version) {
  answer_spec a;
  if (f.answer) {
    a = scenario_fixture_spec(*f.answer, f.kddh, g);
  } else if (f.pinned) {
    a = trace_body_spec(*f.pinned);
  } else {
    a.status = f.raw->status;
    a.content_type = f.raw->content_type.empty() ? std::string(kuaidi::vendor_content_type) : f.raw->content_type;
    a.body = f.raw->body;
    a.required.emplace_back(version_header, f.raw->version);
  }
  a.label = "fixture v" + std::to_string(version) + " " + f.kddh + (a.label.empty() ? "" : " " + a.label);
  a.version = version;
  return a;
}

// What the mock's vendor stage answers for a valid number without a fixture (README: synthetic traces).
answer_spec synthetic_spec(const validation& checked) { return outcome_spec(kuaidi::synthetic_outcome(checked)); }

// The vendor's answer for each fixture version in [lo, hi], newest first (the first fit is the newest).
std::vector<answer_spec> natural_specs(const std::string& vendor_query, gateway_generation g,
                                       fixture_book& book, int lo, int hi) {
  const request_params params = params_from_query_string(vendor_query);
  const validation checked = validate(params);
  if (!checked.passed())
    return {vendor_spec(*checked.answer, {}, checked.request.tracking_number, params.appid.value_or(""))};
  const tracking_request& r = checked.request;
  if (!is_fixture_number(r.tracking_number)) return {synthetic_spec(checked)};
  std::vector<answer_spec> specs;
  for (int v = hi; v >= lo; --v) {
    const fixture_entry* f = find_fixture(book.plan(v), r.tracking_number, r.phone_tail);
    answer_spec a = f ? fixture_spec(*f, g, v) : synthetic_spec(checked);
    a.version = v;
    specs.push_back(std::move(a));
  }
  return specs;
}

// A forced vendor answer (README: the other query parameters are kept).
answer_spec forced_spec(const scenario& s, const request_params& params) {
  return outcome_spec(kuaidi::forced_outcome(s, params), params.appid.value_or(""));
}

// The gateway's refusal for an Authorization header, nullptr when the call is admitted.
const scenario* gateway_refusal(const std::optional<std::string>& authorization) {
  if (!authorization) return &entry("auth_missing");
  const auto code = kuaidi::appcode_from_authorization(*authorization);
  if (!code) return &entry("appcode_invalid");
  if (*code == main_account.code || *code == quota_account.code) return nullptr;
  for (const auto& a : refused_accounts)
    if (*code == a.code) return &entry(a.refusal);
  return &entry("appcode_invalid");
}

// A GET /query in the terms the mock decides on.
struct query_plan {
  std::string vendor_query;
  std::optional<std::string> authorization;
  std::optional<std::string> scenario;
  bool scenario_in_query = false;
  std::optional<std::string> fault;
  bool fault_in_query = false;
  std::optional<std::string> latency;
  bool latency_in_query = false;
  bool close = false;
  bool head = false;

  wire_request request() const {
    wire_request r;
    if (head) r.method = "HEAD";
    std::string query = vendor_query;
    const auto add = [&](const char* name, const std::optional<std::string>& value, bool in_query,
                         const char* header) {
      if (!value) return;
      if (in_query) query += (query.empty() ? "" : "&") + std::string(name) + "=" + *value;
      else r.headers.emplace_back(header, *value);
    };
    add("__scenario", scenario, scenario_in_query, "X-Mock-Scenario");
    add("__fault", fault, fault_in_query, "X-Mock-Fault");
    add("__latency", latency, latency_in_query, "X-Mock-Latency");
    if (authorization) r.headers.emplace_back("Authorization", *authorization);
    r.target = "/query" + (query.empty() ? std::string() : "?" + query);
    r.close = close;
    return r;
  }
};

// Every answer the request may get, and which faults may change it.
struct expectation {
  std::vector<answer_spec> answers;                   // exactly one of these
  transport_fault asked = transport_fault::none;      // X-Mock-Fault reset/truncate/malformed
  bool server_faults = false;                          // no X-Mock-Fault: the server's random faults may strike
  bool admitted = false;                               // past the gateway: random gateway faults too
  std::function<std::string(const wire_answer&)> custom;  // JSON endpoints: the problem in words
};

int requested_latency_ms(const std::optional<std::string>& latency) {
  if (!latency) return 0;
  std::string error;
  const auto range = kuaidi::parse_latency(*latency, error);
  return range ? static_cast<int>(range->min.count()) : 0;
}

// The mock's order (README, "What a call goes through").
expectation expect_query(const query_plan& q, gateway_generation g, fixture_book& book, int lo, int hi) {
  expectation e;
  if (q.request().target.size() > max_url_length) {
    e.answers = {gateway_spec(entry("url_too_long"), g)};
    return e;
  }
  const request_params params = params_from_query_string(q.vendor_query);
  const scenario* forced = q.scenario ? &entry(*q.scenario)
                           : params.kddh ? kuaidi::find_reserved(normalise_tracking_number(*params.kddh))
                                         : nullptr;
  std::optional<kuaidi::fault> fault;
  if (q.fault) {
    std::string error;
    fault = kuaidi::parse_fault(*q.fault, error);
    e.asked = fault->transport;
  }
  e.server_faults = !q.fault;
  const auto only = [&](const scenario& s) { e.answers = {gateway_spec(s, g)}; return e; };
  if (forced && forced->source == answer_source::gateway) return only(*forced);
  if (const scenario* refused = gateway_refusal(q.authorization)) return only(*refused);
  e.admitted = true;
  if (fault && fault->gateway) return only(*fault->gateway);
  if (requested_latency_ms(q.latency) >= backend_timeout_ms) return only(entry("backend_timeout"));
  if (forced) {
    e.answers = {forced_spec(*forced, params)};
    return e;
  }
  e.answers = natural_specs(q.vendor_query, g, book, lo, hi);
  return e;
}

// Headers every answer of the gateway carries, whatever it is.
std::string common_problem(const wire_answer& a) {
  if (a.header_count("X-Ca-Request-Id") != 1 || !mock::is_request_id(a.header("X-Ca-Request-Id").value_or("")))
    return "X-Ca-Request-Id is not one UUID: '" + a.header("X-Ca-Request-Id").value_or("") + "'";
  if (a.header("Access-Control-Allow-Origin") != std::optional<std::string>("*"))
    return "Access-Control-Allow-Origin is not *";
  return {};
}

std::string head_problem(const answer_spec& s, const wire_answer& a) {
  if (a.status != s.status) return "status " + std::to_string(a.status) + ", expected " + std::to_string(s.status);
  if (a.header("Content-Type") != s.content_type)
    return "Content-Type '" + a.header("Content-Type").value_or("(none)") + "', expected '" +
           s.content_type.value_or("(none)") + "'";
  for (const auto& [name, value] : s.required)
    if (a.header(name) != value)
      return name + " '" + a.header(name).value_or("(none)") + "', expected '" + value + "'";
  for (const auto& name : s.forbidden)
    if (a.header(name)) return name + " present: '" + *a.header(name) + "'";
  return common_problem(a);
}

// How an answer may have been damaged on purpose (README, "Faults").
enum class shape { whole, malformed, truncated };

std::string shape_problem(const answer_spec& s, const wire_answer& a, shape how) {
  if (s.body.empty()) how = shape::whole;  // nothing to cut: the fault changes nothing
  const std::size_t full = s.body.size();
  if (a.to_head) {  // GET's head, Content-Length included; a truncated answer's head is whole
    if (a.what != delivery::complete) return std::string(to_string(a.what)) + (a.problem.empty() ? "" : ": " + a.problem);
    if (std::string p = head_problem(s, a); !p.empty()) return p;
    const std::size_t length = how == shape::malformed ? full * 3 / 5 : full;
    if (a.content_length != length)
      return "Content-Length " + std::to_string(a.content_length.value_or(0)) + ", expected the GET body's " + std::to_string(length);
    return {};
  }
  if (how == shape::truncated) {
    if (a.what != delivery::cut_short) return std::string(to_string(a.what)) + ", expected half a body then a close";
    if (a.content_length != full) return "Content-Length " + std::to_string(a.content_length.value_or(0)) +
                                         ", expected the whole body's " + std::to_string(full);
    if (a.body != s.body.substr(0, full / 2)) return "the half body differs";
    return head_problem(s, a);
  }
  if (a.what != delivery::complete) return std::string(to_string(a.what)) + (a.problem.empty() ? "" : ": " + a.problem);
  const std::string body = how == shape::malformed ? s.body.substr(0, full * 3 / 5) : s.body;
  if (std::string p = head_problem(s, a); !p.empty()) return p;
  if (a.body != body) return "body differs: expected " + cut(body, 300);
  if (a.content_length != body.size()) return "Content-Length does not match the body";
  return {};
}

// What an answer was recognised as, copied (the expectation is gone); it may fit several versions.
struct match {
  std::string label;
  int status = 0;
  int version = 0;         // the newest version it fits
  int oldest_version = 0;  // the oldest: the server cannot have been older than this
};

struct verdict {
  verdict(std::string h, std::string p, const answer_spec* s, const answer_spec* oldest = nullptr)
      : how(std::move(h)), problem(std::move(p)) {
    if (s) matched = match{s->label, s->status, s->version, (oldest ? oldest : s)->version};
  }
  std::string how;  // exact, asked reset, random malformed, …; empty when wrong
  std::string problem;
  std::optional<match> matched;
};

const answer_spec* first_fit(const std::vector<answer_spec>& specs, const wire_answer& a, shape how) {
  for (const auto& s : specs)
    if (shape_problem(s, a, how).empty()) return &s;
  return nullptr;
}

// Specs come newest first: the last that fits is the oldest version.
const answer_spec* last_fit(const std::vector<answer_spec>& specs, const wire_answer& a, shape how) {
  for (auto it = specs.rbegin(); it != specs.rend(); ++it)
    if (shape_problem(*it, a, how).empty()) return &*it;
  return nullptr;
}

std::vector<answer_spec> random_gateway_faults(gateway_generation g) {
  std::string error;
  std::vector<answer_spec> specs;
  const auto faults = kuaidi::parse_fault_list(server_faults, error);
  for (const auto& f : *faults)
    if (f.gateway) specs.push_back(gateway_spec(*f.gateway, g));
  return specs;
}

verdict judge(const expectation& e, const wire_answer& a, gateway_generation g) {
  if (e.custom) {
    std::string p = a.what == delivery::complete ? e.custom(a) : std::string(to_string(a.what)) + " " + a.problem;
    if (p.empty()) p = common_problem(a);
    return p.empty() ? verdict{"exact", {}, nullptr} : verdict{{}, p, nullptr};
  }
  if (e.asked == transport_fault::reset)
    return a.what == delivery::reset ? verdict{"asked reset", {}, nullptr}
                                     : verdict{{}, "expected a reset before any byte, got " + a.describe(), nullptr};
  if (e.asked == transport_fault::truncate || e.asked == transport_fault::malformed) {
    const shape how = e.asked == transport_fault::truncate ? shape::truncated : shape::malformed;
    if (const answer_spec* s = first_fit(e.answers, a, how))
      return {std::string("asked ") + std::string(kuaidi::to_string(e.asked)), {}, s, last_fit(e.answers, a, how)};
    return {{}, shape_problem(e.answers.front(), a, how), nullptr};
  }
  static const std::vector<answer_spec> classic = random_gateway_faults(gateway_generation::classic);
  static const std::vector<answer_spec> vpc = random_gateway_faults(gateway_generation::vpc);
  const answer_spec* random_fault =
      e.server_faults && e.admitted ? first_fit(g == gateway_generation::vpc ? vpc : classic, a, shape::whole) : nullptr;
  if (const answer_spec* s = first_fit(e.answers, a, shape::whole)) {
    verdict v{"exact", {}, s, last_fit(e.answers, a, shape::whole)};
    // A fixture pinning a gateway answer looks like that random fault: it tells no version then.
    if (random_fault && v.matched) v.matched->version = v.matched->oldest_version = 0;
    return v;
  }
  if (e.server_faults) {
    if (const answer_spec* s = first_fit(e.answers, a, shape::malformed))
      return {"random malformed", {}, s, last_fit(e.answers, a, shape::malformed)};
    if (const answer_spec* s = first_fit(e.answers, a, shape::truncated))
      return {"random truncate", {}, s, last_fit(e.answers, a, shape::truncated)};
    if (random_fault) return {"random " + random_fault->label, {}, random_fault};
  }
  return {{}, shape_problem(e.answers.front(), a, shape::whole), nullptr};
}

std::string describe_expected(const expectation& e) {
  if (e.custom) return "(a JSON check)";
  std::string out;
  if (e.asked != transport_fault::none) out += "asked " + std::string(kuaidi::to_string(e.asked)) + " of ";
  const answer_spec& s = e.answers.front();
  out += s.label + ": " + std::to_string(s.status) + "; Content-Type: " + s.content_type.value_or("(none)");
  for (const auto& [name, value] : s.required) out += "; " + name + ": " + value;
  out += "; body " + cut(s.body, 300);
  if (e.answers.size() > 1) out += " (or one of " + std::to_string(e.answers.size() - 1) + " other fixture versions)";
  if (e.server_faults) out += e.admitted ? " (random faults allowed)" : " (random body faults allowed)";
  return out;
}

// A request and how its answer is judged.
struct planned {
  std::string kind;
  wire_request request;
  std::optional<query_plan> query;
  std::optional<answer_spec> fixed;
  const scenario* gateway = nullptr;  // a gateway answer, built for the server's generation
  std::function<std::string(const wire_answer&)> custom;
};

struct server_info {
  std::string name;
  gateway_generation generation = gateway_generation::classic;
  int port = 0;
  pid_t pid = 0;
  std::atomic<std::uint64_t> sent{0};  // non-admin requests that left whole: the journal's count
  std::atomic<int> live_version{1};    // newest fixture version this server is known to serve
};

struct wrong_answer {
  std::string server, kind, request, expected, got, problem;
  double at_s = 0;
};

// Counts by name, merged from the threads at the end.
using counts = std::map<std::string, std::uint64_t>;

void merge(counts& into, const counts& from) {
  for (const auto& [k, v] : from) into[k] += v;
}

struct rss_sample {
  double t_s;
  std::string server;
  long rss_kb, hwm_kb, threads, fds;
  std::uint64_t requests;
};

struct proc_status {
  bool alive = false;
  long rss_kb = 0, hwm_kb = 0, threads = 0;
};

proc_status read_proc_status(pid_t pid) {
  proc_status s;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    const auto value = [&] { return std::atol(line.c_str() + line.find(':') + 1); };
    if (line.rfind("State:", 0) == 0) s.alive = line.find('Z') == std::string::npos && line.find('X') == std::string::npos;
    else if (line.rfind("VmRSS:", 0) == 0) s.rss_kb = value();
    else if (line.rfind("VmHWM:", 0) == 0) s.hwm_kb = value();
    else if (line.rfind("Threads:", 0) == 0) s.threads = value();
  }
  return s;
}

long open_descriptors(pid_t pid) {
  DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (!dir) return -1;
  long n = 0;
  while (const dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

struct run_options {
  std::string fixtures_path;
  std::string out_dir = "build/soak";
  std::string vectors_path = std::string(KUAIDI_VECTORS_DIR) + "/mock_natural.json";
  double seconds = 600;
  int clients = 6;
  std::uint64_t seed = 1;
};

// Everything the workers share, and what they found.
class soak_run {
 public:
  soak_run(run_options o, std::deque<server_info>& running) : options(std::move(o)), servers(running) {}

  const run_options options;
  std::deque<server_info>& servers;
  fixture_book book;
  std::vector<std::string> pool;
  std::vector<json> vectors;  // the "open" profile of tests/vectors/mock_natural.json
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> forced_turn{0};
  std::atomic<std::size_t> prime_turn{0};
  steady::time_point started = steady::now();  // priming starts; samples count from here
  steady::time_point deadline;
  double timed_from_s = 0;   // when the timed run began (priming done)
  double warm_until_s = 0;   // the end of the warm-up: priming plus the first 20 % of the timed run

  std::mutex mutex;
  std::vector<wrong_answer> wrong;
  std::uint64_t wrong_count = 0;
  std::vector<std::string> failures;  // checks other than answers: fixtures, quotas, journal, crash
  counts kinds, outcomes, coverage, facts;
  std::vector<rss_sample> samples;
  std::vector<double> switch_ms;
  long baseline_fds[2] = {0, 0};
  long final_fds[2] = {0, 0};
  std::uint64_t journal_before[2] = {0, 0};
  std::uint64_t journal_recorded[2] = {0, 0};
  std::size_t journal_max_kept = 0;
  std::size_t journal_max_bytes = 0;

  double elapsed_s() const { return std::chrono::duration<double>(steady::now() - started).count(); }

  void fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex);
    if (failures.size() < 50) failures.push_back("[" + fixed1(elapsed_s()) + " s] " + what);
    else if (failures.size() == 50) failures.push_back("… more failures left out");
  }

  void note(const std::string& fact, std::uint64_t n = 1) {
    std::lock_guard<std::mutex> lock(mutex);
    facts[fact] += n;
  }

  void record_wrong(wrong_answer w) {
    w.at_s = elapsed_s();
    std::lock_guard<std::mutex> lock(mutex);
    if (wrong.size() < kept_wrong_answers) wrong.push_back(std::move(w));
    ++wrong_count;
  }

  // Sleeps in small steps so that a stop is seen at once; false when stopping.
  bool pause(std::chrono::milliseconds d) {
    const auto until = steady::now() + d;
    while (steady::now() < until) {
      if (stopping) return false;
      std::this_thread::sleep_for(std::min<steady::duration>(until - steady::now(), 50ms));
    }
    return !stopping;
  }

  static std::string fixed1(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
  }
};

// Sends one request and judges its answer; false when it was wrong.
struct checked_exchange {
  soak_run& run;
  server_info& server;
  connection& conn;
  counts* outcomes;

  verdict operator()(const planned& p, const std::function<expectation(int, int)>& expect) {
    const int lo = server.live_version;
    const wire_answer a = conn.exchange(p.request);
    if (a.sent && p.request.target.rfind("/__admin", 0) != 0) ++server.sent;
    const int hi = run.book.written();
    const expectation e = expect(lo, hi);
    verdict v = judge(e, a, server.generation);
    if (outcomes) ++(*outcomes)[v.how.empty() ? "wrong" : v.how];
    if (v.how.empty())
      run.record_wrong({server.name, p.kind, p.request.describe(),
                        describe_expected(e) + (e.answers.size() > 1 || (!e.answers.empty() && e.answers.front().version)
                                                    ? " [fixture versions " + std::to_string(lo) + ".." + std::to_string(hi) + "]"
                                                    : ""),
                        a.describe(), v.problem});
    return v;
  }

  verdict query(const std::string& kind, const query_plan& q) {
    planned p{kind, q.request(), q, std::nullopt, nullptr, nullptr};
    return (*this)(p, [&](int lo, int hi) { return expect_query(q, server.generation, run.book, lo, hi); });
  }
};

std::string digits(std::mt19937_64& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

char upper_letter(std::mt19937_64& rng) { return static_cast<char>('A' + rng() % 26); }

// Numbers in the shapes carriers issue (and some no carrier issues), for natural traffic.
std::string number_like(std::mt19937_64& rng) {
  switch (rng() % 12) {
    case 0: case 1: return "JT" + digits(rng, 13);
    case 2: case 3: return "YT" + digits(rng, 13);
    case 4: return "SF" + digits(rng, 13);
    case 5: return std::string("7") + "345668"[rng() % 6] + digits(rng, 12);
    case 6: return "77" + digits(rng, 11 + static_cast<int>(rng() % 3));
    case 7: return std::string(1, "34"[rng() % 2]) + digits(rng, 14);
    case 8: return std::string("JD") + upper_letter(rng) + upper_letter(rng) + digits(rng, 11);
    case 9: return std::string("E") + upper_letter(rng) + digits(rng, 9) + "CN";
    case 10: return digits(rng, 12);
    default: return "ZZ" + digits(rng, 10);
  }
}

std::vector<std::string> number_pool(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> pool;
  while (pool.size() < pool_size) {
    std::string n = number_like(rng);
    if (!is_fixture_number(n) && n.rfind(padding_prefix, 0) != 0) pool.push_back(std::move(n));
  }
  return pool;
}

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& items) {
  return items[rng() % items.size()];
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// kddh as users send it (case, a space), with a phone tail or a carrier code now and then.
std::string natural_vendor_query(std::mt19937_64& rng, const std::string& number) {
  std::string kddh = number;
  const unsigned variant = rng() % 100;
  if (variant < 5) kddh = lowercase(kddh);
  else if (variant < 8) kddh.insert(kddh.size() / 2, "%20");
  std::string q = "kddh=" + kddh;
  const unsigned tel = rng() % 100;
  const bool sf = number.rfind("SF", 0) == 0;
  if (tel < (sf ? 50u : 12u)) q += "&tel=" + digits(rng, 4);
  else if (tel < (sf ? 55u : 15u)) q += std::string("&tel=1") + "3578"[rng() % 4] + digits(rng, 9);
  else if (tel < (sf ? 57u : 17u)) q += "&tel=tel";
  const unsigned code = rng() % 100;
  const auto carriers = all_carriers();
  if (code < 5) q += "&code=" + std::string(carriers.first[rng() % carriers.size()].code);
  else if (code < 7) q += "&code=nosuch";
  return q;
}

std::string appcode_header(const char* code) { return std::string("APPCODE ") + code; }

std::optional<std::string> main_authorization(std::mt19937_64& rng) {
  switch (rng() % 20) {
    case 0: return std::string("appcode ") + main_account.code;  // the keyword is case-insensitive
    case 1: return std::string("APPCODE   ") + main_account.code;
    default: return appcode_header(main_account.code);
  }
}

// The traffic mix. Each maker returns a request and how to judge it.
class traffic {
 public:
  traffic(soak_run& run, std::uint64_t seed) : run_(run), rng_(seed) {}

  planned next(server_info& s) {
    const unsigned roll = rng_() % 100;
    if (roll < 32) return natural();
    if (roll < 50) return forced();
    if (roll < 57) return refused();
    if (roll < 67) return asked_fault();
    if (roll < 70) return delayed();
    if (roll < 81) return fixture_query();
    if (roll < 86) return vector_case();
    if (roll < 93) return other_path();
    if (roll < 95) return mock_error();
    return admin_read(s);
  }

 private:
  planned from_query(const char* kind, query_plan q) {
    q.close = rng_() % 25 == 0;
    return {kind, q.request(), q, std::nullopt, nullptr, nullptr};
  }

  planned natural() {
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    q.authorization = main_authorization(rng_);
    if (rng_() % 10 < 3) q.fault = "none";
    q.head = rng_() % 10 == 0;
    return from_query(q.head ? "natural HEAD" : "natural", q);
  }

  // Round robin over entries and routes: every entry is reached early, however slow the machine.
  planned forced() {
    const auto every = all_scenarios();
    const std::uint64_t turn = run_.forced_turn++;
    const scenario& chosen = every.first[turn % every.size()];
    const unsigned route = static_cast<unsigned>((turn / every.size()) % 3);
    query_plan q;
    if (route == 2) {
      const std::string reserved(kuaidi::reserved_for(chosen.id)->tracking_number);
      q.vendor_query = "kddh=" + (rng_() % 4 == 0 ? lowercase(reserved) : reserved);
    } else {
      if (rng_() % 5 != 0) q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
      q.scenario = std::string(chosen.id);
      q.scenario_in_query = route == 1;
    }
    const bool gateway = chosen.source == answer_source::gateway;
    if (!gateway || rng_() % 3 != 0) q.authorization = main_authorization(rng_);
    if (rng_() % 10 < 3) q.fault = "none";
    return from_query("forced", q);
  }

  planned refused() {
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    switch (rng_() % 7) {
      case 0: break;  // no Authorization
      case 1: q.authorization = "APPCODE"; break;
      case 2: q.authorization = "Basic c29hazpzb2Fr"; break;
      case 3: q.authorization = "APPCODE SOAKNOSUCHCODE0009"; break;
      default: q.authorization = appcode_header(refused_accounts[rng_() % 3].code);
    }
    if (rng_() % 4 == 0) q.fault = rng_() % 2 ? "reset" : "timeout";  // a refusal comes first; a reset still cuts it
    return from_query("refused", q);
  }

  planned asked_fault() {
    static const std::vector<std::string> named = {"reset", "truncate", "malformed", "timeout", "throttle", "none"};
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    q.authorization = main_authorization(rng_);
    if (rng_() % 4 == 0) {
      std::vector<std::string> gateway_ids;
      for (const scenario& s : all_scenarios())
        if (s.source == answer_source::gateway) gateway_ids.emplace_back(s.id);
      q.fault = pick(rng_, gateway_ids);
    } else {
      q.fault = pick(rng_, named);
    }
    q.fault_in_query = rng_() % 3 == 0;
    return from_query("asked fault", q);
  }

  planned delayed() {
    query_plan q;
    q.vendor_query = natural_vendor_query(rng_, pick(rng_, run_.pool));
    q.authorization = main_authorization(rng_);
    const unsigned kind = rng_() % 10;
    if (kind < 4) q.latency = std::to_string(1 + rng_() % 20);
    else if (kind < 7) q.latency = "1-25";
    else q.latency = std::to_string(backend_timeout_ms) + (kind == 9 ? "-" + std::to_string(backend_timeout_ms + 30) : "");
    q.latency_in_query = rng_() % 3 == 0;
    return from_query("latency", q);
  }

  planned fixture_query() {
    static const std::vector<std::string> numbers = {fixture_trace_number, fixture_scenario_number,
                                                     fixture_response_number, fixture_tel_number,
                                                     fixture_blink_number};
    query_plan q;
    const std::string& number = pick(rng_, numbers);
    q.vendor_query = "kddh=" + number;
    if (number == fixture_tel_number) {
      const unsigned tel = rng_() % 3;
      if (tel == 0) q.vendor_query += std::string("&tel=") + fixture_tel;
      else if (tel == 1) q.vendor_query += "&tel=" + digits(rng_, 4);
    }
    q.authorization = main_authorization(rng_);
    if (rng_() % 10 < 3) q.fault = "none";
    return from_query("fixture", q);
  }

  // The natural triggers of tests/vectors/mock_natural.json ("open" profile), as data.
  planned vector_case() {
    const json& v = pick(rng_, run_.vectors);
    const std::string path = v.value("path", std::string("/query"));
    std::string query = v["query"].get<std::string>();
    if (const auto at = query.find("{8000 x}"); at != std::string::npos) query.replace(at, 8, std::string(8000, 'x'));
    const scenario& s = entry(v["id"].get<std::string>());
    planned p;
    p.kind = "vector";
    p.request.target = path + "?" + query;
    p.request.headers.emplace_back("Authorization", appcode_header(main_account.code));
    p.request.headers.emplace_back("X-Mock-Fault", "none");
    if (s.source == answer_source::gateway) {
      p.gateway = &s;
      return p;
    }
    const std::string kdmc = v.contains("kdmc_of") ? std::string(find_carrier(v["kdmc_of"].get<std::string>())->name_zh) : "";
    const std::string kddh = v.value("kddh", std::string());
    p.fixed = s.id == "success" ? synthetic_trace_spec(kddh, *find_carrier(v["kdmc_of"].get<std::string>()))
                                : vendor_spec(s, kdmc, kddh, v.value("appid", std::string()));
    return p;
  }

  planned other_path() {
    planned p;
    p.kind = "other path";
    switch (rng_() % 6) {
      case 0: p.request.target = "/nosuch?kddh=" + pick(rng_, run_.pool); break;
      case 1: p.request.method = "POST"; p.request.target = "/query?kddh=" + pick(rng_, run_.pool); break;
      case 2: p.request.method = "POST"; p.request.target = "/query"; p.request.body = "{\"kddh\":\"JT3084743373888\"}"; break;
      case 3: {
        p.request.target = "/query?kddh=" + pick(rng_, run_.pool) + "&pad=" + std::string(max_url_length, 'y');
        p.gateway = &entry("url_too_long");
        return p;
      }
      case 4: {
        p.request.method = "OPTIONS";
        p.request.target = "/query?kddh=" + pick(rng_, run_.pool);
        p.request.headers = {{"Origin", "http://soak.example"}, {"Access-Control-Request-Method", "GET"},
                             {"Access-Control-Request-Headers", "authorization,x-mock-scenario"}};
        answer_spec ok;
        ok.label = "preflight";
        ok.status = 200;
        ok.required = {{"Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH"},
                       {"Access-Control-Max-Age", "172800"}};
        ok.forbidden = {"X-Ca-Error-Message", "Access-Control-Expose-Headers"};
        p.fixed = ok;
        return p;
      }
      default:
        p.request.target = "/openapi.json";
        p.custom = [](const wire_answer& a) -> std::string {
          json doc = json::parse(a.body, nullptr, false);
          if (a.status != 200 || doc.is_discarded() || !doc.contains("openapi") || !doc["paths"].contains("/query"))
            return "GET /openapi.json: " + a.describe();
          return {};
        };
        return p;
    }
    if (rng_() % 2) p.request.headers.emplace_back("Authorization", appcode_header(main_account.code));
    p.gateway = &entry("api_not_found");
    return p;
  }

  planned mock_error() {
    const bool bad_scenario = rng_() % 2 == 0;
    query_plan q;
    q.vendor_query = "kddh=" + pick(rng_, run_.pool);
    q.authorization = appcode_header(main_account.code);
    const std::string wrong = bad_scenario ? "soak_no_such_scenario" : "soon";
    planned p{"mock error", {}, std::nullopt, std::nullopt, nullptr, nullptr};
    p.request = q.request();
    p.request.headers.emplace_back(bad_scenario ? "X-Mock-Scenario" : "X-Mock-Latency", wrong);
    p.custom = [wrong](const wire_answer& a) -> std::string {
      json body = json::parse(a.body, nullptr, false);
      if (a.status != 400 || a.header("X-Mock-Error") != std::optional<std::string>("1") || body.is_discarded() ||
          body.value("error", std::string()).find(wrong) == std::string::npos || !body.contains("hint"))
        return "expected 400 with X-Mock-Error and an error naming '" + wrong + "', got " + a.describe();
      return {};
    };
    return p;
  }

  planned admin_read(server_info& s) {
    planned p{"admin", {}, std::nullopt, std::nullopt, nullptr, nullptr};
    const gateway_generation g = s.generation;
    switch (rng_() % 5) {
      case 0:
        p.request.target = "/__admin/health";
        p.custom = [g, path = run_.options.fixtures_path](const wire_answer& a) -> std::string {
          json h = json::parse(a.body, nullptr, false);
          if (a.status != 200 || h.is_discarded() || h.value("status", "") != "ok" ||
              h.value("gateway", "") != to_string(g) || h.value("clock_pinned", false) != true ||
              !h.contains("fixtures") || h["fixtures"].value("path", "") != path)
            return "health: " + a.describe();
          return {};
        };
        break;
      case 1:
        p.request.target = "/__admin/scenarios";
        p.custom = [g](const wire_answer& a) { return scenarios_problem(a, g); };
        break;
      case 2:
        p.request.target = "/__admin/journal?limit=" + std::to_string(1 + rng_() % 50);
        p.custom = [limit = std::stoul(p.request.target.substr(p.request.target.find('=') + 1))](
                       const wire_answer& a) -> std::string {
          json j = json::parse(a.body, nullptr, false);
          if (a.status != 200 || j.is_discarded() || j.value("capacity", 0u) != journal_capacity ||
              j["entries"].size() > limit || j.value("kept", 0u) > journal_capacity)
            return "journal: " + a.describe();
          return secrets_problem(a.body);
        };
        break;
      case 3:
        p.request.target = "/__admin/quotas";
        p.custom = [](const wire_answer& a) -> std::string {
          json q = json::parse(a.body, nullptr, false);
          if (a.status != 200 || q.is_discarded() || q["appcodes"].size() != 5) return "quotas: " + a.describe();
          return secrets_problem(a.body);
        };
        break;
      default:
        p.request.target = "/__admin/fixtures";
        p.custom = [path = run_.options.fixtures_path](const wire_answer& a) -> std::string {
          json f = json::parse(a.body, nullptr, false);
          if (a.status != 200 || f.is_discarded() || f.value("path", "") != path) return "fixtures: " + a.describe();
          return {};
        };
    }
    return p;
  }

 public:
  // The catalogue as the server lists it: same ids in the same order, same answers.
  static std::string scenarios_problem(const wire_answer& a, gateway_generation g) {
    json listed = json::parse(a.body, nullptr, false);
    if (a.status != 200 || listed.is_discarded()) return "scenarios: " + a.describe();
    const auto every = all_scenarios();
    if (listed["scenarios"].size() != every.size()) return "scenarios: wrong count";
    std::size_t i = 0;
    for (const scenario& s : every) {
      const json& e = listed["scenarios"][i++];
      if (e.value("id", "") != s.id || e.value("answer", "") != kuaidi::describe_answer(s, g) ||
          e.value("reserved_kddh", "") != kuaidi::reserved_for(s.id)->tracking_number)
        return "scenarios: entry " + std::string(s.id) + " differs: " + e.dump();
    }
    return {};
  }

  // No AppCode may appear whole in what the admin API shows.
  static std::string secrets_problem(const std::string& body) {
    for (const soak_account* a : {&main_account, &quota_account, &refused_accounts[0], &refused_accounts[1],
                                  &refused_accounts[2]})
      if (body.find(a->code) != std::string::npos) return std::string("an AppCode appears unmasked: ") + kuaidi::mask_appcode(a->code);
    return {};
  }

 private:
  soak_run& run_;
  std::mt19937_64 rng_;
};

std::function<expectation(int, int)> expectation_of(const planned& p, server_info& s, fixture_book& book) {
  if (p.query) return [q = *p.query, g = s.generation, &book](int lo, int hi) { return expect_query(q, g, book, lo, hi); };
  expectation e;
  if (p.custom) e.custom = p.custom;
  else if (p.gateway) e.answers = {gateway_spec(*p.gateway, s.generation)};
  else e.answers = {*p.fixed};
  return [e](int, int) { return e; };
}

// The coverage key of an answer: which catalogue entry, in which gateway mode.
std::string coverage_key(const verdict& v, const server_info& s) {
  if (!v.matched) return {};
  std::string label = v.matched->label;
  if (label.rfind("fixture v", 0) == 0) {
    const auto last = label.rfind(' ');
    label = label.substr(last + 1);
    if (!find_scenario(label)) return {};
  }
  if (!find_scenario(label)) return {};
  return label + "|" + s.name;
}

// Every pool number once per server, natural when it gives a trace, else forced to one (fills both caches).
void prime_loop(soak_run& run) {
  std::vector<std::unique_ptr<connection>> conns;
  for (auto& s : run.servers) conns.push_back(std::make_unique<connection>(s.port));
  counts outcomes;
  for (;;) {
    const std::size_t turn = run.prime_turn++;
    if (turn >= run.pool.size() * run.servers.size() || run.stopping) break;
    const std::size_t si = turn % run.servers.size();
    server_info& s = run.servers[si];
    query_plan q;
    q.vendor_query = "kddh=" + run.pool[turn / run.servers.size()];
    q.authorization = appcode_header(main_account.code);
    q.fault = "none";
    if (natural_specs(q.vendor_query, s.generation, run.book, 1, 1).front().label != "success") q.scenario = "success";
    checked_exchange{run, s, *conns[si], &outcomes}.query("prime", q);
  }
  std::lock_guard<std::mutex> lock(run.mutex);
  merge(run.outcomes, outcomes);
}

void client_loop(soak_run& run, int index) {
  traffic mix(run, run.options.seed * 1000003 + static_cast<std::uint64_t>(index));
  std::vector<std::unique_ptr<connection>> conns;
  for (auto& s : run.servers) conns.push_back(std::make_unique<connection>(s.port));
  counts kinds, outcomes, coverage;
  int version_floor[2] = {0, 0};  // per server: the oldest version its answers may still come from
  std::mt19937_64 rng(run.options.seed + static_cast<std::uint64_t>(index) * 7919);
  while (!run.stopping && steady::now() < run.deadline) {
    const std::size_t si = rng() % run.servers.size();
    server_info& s = run.servers[si];
    const planned p = mix.next(s);
    checked_exchange exchange{run, s, *conns[si], &outcomes};
    const verdict v = exchange(p, expectation_of(p, s, run.book));
    ++kinds[p.kind];
    if (const std::string key = coverage_key(v, s); !key.empty()) ++coverage[key];
    if (v.matched && v.matched->version > 0) {
      if (v.matched->version < version_floor[si])
        run.record_wrong({s.name, p.kind, p.request.describe(), "fixture version >= " + std::to_string(version_floor[si]),
                          v.matched->label + " (fits versions " + std::to_string(v.matched->oldest_version) + ".." +
                              std::to_string(v.matched->version) + ")",
                          "answers went back to older fixtures"});
      version_floor[si] = std::max(version_floor[si], v.matched->oldest_version);
    }
  }
  std::lock_guard<std::mutex> lock(run.mutex);
  merge(run.kinds, kinds);
  merge(run.outcomes, outcomes);
  merge(run.coverage, coverage);
}

// Rewrites the fixture file every few seconds (atomically, in two steps, twice quickly, or broken).
class fixture_writer {
 public:
  explicit fixture_writer(soak_run& run) : run_(run), rng_(run.options.seed * 31 + 7) {
    for (auto& s : run.servers) conns_.push_back(std::make_unique<connection>(s.port));
  }

  // During priming: large reloads by the watcher and by several event loops (a fresh connection
  // goes to the next loop) take their memory before RSS is judged.
  void prime() {
    put_atomically(++version_, true);
    const auto written_at = steady::now();
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      await_switch(i, version_, written_at);
      for (int n = 0; n < 12; ++n) connection(run_.servers[i].port).exchange(reload_request());
    }
    write_atomically(++version_, true);
  }

  void loop() {
    int& version = version_;
    bool bad_on_disk = false;
    while (run_.pause(std::chrono::milliseconds(1500 + rng_() % 2000))) {
      const unsigned roll = rng_() % 100;
      if (roll < 20 && !bad_on_disk) {
        write_broken(version);
        bad_on_disk = true;
        continue;
      }
      // Large reloads fragment the heap: they race only in the warm-up, before RSS is judged.
      const bool warming = run_.elapsed_s() < run_.warm_until_s;
      ++version;
      if (warming && roll < 60) write_twice(++version);
      else if (roll < 60) write_atomically(version, rng_() % 2 == 0);
      else write_in_two_steps(version);
      bad_on_disk = false;
    }
  }

 private:
  std::string path() const { return run_.options.fixtures_path; }

  bool put_atomically(int version, bool padded = false) {
    const std::string temp = path() + ".tmp";
    std::ofstream(temp, std::ios::binary | std::ios::trunc) << fixture_document(version, padded).dump(2);
    run_.book.now_writing(version);
    if (std::rename(temp.c_str(), path().c_str()) == 0) return true;
    run_.fail("cannot rename " + temp);
    return false;
  }

  void write_atomically(int version, bool reload_at_once) {
    if (!put_atomically(version)) return;
    const auto written_at = steady::now();
    run_.note("fixture versions written atomically");
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      if (reload_at_once) reload_now(i, version);
      else await_switch(i, version, written_at);
    }
  }

  // A large version, its reload started on another event loop, then a small one reloaded at once:
  // the slow large reload must not land after the quick small one.
  void write_twice(int version) {
    if (!put_atomically(version - 1, true)) return;
    std::vector<std::unique_ptr<connection>> slow;
    for (auto& s : run_.servers) {
      slow.push_back(std::make_unique<connection>(s.port));
      slow.back()->send(reload_request());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3 + rng_() % 8));
    if (!put_atomically(version)) return;
    run_.note("fixture versions written twice in quick succession");
    const std::size_t first = rng_() % run_.servers.size();
    for (std::size_t n = 0; n < run_.servers.size(); ++n) reload_now((first + n) % run_.servers.size(), version);
    for (std::size_t i = 0; i < slow.size(); ++i) {
      const wire_answer a = slow[i]->receive(reload_request());
      if (a.status != 200) run_.fail(run_.servers[i].name + ": POST /__admin/reload of a large file: " + a.describe());
    }
    const auto until = steady::now() + 700ms;
    while (steady::now() < until)
      for (std::size_t i = 0; i < run_.servers.size(); ++i) probe(i, version, version);
  }

  static wire_request reload_request() {
    wire_request r;
    r.method = "POST";
    r.target = "/__admin/reload";
    return r;
  }

  // Half the file, a reload that must refuse it, then the rest: the old version serves meanwhile.
  void write_in_two_steps(int version) {
    const std::string text = fixture_document(version).dump(2);
    run_.book.now_writing(version);
    std::ofstream out(path(), std::ios::binary | std::ios::trunc);
    out << text.substr(0, text.size() / 2) << std::flush;
    for (std::size_t i = 0; i < run_.servers.size(); ++i) expect_refusal(i, "half-written file", "");
    run_.pause(std::chrono::milliseconds(200 + rng_() % 400));
    out << text.substr(text.size() / 2) << std::flush;
    out.close();
    const auto written_at = steady::now();
    run_.note("fixture versions written in two steps");
    for (std::size_t i = 0; i < run_.servers.size(); ++i) await_switch(i, version, written_at);
  }

  void write_broken(int live) {
    const broken_file bad = broken_fixture_file(live + 1, static_cast<unsigned>(rng_()));
    const std::string temp = path() + ".tmp";
    std::ofstream(temp, std::ios::binary | std::ios::trunc) << bad.text;
    if (std::rename(temp.c_str(), path().c_str()) != 0) return run_.fail("cannot rename " + temp);
    run_.note("bad fixture files rejected (" + bad.kind + ")");
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      expect_refusal(i, bad.kind, bad.place);
      expect_still(i, live);
    }
  }

  wire_answer admin(std::size_t i, const std::string& method, const std::string& target) {
    wire_request r;
    r.method = method;
    r.target = target;
    return conns_[i]->exchange(r);
  }

  // POST /__admin/reload must answer 422 naming the file and the mistake's place.
  void expect_refusal(std::size_t i, const std::string& kind, const std::string& place) {
    server_info& s = run_.servers[i];
    const wire_answer a = admin(i, "POST", "/__admin/reload");
    json body = json::parse(a.body, nullptr, false);
    const std::string error = body.is_discarded() ? "" : body.value("error", "");
    if (a.status != 422 || error.find(path()) == std::string::npos || error.find(place) == std::string::npos)
      return run_.fail(s.name + ": a " + kind + " was not refused with 422 naming " + (place.empty() ? "the file" : place) +
                       ": " + a.describe());
    const wire_answer status = admin(i, "GET", "/__admin/fixtures");
    json f = json::parse(status.body, nullptr, false);
    if (f.is_discarded() || !f["last_error"].is_string())
      run_.fail(s.name + ": GET /__admin/fixtures shows no last_error after a " + kind + ": " + status.describe());
  }

  // The version being served, checked by the number whose answer names it.
  verdict probe(std::size_t i, int lo, int hi) {
    server_info& s = run_.servers[i];
    query_plan q;
    q.vendor_query = std::string("kddh=") + fixture_trace_number;
    q.authorization = appcode_header(main_account.code);
    q.fault = "none";
    planned p{"fixture probe", q.request(), q, std::nullopt, nullptr, nullptr};
    checked_exchange exchange{run_, s, *conns_[i], nullptr};
    return exchange(p, [&](int, int) { return expect_query(q, s.generation, run_.book, lo, hi); });
  }

  void expect_still(std::size_t i, int live) {
    const verdict v = probe(i, live, live);
    if (v.how.empty()) run_.fail(run_.servers[i].name + ": a bad fixture file replaced version " + std::to_string(live));
  }

  void reload_now(std::size_t i, int version) {
    server_info& s = run_.servers[i];
    const wire_answer a = admin(i, "POST", "/__admin/reload");
    json body = json::parse(a.body, nullptr, false);
    const std::size_t count = run_.book.plan(version).size();
    if (a.status != 200 || body.is_discarded() || body.value("count", 0u) != count)
      return run_.fail(s.name + ": POST /__admin/reload of version " + std::to_string(version) + ": " + a.describe());
    if (probe(i, version, version).how.empty())
      return run_.fail(s.name + ": right after POST /__admin/reload, version " + std::to_string(version) + " was not served");
    s.live_version = version;
    admin_ok(i);
  }

  void await_switch(std::size_t i, int version, steady::time_point written_at) {
    server_info& s = run_.servers[i];
    for (;;) {
      const verdict v = probe(i, s.live_version, version);
      if (!v.how.empty() && v.matched && v.matched->version == version) break;
      if (v.how.empty()) return;  // already recorded as a wrong answer
      if (steady::now() - written_at > fixture_switch_limit)
        return run_.fail(s.name + ": fixtures did not switch to version " + std::to_string(version) + " within " +
                         std::to_string(std::chrono::seconds(fixture_switch_limit).count()) + " s");
      std::this_thread::sleep_for(20ms);
    }
    s.live_version = version;
    {
      std::lock_guard<std::mutex> lock(run_.mutex);
      run_.switch_ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - written_at).count());
    }
    admin_ok(i);
  }

  // After a valid version is live, the last error is gone.
  void admin_ok(std::size_t i) {
    const wire_answer status = admin(i, "GET", "/__admin/fixtures");
    json f = json::parse(status.body, nullptr, false);
    if (f.is_discarded() || !f["last_error"].is_null())
      run_.fail(run_.servers[i].name + ": last_error stays after a valid reload: " + status.describe());
  }

  soak_run& run_;
  std::mt19937_64 rng_;
  std::vector<std::unique_ptr<connection>> conns_;
  int version_ = 1;  // the newest valid version written
};

// Exhausts the quota AppCode, checks the 403 and the counters, resets via admin, and again.
class quota_prober {
 public:
  quota_prober(soak_run& run, std::size_t index)
      : run_(run), server_(run.servers[index]), conn_(server_.port), rng_(run.options.seed * 97 + index) {}

  void loop() {
    for (unsigned round = 0; run_.pause(std::chrono::milliseconds(800 + rng_() % 1500)); ++round) {
      if (!reset(round % 2 == 0) || !expect_counters(quota_calls, 0, 0)) continue;
      const int unbilled = spend();
      if (unbilled < 0) continue;
      if (!exhausted()) continue;
      if (expect_counters(0, quota_calls, quota_calls + unbilled)) run_.note("quota rounds (" + server_.name + ")");
    }
  }

 private:
  wire_answer admin(const std::string& method, const std::string& target) {
    wire_request r;
    r.method = method;
    r.target = target;
    return conn_.exchange(r);
  }

  bool reset(bool quotas_only) {
    const wire_answer a = admin("POST", quotas_only ? "/__admin/quotas/reset" : "/__admin/reset");
    if (a.status == 200 && traffic::secrets_problem(a.body).empty()) return true;
    run_.fail(server_.name + ": quota reset: " + a.describe());
    return false;
  }

  bool expect_counters(std::int64_t remaining, std::int64_t billed, std::int64_t admitted) {
    const wire_answer a = admin("GET", std::string("/__admin/quotas/") + quota_account.code);
    json q = json::parse(a.body, nullptr, false);
    if (a.status == 200 && !q.is_discarded() && q["remaining"] == remaining && q["billed"] == billed &&
        q["admitted"] == admitted && q["appcode"] == kuaidi::mask_appcode(quota_account.code))
      return true;
    run_.fail(server_.name + ": quota counters: expected remaining " + std::to_string(remaining) + ", billed " +
              std::to_string(billed) + ", admitted " + std::to_string(admitted) + ", got " + a.describe());
    return false;
  }

  query_plan quota_query(const std::string& vendor_query) const {
    query_plan q;
    q.vendor_query = vendor_query;
    q.authorization = appcode_header(quota_account.code);
    q.fault = "none";
    return q;
  }

  // Every call that may be billed, plus some that may not; -1 when an answer was wrong.
  int spend() {
    int unbilled = 0;
    for (int billed = 0; billed < quota_calls;) {
      const bool free_call = rng_() % 4 == 0;
      const query_plan q = quota_query(free_call ? "code=zhongtong" : "kddh=" + pick(rng_, run_.pool));
      checked_exchange exchange{run_, server_, conn_, nullptr};
      const verdict v = exchange.query("quota", q);
      if (v.how.empty()) return -1;
      if (v.matched->status / 100 == 2) ++billed;
      else ++unbilled;
    }
    return unbilled;
  }

  bool exhausted() {
    const query_plan q = quota_query("kddh=" + pick(rng_, run_.pool));
    planned p{"quota", q.request(), q, std::nullopt, nullptr, nullptr};
    expectation e;
    e.answers = {gateway_spec(entry("quota_exhausted"), server_.generation)};
    checked_exchange exchange{run_, server_, conn_, nullptr};
    const verdict v = exchange(p, [&](int, int) { return e; });
    if (!v.how.empty()) run_.note("quota exhausted answers (403 checked)");
    return !v.how.empty();
  }

  soak_run& run_;
  server_info& server_;
  connection conn_;
  std::mt19937_64 rng_;
};

// Samples RSS and descriptors every second, the journal every two, the processes' life always.
class monitor {
 public:
  explicit monitor(soak_run& run) : run_(run) {
    for (auto& s : run.servers) conns_.push_back(std::make_unique<connection>(s.port));
  }

  void loop() {
    for (unsigned tick = 0;; ++tick) {
      sample();
      if (tick % 2 == 0) check_journals();
      if (!run_.pause(1000ms)) break;
    }
    sample();
  }

 private:
  void sample() {
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      server_info& s = run_.servers[i];
      const proc_status p = read_proc_status(s.pid);
      if (!p.alive) {
        if (!dead_[i]) {
          run_.fail(s.name + ": the server process " + std::to_string(s.pid) + " is gone (crashed)");
          run_.note("crashes");
        }
        dead_[i] = true;
        run_.stopping = true;
        continue;
      }
      std::lock_guard<std::mutex> lock(run_.mutex);
      run_.samples.push_back({run_.elapsed_s(), s.name, p.rss_kb, p.hwm_kb, p.threads, open_descriptors(s.pid),
                              s.sent.load()});
    }
  }

  void check_journals() {
    for (std::size_t i = 0; i < run_.servers.size(); ++i) {
      wire_request r;
      r.target = "/__admin/journal?limit=" + std::to_string(journal_capacity * 10);
      const wire_answer a = conns_[i]->exchange(r);
      json j = json::parse(a.body, nullptr, false);
      if (a.status != 200 || j.is_discarded()) {
        run_.fail(run_.servers[i].name + ": GET /__admin/journal: " + a.describe());
        continue;
      }
      const std::size_t kept = j.value("kept", std::size_t{0});
      if (kept > journal_capacity || j["entries"].size() != kept || j.value("capacity", 0u) != journal_capacity)
        run_.fail(run_.servers[i].name + ": journal beyond its cap: kept " + std::to_string(kept) + ", capacity " +
                  j["capacity"].dump());
      if (std::string p = traffic::secrets_problem(a.body); !p.empty()) run_.fail(run_.servers[i].name + ": journal: " + p);
      std::lock_guard<std::mutex> lock(run_.mutex);
      run_.journal_max_kept = std::max(run_.journal_max_kept, kept);
      run_.journal_max_bytes = std::max(run_.journal_max_bytes, a.body.size());
    }
  }

  soak_run& run_;
  std::vector<std::unique_ptr<connection>> conns_;
  bool dead_[2] = {false, false};
};

// The journal's count of requests so far (admin calls are not journalled).
std::uint64_t recorded_so_far(const server_info& s) {
  connection c(s.port);
  wire_request r;
  r.target = "/__admin/journal?limit=1";
  r.close = true;
  const wire_answer a = c.exchange(r);
  json j = json::parse(a.body, nullptr, false);
  return j.is_discarded() ? 0 : j.value("recorded", std::uint64_t{0});
}

// After the traffic: every request is in the journal's count and every connection is closed.
void final_checks(soak_run& run) {
  for (std::size_t i = 0; i < run.servers.size(); ++i) {
    server_info& s = run.servers[i];
    if (!read_proc_status(s.pid).alive) continue;
    run.journal_recorded[i] = recorded_so_far(s) - run.journal_before[i];
    if (run.journal_recorded[i] != s.sent)
      run.fail(s.name + ": the journal recorded " + std::to_string(run.journal_recorded[i]) + " requests, the driver sent " +
               std::to_string(s.sent.load()));
    const auto until = steady::now() + descriptor_settle_limit;
    long fds = open_descriptors(s.pid);
    while (fds > run.baseline_fds[i] && steady::now() < until) {
      std::this_thread::sleep_for(100ms);
      fds = open_descriptors(s.pid);
    }
    run.final_fds[i] = fds;
    if (fds > run.baseline_fds[i])
      run.fail(s.name + ": " + std::to_string(fds) + " descriptors open after every client left, " +
               std::to_string(run.baseline_fds[i]) + " before the run");
  }
}

// The caches clear when full and refill, so RSS saw-tooths: peaks are compared, not instants.
struct rss_verdict {
  long start_kb = 0;      // the first sample, before priming
  long warm_peak_kb = 0;  // the highest up to the end of the warm-up (caches full by then)
  long after_peak_kb = 0; // the highest after it
  long end_kb = 0;
  double growth = 0;
  bool ok = true;
};

rss_verdict rss_of(const soak_run& run, const std::string& server) {
  rss_verdict v;
  for (const auto& s : run.samples) {
    if (s.server != server) continue;
    if (v.start_kb == 0) v.start_kb = s.rss_kb;
    long& peak = s.t_s <= run.warm_until_s ? v.warm_peak_kb : v.after_peak_kb;
    peak = std::max(peak, s.rss_kb);
    v.end_kb = s.rss_kb;
  }
  const long grown = v.after_peak_kb - v.warm_peak_kb;
  v.growth = v.warm_peak_kb > 0 ? static_cast<double>(grown) / static_cast<double>(v.warm_peak_kb) : 0;
  v.ok = v.after_peak_kb > 0 && (grown <= rss_floor_kb || v.growth <= rss_growth_limit);
  return v;
}

std::string mb(long kb) { return soak_run::fixed1(static_cast<double>(kb) / 1024) + " MB"; }

void write_samples(const soak_run& run, const std::string& path) {
  std::ofstream out(path);
  out << "t_s,server,rss_kb,hwm_kb,threads,fds,requests_sent\n";
  for (const auto& s : run.samples)
    out << soak_run::fixed1(s.t_s) << "," << s.server << "," << s.rss_kb << "," << s.hwm_kb << "," << s.threads << ","
        << s.fds << "," << s.requests << "\n";
}

std::string counts_table(const counts& c, const char* what) {
  std::string out = std::string("| ") + what + " | answers |\n|---|---:|\n";
  for (const auto& [k, v] : c) out += "| " + k + " | " + std::to_string(v) + " |\n";
  return out;
}

std::string coverage_table(const soak_run& run, std::vector<std::string>& missing) {
  std::string out = "| catalogue entry | classic | vpc |\n|---|---:|---:|\n";
  for (const scenario& s : all_scenarios()) {
    out += "| `" + std::string(s.id) + "` |";
    for (const auto& server : run.servers) {
      const auto it = run.coverage.find(std::string(s.id) + "|" + server.name);
      const std::uint64_t n = it == run.coverage.end() ? 0 : it->second;
      if (n == 0) missing.push_back(std::string(s.id) + " (" + server.name + ")");
      out += " " + std::to_string(n) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string percentile(std::vector<double> v, double p) {
  if (v.empty()) return "–";
  std::sort(v.begin(), v.end());
  return soak_run::fixed1(v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))]) + " ms";
}

// The report; true when every check passed.
bool report(soak_run& run, double ran_s, std::ostream& md) {
  const double timed_s = ran_s - run.timed_from_s;
  std::uint64_t requests = 0;
  for (const auto& s : run.servers) requests += s.sent;
  const std::uint64_t crashes = run.facts.count("crashes") ? run.facts["crashes"] : 0;
  std::vector<std::string> missing;
  const std::string coverage = coverage_table(run, missing);
  if (!missing.empty() && crashes == 0) {  // after a crash only the crash matters
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    run.fail("catalogue entries never answered: " + list);
  }
  std::vector<rss_verdict> rss;
  for (const auto& s : run.servers) {
    rss.push_back(rss_of(run, s.name));
    if (!rss.back().ok && crashes == 0)
      run.fail(s.name + ": RSS peaked at " + mb(rss.back().after_peak_kb) + " after the warm-up, " +
               mb(rss.back().warm_peak_kb) + " before");
  }
  const bool passed = run.wrong_count == 0 && run.failures.empty();

  md << "# kuaidi-mock soak\n\n"
     << "**" << (passed ? "PASSED" : "FAILED") << "**: " << requests << " requests in " << soak_run::fixed1(ran_s)
     << " s (" << static_cast<std::uint64_t>(static_cast<double>(requests) / std::max(ran_s, 1.0)) << " req/s, "
     << run.options.clients << " clients; " << soak_run::fixed1(run.timed_from_s) << " s of priming, then "
     << soak_run::fixed1(timed_s) << " s of mixed traffic), " << run.wrong_count << " wrong answers, " << crashes
     << " crashes, " << run.failures.size() << " other failed checks.\n\n"
     << "Two servers at once, `--gateway classic` and `--gateway vpc`, each with `";
  for (const auto& a : server_args()) md << a << " ";
  md << "--fixtures <file> --seed " << run.options.seed << "`. Driver: `benchmarks/soak_mock.cpp`; run by "
     << "`scripts/soak_mock.sh [minutes]`.\n\n";

  md << "## Rules\n\n"
     << "- An answer is right when status, Content-Type, body bytes and the documented headers (X-Ca-Error-Message; "
        "X-Ca-Error-Code with the VPC gateway only; one X-Ca-Request-Id UUID; Access-Control-Allow-Origin) equal what "
        "the core builds for the catalogue entry the request reaches (synthetic traces by the mock's generator with "
        "the pinned clock; fixtures by the version on disk).\n"
     << "- An asked fault (`X-Mock-Fault`/`__fault`) must give exactly its documented effect: reset = RST before any "
        "byte; truncate = whole Content-Length, half the body, close; malformed = complete answer, body cut to 3/5; a "
        "gateway fault = that gateway answer.\n"
     << "- Without an asked fault the server's random faults may strike (rate " << server_fault_rate << "): the answer "
        "may then be the malformed or truncated form of the right one, or, once the gateway admitted the call, exactly "
        "one of the gateway answers of `--faults`. Resets are never random here, so an unasked reset is wrong.\n"
     << "- Answers on fixture numbers must belong to a version between the newest one confirmed live before the "
        "request and the newest one written after it, and never go back to an older version on one connection; "
        "right after a reload answers 200, only the version it loaded. A large version is sometimes written, "
        "its reload started, and a small one written and reloaded at once (during the warm-up only: large "
        "reloads fragment the heap): the large must not come back.\n"
     << "- Priming first sends every one of " << run.pool.size() << " numbers once per server, so the mock's "
        "bounded trace and answer caches fill (and clear), and reloads a large fixture file on the watcher and "
        "on the event loops, before memory is judged. Warm-up: priming plus the first "
        "20 % of the mixed traffic, at least 30 s of it (half of it in runs under a minute), until "
     << soak_run::fixed1(run.warm_until_s) << " s. RSS: the peak after the "
        "warm-up at most 10 % above the peak until its end (the caches clear and refill, so instants are not "
        "compared), growth under " << mb(rss_floor_kb) << " ignored. Journal: `kept` <= capacity "
     << journal_capacity << " at every sample, `recorded` equal to the requests sent. Descriptors back to their count "
        "before the run once the clients leave.\n\n";

  md << "## Answers\n\n" << counts_table(run.outcomes, "outcome") << "\n" << counts_table(run.kinds, "traffic") << "\n";
  md << "### Every catalogue entry, by gateway mode\n\n" << coverage << "\n";

  md << "## Fixtures and quotas\n\n| check | count |\n|---|---:|\n";
  for (const auto& [k, v] : run.facts) md << "| " << k << " | " << v << " |\n";
  md << "\nSwitch to a new version on the watcher (poll 250 ms): median " << percentile(run.switch_ms, 0.5) << ", max "
     << percentile(run.switch_ms, 1.0) << " over " << run.switch_ms.size() << " switches (limit "
     << std::chrono::seconds(fixture_switch_limit).count() << " s).\n\n";

  md << "## Memory, descriptors, journal\n\n| server | RSS start | peak by warm-up end | peak after | end | growth | fds before | fds after | journal recorded / sent |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (std::size_t i = 0; i < run.servers.size(); ++i) {
    const auto& r = rss[i];
    md << "| " << run.servers[i].name << " | " << mb(r.start_kb) << " | " << mb(r.warm_peak_kb) << " | "
       << mb(r.after_peak_kb) << " | " << mb(r.end_kb) << " | " << soak_run::fixed1(r.growth * 100) << " %"
       << (r.ok ? "" : " **over**")
       << " | " << run.baseline_fds[i] << " | " << run.final_fds[i] << " | " << run.journal_recorded[i] << " / "
       << run.servers[i].sent << " |\n";
  }
  md << "\nJournal: at most " << run.journal_max_kept << " entries kept (cap " << journal_capacity << "), the full "
     << "listing at most " << run.journal_max_bytes / 1024 << " KB. RSS every second: `rss.csv`.\n\n";

  if (!run.failures.empty()) {
    md << "## Failed checks\n\n";
    for (const auto& f : run.failures) md << "- " << f << "\n";
    md << "\n";
  }
  if (run.wrong_count > 0) {
    md << "## Wrong answers (first " << run.wrong.size() << " of " << run.wrong_count << ")\n\n";
    for (const auto& w : run.wrong)
      md << "- **" << w.server << "** at " << soak_run::fixed1(w.at_s) << " s, " << w.kind << ": " << w.problem
         << "\n  - request: `" << w.request
         << "`\n  - expected: " << w.expected << "\n  - got: " << w.got << "\n";
    md << "\n";
  }
  return passed;
}

std::vector<json> open_profile_vectors(const std::string& path) {
  std::ifstream in(path);
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::cerr << "soak: cannot read the natural vectors " << path << "\n";
    std::exit(2);
  }
  std::vector<json> out;
  // The open profile's plain GETs: the driver sends no extra headers and never the proxy form.
  for (const auto& v : doc["natural"])
    if (v.value("profile", std::string()) == "open" && !v.contains("headers") && !v.contains("proxy_host"))
      out.push_back(v);
  return out;
}

// The driver's model of the mock must give the vectors' answers, or every check would be wrong.
void check_model_against_vectors(soak_run& run) {
  for (const auto& v : run.vectors) {
    const scenario& s = entry(v["id"].get<std::string>());
    if (v.contains("path") || s.source == answer_source::gateway) continue;
    const std::string kdmc = v.contains("kdmc_of") ? std::string(find_carrier(v["kdmc_of"].get<std::string>())->name_zh) : "";
    const std::string kddh = v.value("kddh", std::string());
    const answer_spec want = s.id == "success" ? synthetic_trace_spec(kddh, *find_carrier(v["kdmc_of"].get<std::string>()))
                                               : vendor_spec(s, kdmc, kddh);
    const auto got = natural_specs(v["query"].get<std::string>(), gateway_generation::classic, run.book, 1, 1);
    if (got.front().status != want.status || got.front().body != want.body) {
      std::cerr << "soak: the driver's model of the mock disagrees with tests/vectors/mock_natural.json on "
                << s.id << ": the driver is out of date\n";
      std::exit(2);
    }
  }
}

const char* usage =
    "kuaidi_soak_mock — the soak driver for kuaidi-mock (run by scripts/soak_mock.sh)\n\n"
    "  --server-args                 print the servers' extra arguments, one a line, and exit\n"
    "  --write-fixtures FILE         write version 1 of the fixture file and exit\n"
    "  --server NAME=PORT:PID        a running server, NAME classic or vpc (give both)\n"
    "  --fixtures FILE               the servers' --fixtures file, rewritten while the run lasts\n"
    "  --seconds S                   how long the traffic runs (default 600)\n"
    "  --clients N                   concurrent traffic clients (default 6)\n"
    "  --seed N                      seed of the traffic (default 1)\n"
    "  --out DIR                     where SOAK.md, rss.csv and summary.json go (default build/soak)\n"
    "  --vectors FILE                tests/vectors/mock_natural.json\n";

struct server_arg {
  std::string name;
  int port;
  pid_t pid;
};

std::optional<server_arg> parse_server(const std::string& text) {
  const auto eq = text.find('='), colon = text.find(':');
  if (eq == std::string::npos || colon == std::string::npos || colon < eq) return std::nullopt;
  const std::string name = text.substr(0, eq);
  if (name != "classic" && name != "vpc") return std::nullopt;
  const int port = std::atoi(text.substr(eq + 1, colon - eq - 1).c_str());
  const pid_t pid = std::atoi(text.substr(colon + 1).c_str());
  if (port <= 0 || pid <= 0) return std::nullopt;
  return server_arg{name, port, pid};
}

int bad_usage(const std::string& what) {
  std::cerr << "kuaidi_soak_mock: " << what << "\n\n" << usage;
  return 2;
}

// The allocator's arenas settle over ~30 s of cache refills; runs under a minute keep half for judging.
double warmup_seconds(double mixed_s) { return std::max(0.2 * mixed_s, std::min(30.0, 0.5 * mixed_s)); }

int run_soak(const run_options& options, const std::vector<server_arg>& given) {
  std::deque<server_info> servers;
  for (const auto& g : given) {
    server_info& s = servers.emplace_back();
    s.name = g.name;
    s.generation = g.name == "vpc" ? gateway_generation::vpc : gateway_generation::classic;
    s.port = g.port;
    s.pid = g.pid;
  }
  soak_run run(options, servers);
  run.pool = number_pool(options.seed);
  run.vectors = open_profile_vectors(options.vectors_path);
  check_model_against_vectors(run);
  for (std::size_t i = 0; i < servers.size(); ++i) {
    run.baseline_fds[i] = open_descriptors(servers[i].pid);  // before the driver's first connection
    run.journal_before[i] = recorded_so_far(servers[i]);
  }
  run.started = steady::now();
  {  // the workers' connections close when they go, before the descriptors are counted
    monitor watch(run);
    std::thread watching([&] { watch.loop(); });
    fixture_writer writer(run);
    std::vector<std::thread> primers;
    primers.emplace_back([&writer] { writer.prime(); });
    for (int i = 0; i < options.clients; ++i) primers.emplace_back([&run] { prime_loop(run); });
    for (auto& t : primers) t.join();
    run.timed_from_s = run.elapsed_s();
    run.warm_until_s = run.timed_from_s + warmup_seconds(options.seconds);
    run.deadline = steady::now() + std::chrono::milliseconds(static_cast<std::int64_t>(options.seconds * 1000));

    std::thread writing([&] { writer.loop(); });
    std::vector<std::unique_ptr<quota_prober>> probers;
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < servers.size(); ++i) probers.push_back(std::make_unique<quota_prober>(run, i));
    for (auto& p : probers) threads.emplace_back([&p] { p->loop(); });
    for (int i = 0; i < options.clients; ++i) threads.emplace_back([&run, i] { client_loop(run, i); });
    std::thread clock([&] {
      while (steady::now() < run.deadline && !run.stopping) std::this_thread::sleep_for(50ms);
      run.stopping = true;
    });
    for (auto& t : threads) t.join();
    writing.join();
    clock.join();
    watching.join();
  }
  const double ran_s = run.elapsed_s();
  final_checks(run);

  std::ostringstream md;
  const bool passed = report(run, ran_s, md);
  json servers_summary = json::object();
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const rss_verdict r = rss_of(run, servers[i].name);
    servers_summary[servers[i].name] = {
        {"requests", servers[i].sent.load()}, {"journal_recorded", run.journal_recorded[i]},
        {"rss_kb", {{"start", r.start_kb}, {"warm_peak", r.warm_peak_kb}, {"after_peak", r.after_peak_kb}, {"end", r.end_kb}}},
        {"fds", {{"before", run.baseline_fds[i]}, {"after", run.final_fds[i]}}}};
  }
  std::ofstream(options.out_dir + "/SOAK.md") << md.str();
  write_samples(run, options.out_dir + "/rss.csv");
  json summary = {{"passed", passed}, {"seconds", ran_s}, {"priming_seconds", run.timed_from_s},
                  {"warm_until_seconds", run.warm_until_s}, {"wrong_answers", run.wrong_count},
                  {"failed_checks", run.failures}, {"outcomes", run.outcomes}, {"kinds", run.kinds},
                  {"facts", run.facts}, {"servers", servers_summary}};
  std::ofstream(options.out_dir + "/summary.json") << summary.dump(2) << "\n";
  std::cout << md.str();
  return passed ? 0 : 1;
}

}  // namespace
}  // namespace kuaidi::soak

int main(int argc, char** argv) {
  using namespace kuaidi::soak;
  const std::vector<std::string> args(argv + 1, argv + argc);
  run_options options;
  std::vector<server_arg> servers;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help") return std::cout << usage, 0;
    if (a == "--server-args") {
      for (const auto& arg : server_args()) std::cout << arg << "\n";
      return 0;
    }
    std::optional<std::string> v = value();
    if (!v) return bad_usage(a + " needs a value");
    if (a == "--write-fixtures") {
      std::ofstream out(*v, std::ios::binary | std::ios::trunc);
      out << fixture_document(1).dump(2);
      return out ? 0 : bad_usage("cannot write " + *v);
    }
    if (a == "--server") {
      const auto s = parse_server(*v);
      if (!s) return bad_usage("--server takes classic=PORT:PID or vpc=PORT:PID, got '" + *v + "'");
      servers.push_back(*s);
    } else if (a == "--fixtures") options.fixtures_path = *v;
    else if (a == "--seconds") options.seconds = std::atof(v->c_str());
    else if (a == "--clients") options.clients = std::atoi(v->c_str());
    else if (a == "--seed") options.seed = std::strtoull(v->c_str(), nullptr, 10);
    else if (a == "--out") options.out_dir = *v;
    else if (a == "--vectors") options.vectors_path = *v;
    else return bad_usage("unknown option " + a);
  }
  if (servers.size() != 2 || servers[0].name == servers[1].name)
    return bad_usage("give one --server classic=PORT:PID and one --server vpc=PORT:PID");
  if (options.fixtures_path.empty()) return bad_usage("--fixtures FILE is required (the servers' fixture file)");
  if (options.seconds <= 0 || options.clients <= 0) return bad_usage("--seconds and --clients must be above 0");
  ::signal(SIGPIPE, SIG_IGN);
  return run_soak(options, servers);
}
