#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "kuaidi/time.hpp"
#include "text.hpp"

namespace kuaidi::mock {

namespace {

std::string range_error(const std::string& flag, const std::string& value, long long low, long long high) {
  return flag + " needs a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
         ", got '" + value + "'";
}

// A decimal number and nothing else ("3600", "0.25").
std::optional<double> decimal(const std::string& text) {
  double value = 0;
  const char* const end = text.data() + text.size();
  const auto [next, problem] = std::from_chars(text.data(), end, value);
  if (problem != std::errc() || next != end) return std::nullopt;
  return value;
}

// "ID:SECRET" or "ID:SECRET:disabled"; the secret never appears in an error.
result<own_platform_app> parse_app(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return fail("--app needs ID:SECRET[:disabled] (the appid, a colon, the app secret)");
  own_platform_app app;
  app.appid = text.substr(0, colon);
  app.secret = text.substr(colon + 1);
  constexpr std::string_view disabled = ":disabled";
  if (app.secret.size() > disabled.size() &&
      app.secret.compare(app.secret.size() - disabled.size(), disabled.size(), disabled) == 0) {
    app.secret.resize(app.secret.size() - disabled.size());
    app.disabled = true;
  }
  return app;
}

using setter = std::function<result<>(mock_options&, const std::string& value)>;

template <typename Number>
setter whole(Number mock_options::*field, const char* flag, long long low, long long high) {
  return [=](mock_options& o, const std::string& v) -> result<> {
    const auto n = text::whole_number(v, low, high);
    if (!n) return fail(range_error(flag, v, low, high));
    o.*field = static_cast<Number>(*n);
    return {};
  };
}

// "30m", "1s", "500ms", "2h": a whole number and its unit.
setter duration(std::int64_t referee_thresholds::*field, const char* flag) {
  return [=](mock_options& o, const std::string& v) -> result<> {
    const auto ms = kuaidi::parse_duration_ms(v);
    if (!ms || *ms == 0)
      return fail(std::string(flag) + " needs a duration above 0 such as 30m, 1s or 500ms " +
                  "(units ms, s, m, h, d), got '" + v + "'");
    o.referee.*field = *ms;
    return {};
  };
}

setter verbatim(std::string mock_options::*field) {
  return [=](mock_options& o, const std::string& v) -> result<> {
    o.*field = v;
    return {};
  };
}

// A value the core parses (the names it accepts live beside its enum), and what to say otherwise.
template <typename Value, typename Parse>
setter named(Value mock_options::*field, Parse parse, const char* refusal) {
  return [=](mock_options& o, const std::string& v) -> result<> {
    const std::optional<Value> value = parse(v);
    if (!value) return fail(refusal + ("'" + v + "'"));
    o.*field = *value;
    return {};
  };
}

// Appends what the core parses, or passes its error on.
template <typename Value, typename Parse>
setter repeated(std::vector<Value> mock_options::*field, Parse parse) {
  return [=](mock_options& o, const std::string& v) -> result<> {
    auto value = parse(v);
    if (!value) return fail(value.error());
    (o.*field).push_back(std::move(*value));
    return {};
  };
}

const std::map<std::string, setter>& valued_flags() {
  static const std::map<std::string, setter> flags = {
      {"--host", verbatim(&mock_options::host)},
      {"--port", whole(&mock_options::port, "--port", 0, 65535)},
      {"--port-file", verbatim(&mock_options::port_file)},
      {"--gateway",
       named(&mock_options::gateway, parse_gateway_generation, "--gateway must be classic or vpc, got ")},
      {"--platform", named(&mock_options::mode, parse_platform, "--platform must be market or own, got ")},
      {"--appcode", repeated(&mock_options::appcodes, parse_account_spec)},
      {"--rate-limit", whole(&mock_options::rate_limit, "--rate-limit", 0, 1000000)},
      {"--app",
       [](mock_options& o, const std::string& v) -> result<> {
         auto app = parse_app(v);
         if (!app) return fail(app.error());
         o.apps.push_back(*app);
         o.mode = platform::own;
         return {};
       }},
      {"--sign-algorithm", named(&mock_options::algorithm, parse_sign_algorithm,
                                 "--sign-algorithm must be md5, sha256 or hmac_sha256, got ")},
      {"--allow-source",
       [](mock_options& o, const std::string& v) -> result<> {
         o.allowed_sources.push_back(v);
         return {};
       }},
      {"--now",
       [](mock_options& o, const std::string& v) -> result<> {
         o.now_seconds = parse_instant(v);
         if (!o.now_seconds)
           return fail(
               "--now needs epoch seconds or an ISO time such as 2022-10-27T19:30:00+08:00 "
               "(no zone means China time), got '" +
               v + "'");
         return {};
       }},
      {"--clock-rate",
       [](mock_options& o, const std::string& v) -> result<> {
         const auto rate = decimal(v);
         if (!rate || !(*rate >= 0 && *rate <= max_clock_rate))
           return fail(
               "--clock-rate needs simulated seconds per real second from 0 (a clock that stands "
               "still) to 1000000, e.g. 3600 for an hour a second, got '" +
               v + "'");
         o.clock_rate = *rate;
         return {};
       }},
      {"--fixtures", verbatim(&mock_options::fixtures_path)},
      {"--latency",
       [](mock_options& o, const std::string& v) -> result<> {
         const auto range = parse_latency(v);
         if (!range) return fail(range.error());
         o.latency = *range;
         return {};
       }},
      {"--fault-rate",
       [](mock_options& o, const std::string& v) -> result<> {
         const auto rate = decimal(v);
         if (!rate || !(*rate >= 0 && *rate <= 1))
           return fail("--fault-rate needs a probability from 0 to 1, got '" + v + "'");
         o.fault_rate = *rate;
         return {};
       }},
      {"--faults",
       [](mock_options& o, const std::string& v) -> result<> {
         auto list = parse_fault_list(v);
         if (!list) return fail(list.error());
         o.faults = std::move(*list);
         return {};
       }},
      {"--seed",
       [](mock_options& o, const std::string& v) -> result<> {
         const auto n = text::whole_number(v, 0, 9007199254740991LL);
         if (!n) return fail("--seed needs a whole number >= 0, got '" + v + "'");
         o.seed = static_cast<std::uint64_t>(*n);
         return {};
       }},
      {"--backend-timeout", whole(&mock_options::backend_timeout_ms, "--backend-timeout", 1, 600000)},
      {"--web-root", verbatim(&mock_options::web_root)},
      {"--threads", whole(&mock_options::threads, "--threads", 0, 64)},
      {"--keep-alive-timeout", whole(&mock_options::keep_alive_timeout_s, "--keep-alive-timeout", 0, 3600)},
      {"--read-timeout", whole(&mock_options::read_timeout_s, "--read-timeout", 1, 3600)},
      {"--max-url-length", whole(&mock_options::max_url_length, "--max-url-length", 64, 8000)},
      {"--max-request-bytes", whole(&mock_options::max_request_bytes, "--max-request-bytes", 1024, 64 << 20)},
      {"--journal-size", whole(&mock_options::journal_size, "--journal-size", 0, 1000000)},
      {"--log", verbatim(&mock_options::log_target)},
      {"--sign-query",
       [](mock_options& o, const std::string& v) -> result<> {
         o.sign_query = v;
         return {};
       }},
      {"--secret", verbatim(&mock_options::sign_secret)},
      {"--report", verbatim(&mock_options::report_path)},
      {"--fail-on",
       [](mock_options& o, const std::string& v) -> result<> {
         o.fail_on.clear();
         if (v == "all") {
           o.fail_on.assign(all_referee_rules.begin(), all_referee_rules.end());
           return {};
         }
         for (std::size_t start = 0; start <= v.size();) {
           const std::size_t comma = std::min(v.find(',', start), v.size());
           const std::string name = v.substr(start, comma - start);
           const auto rule = parse_referee_rule(name);
           if (!rule)
             return fail("--fail-on: unknown rule '" + name + "'; the rules are " + referee_rule_names() +
                         " (or all)");
           o.fail_on.push_back(*rule);
           start = comma + 1;
         }
         return {};
       }},
      {"--duplicate-window", duration(&referee_thresholds::duplicate_window_ms, "--duplicate-window")},
      {"--throttle-backoff", duration(&referee_thresholds::throttle_backoff_ms, "--throttle-backoff")},
      {"--storm-window", duration(&referee_thresholds::storm_window_ms, "--storm-window")},
      {"--storm-calls",
       [](mock_options& o, const std::string& v) -> result<> {
         const auto n = text::whole_number(v, 1, 1000000);
         if (!n) return fail(range_error("--storm-calls", v, 1, 1000000));
         o.referee.storm_calls = static_cast<int>(*n);
         return {};
       }},
  };
  return flags;
}

result<> apply_switch(mock_options& o, const std::string& name, const std::optional<std::string>& value) {
  if (name == "--list-scenarios") {
    const std::string format = value.value_or("markdown");
    if (format == "markdown")
      o.list = scenario_listing::markdown;
    else if (format == "json")
      o.list = scenario_listing::json;
    else
      return fail("--list-scenarios takes =markdown or =json, got '" + format + "'");
    return {};
  }
  if (value) return fail(name + " takes no value");
  if (name == "--expose-headers")
    o.expose_headers = true;
  else if (name == "--appcode-in-query")
    o.appcode_in_query = true;
  else if (name == "--help" || name == "-h")
    o.help = true;
  else if (name == "--version")
    o.version = true;
  else
    return fail("unknown option '" + name + "' (see kuaidi-mock --help)");
  return {};
}

}  // namespace

result<mock_options> parse_options(const std::vector<std::string>& args) {
  mock_options o;
  const auto& flags = valued_flags();
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    const std::size_t eq = name.find('=');
    if (name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto flag = flags.find(name);
    if (flag == flags.end()) {
      if (auto applied = apply_switch(o, name, value); !applied) return fail(applied.error());
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) return fail(name + " needs a value (see kuaidi-mock --help)");
      value = args[++i];
    }
    if (auto applied = flag->second(o, *value); !applied) return fail(applied.error());
  }
  if (o.sign_query && o.sign_secret.empty())
    return fail("--sign-query needs --secret SECRET (the app secret to sign with)");
  return o;
}

simulator_config simulator_config_from(const mock_options& o, std::int64_t trace_anchor_seconds) {
  simulator_config c;
  c.gateway = o.gateway;
  c.mode = o.mode;
  c.appcodes = o.appcodes;
  c.rate_limit = o.rate_limit;
  c.apps = o.apps;
  c.algorithm = o.algorithm;
  c.allowed_sources = o.allowed_sources;
  c.latency = o.latency;
  c.fault_rate = o.fault_rate;
  c.faults = o.faults;
  c.seed = o.seed;
  c.backend_timeout_ms = o.backend_timeout_ms;
  c.max_url_length = o.max_url_length;
  c.appcode_in_query = o.appcode_in_query;
  c.expose_headers = o.expose_headers;
  c.trace_anchor_seconds = trace_anchor_seconds;
  c.clock_rate = o.clock_rate;
  return c;
}

std::string usage_text() {
  return R"(kuaidi-mock — an offline stand-in for the 拇指云 express-tracking API (GET /query)

Usage: kuaidi-mock [options]

Server
  --host H                 address to bind (default 127.0.0.1)
  --port N                 port (default 8080; 0 picks a free one)
  --port-file FILE         write the bound port to FILE once listening
  --gateway classic|vpc    which generation of Aliyun gateway errors to send (default classic)
  --web-root DIR           serve the built web page at / (default: ../share/kuaidi-kit/web beside the
                           installed binary, else a page saying how to build it)
  --expose-headers         add Access-Control-Expose-Headers (the real gateway sends none)
  --threads N              event-loop threads, each serving any number of connections
                           (default 0: two per CPU core)
  --keep-alive-timeout S   close idle keep-alive connections after S seconds (default 5)
  --read-timeout S         a request must arrive whole within S seconds (default 5)
  --max-url-length N       longer request targets get the gateway's URL-too-long answer (default 8000)
  --max-request-bytes N    request line + headers + body limit (default 65536)
  --journal-size N         requests kept for GET /__admin/journal (default 1000; 0 keeps none)
  --log -|FILE|off         one JSON line per request (default - : stderr); AppCodes are masked

Accounts (Aliyun market)
  --appcode CODE[:QUOTA[:STATE]]   an AppCode the gateway accepts (repeatable); QUOTA = calls left
                           or 'unlimited'; STATE = active|expired|unauthorized|arrears|auth_expired|
                           subscription_invalid|provider_overdue. With no --appcode any non-empty
                           AppCode is accepted with unlimited quota.
  --rate-limit N           calls per second per AppCode before 'Throttled' (default 0: none)
  --appcode-in-query       the provider's "Header & Query" mode: ?AppCode= authorises too (by default,
                           as on the market, only the Authorization header does)

Vendor's own platform (appid + sendtime + sign instead of an AppCode)
  --app ID:SECRET[:disabled]   an app of the own platform (repeatable); implies --platform own
  --platform market|own    choose the platform explicitly (default market)
  --sign-algorithm A       md5 (default), sha256 or hmac_sha256
  --allow-source X         allowed caller IP or Origin (repeatable); others get source_forbidden
  --sign-query QUERY --secret SECRET
                           print the string to sign and the sign for QUERY, then exit

Answers
  --now TIME               pin the clock: epoch seconds or ISO (2022-10-27T19:30:00+08:00); with
                           --clock-rate it pins where the clock starts
  --clock-rate N           simulated seconds per real second for synthetic parcels (default 0: the
                           simulated clock stands still); POST /__admin/clock {"advance": "6h"} or
                           {"set": "2022-10-28T09:00:00+08:00"} moves it, GET /__admin/clock shows it
  --fixtures FILE          JSON file of pinned answers; reloaded when it changes
  --list-scenarios[=markdown|json]  print every scenario with its reserved number, then exit

Faults
  --latency MS|MIN-MAX     added to every answer
  --fault-rate P           probability (0–1) that a request gets one of --faults
  --faults LIST            comma-separated: reset, truncate, malformed, timeout, throttle or a
                           gateway scenario id (default reset,truncate,malformed,timeout,throttle)
  --seed N                 seed for the random latency and faults (default 1)
  --backend-timeout MS     latency at or above this becomes the gateway's backend timeout (default 10000)

Referee (what the client under test wastes or gets wrong: GET /__admin/report)
  --report FILE            write the referee's report when the server stops: JUnit XML when FILE
                           ends in .xml (one test case per rule), JSON otherwise
  --fail-on RULE,...|all   exit status 1 when any of these rules fired: duplicate_billed_query,
                           retried_vendor_refusal, call_after_quota_exhausted, no_backoff_after_throttle,
                           retry_storm_after_gateway_error, appcode_in_query, missing_tel_for_carrier
  --duplicate-window D     the same kddh (+ tel) billed again within D is a duplicate (default 30m)
  --throttle-backoff D     a call within D of a throttled answer on that AppCode (default 1s)
  --storm-calls N --storm-window D   more than N calls within D of a gateway 5xx are a retry storm
                           (default 3 calls within 2s). Durations: 500ms, 2s, 30m, 1h

  --help, --version

Per request: X-Mock-Scenario: <id> (or ?__scenario=<id>), X-Mock-Fault: <fault> (or ?__fault=),
X-Mock-Latency: MS|MIN-MAX (or ?__latency=). Admin API: GET /__admin/ lists it.
)";
}

}  // namespace kuaidi::mock
