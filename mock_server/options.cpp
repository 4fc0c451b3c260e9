#include "options.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "kuaidi/time.hpp"

namespace kuaidi::mock {

namespace {

bool parse_whole(const std::string& text, long long low, long long high, long long& value) {
  if (text.empty() || text.size() > 18) return false;
  char* end = nullptr;
  value = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0' && value >= low && value <= high;
}

std::string range_error(const std::string& flag, const std::string& value, long long low,
                        long long high) {
  return flag + " needs a whole number from " + std::to_string(low) + " to " +
         std::to_string(high) + ", got '" + value + "'";
}

// "ID:SECRET" or "ID:SECRET:disabled"; the secret never appears in an error.
bool parse_app(const std::string& text, own_platform_app& app, std::string& error) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    error = "--app needs ID:SECRET[:disabled] (the appid, a colon, the app secret)";
    return false;
  }
  app.appid = text.substr(0, colon);
  app.secret = text.substr(colon + 1);
  constexpr std::string_view disabled = ":disabled";
  if (app.secret.size() > disabled.size() &&
      app.secret.compare(app.secret.size() - disabled.size(), disabled.size(), disabled) == 0) {
    app.secret.resize(app.secret.size() - disabled.size());
    app.disabled = true;
  }
  return true;
}

// "30m", "1s", "500ms", "2h": a whole number and its unit.
using setter = std::function<bool(mock_options&, const std::string& value, std::string& error)>;

setter whole(int mock_options::*field, const char* flag, long long low, long long high) {
  return [=](mock_options& o, const std::string& v, std::string& e) {
    long long n = 0;
    if (!parse_whole(v, low, high, n)) return e = range_error(flag, v, low, high), false;
    o.*field = static_cast<int>(n);
    return true;
  };
}

setter size(std::size_t mock_options::*field, const char* flag, long long low, long long high) {
  return [=](mock_options& o, const std::string& v, std::string& e) {
    long long n = 0;
    if (!parse_whole(v, low, high, n)) return e = range_error(flag, v, low, high), false;
    o.*field = static_cast<std::size_t>(n);
    return true;
  };
}

setter duration(std::int64_t referee_thresholds::*field, const char* flag) {
  return [=](mock_options& o, const std::string& v, std::string& e) {
    const auto ms = kuaidi::parse_duration_ms(v);
    if (!ms || *ms == 0) {
      e = std::string(flag) + " needs a duration above 0 such as 30m, 1s or 500ms";
      e += " (units ms, s, m, h, d), got '" + v + "'";
      return false;
    }
    o.referee.*field = *ms;
    return true;
  };
}

setter text(std::string mock_options::*field) {
  return [=](mock_options& o, const std::string& v, std::string&) {
    o.*field = v;
    return true;
  };
}

const std::map<std::string, setter>& valued_flags() {
  static const std::map<std::string, setter> flags = {
      {"--host", text(&mock_options::host)},
      {"--port", whole(&mock_options::port, "--port", 0, 65535)},
      {"--port-file", text(&mock_options::port_file)},
      {"--gateway",
       [](mock_options& o, const std::string& v, std::string& e) {
         if (v == "classic") o.gateway = gateway_generation::classic;
         else if (v == "vpc") o.gateway = gateway_generation::vpc;
         else return e = "--gateway must be classic or vpc, got '" + v + "'", false;
         return true;
       }},
      {"--platform",
       [](mock_options& o, const std::string& v, std::string& e) {
         if (v == "market") o.mode = platform::market;
         else if (v == "own") o.mode = platform::own;
         else return e = "--platform must be market or own, got '" + v + "'", false;
         return true;
       }},
      {"--appcode",
       [](mock_options& o, const std::string& v, std::string& e) {
         auto spec = parse_account_spec(v, e);
         if (spec) o.appcodes.push_back(*spec);
         return spec.has_value();
       }},
      {"--rate-limit", whole(&mock_options::rate_limit, "--rate-limit", 0, 1000000)},
      {"--app",
       [](mock_options& o, const std::string& v, std::string& e) {
         own_platform_app app;
         if (!parse_app(v, app, e)) return false;
         o.apps.push_back(app);
         o.mode = platform::own;
         return true;
       }},
      {"--sign-algorithm",
       [](mock_options& o, const std::string& v, std::string& e) {
         auto algorithm = parse_sign_algorithm(v);
         if (!algorithm) return e = "--sign-algorithm must be md5, sha256 or hmac_sha256, got '" + v + "'", false;
         o.algorithm = *algorithm;
         return true;
       }},
      {"--allow-source",
       [](mock_options& o, const std::string& v, std::string&) {
         o.allowed_sources.push_back(v);
         return true;
       }},
      {"--now",
       [](mock_options& o, const std::string& v, std::string& e) {
         o.now_seconds = parse_instant(v);
         if (!o.now_seconds)
           e = "--now needs epoch seconds or an ISO time such as 2022-10-27T19:30:00+08:00 "
               "(no zone means China time), got '" + v + "'";
         return o.now_seconds.has_value();
       }},
      {"--clock-rate",
       [](mock_options& o, const std::string& v, std::string& e) {
         char* end = nullptr;
         const double rate = std::strtod(v.c_str(), &end);
         if (v.empty() || *end != '\0' || !(rate >= 0 && rate <= max_clock_rate))
           return e = "--clock-rate needs simulated seconds per real second from 0 (a clock that stands "
                      "still) to 1000000, e.g. 3600 for an hour a second, got '" + v + "'", false;
         o.clock_rate = rate;
         return true;
       }},
      {"--fixtures", text(&mock_options::fixtures_path)},
      {"--latency",
       [](mock_options& o, const std::string& v, std::string& e) {
         auto range = parse_latency(v, e);
         if (range) o.latency = *range;
         return range.has_value();
       }},
      {"--fault-rate",
       [](mock_options& o, const std::string& v, std::string& e) {
         char* end = nullptr;
         const double rate = std::strtod(v.c_str(), &end);
         if (v.empty() || *end != '\0' || !(rate >= 0 && rate <= 1))
           return e = "--fault-rate needs a probability from 0 to 1, got '" + v + "'", false;
         o.fault_rate = rate;
         return true;
       }},
      {"--faults",
       [](mock_options& o, const std::string& v, std::string& e) {
         auto list = parse_fault_list(v, e);
         if (list) o.faults = *list;
         return list.has_value();
       }},
      {"--seed",
       [](mock_options& o, const std::string& v, std::string& e) {
         long long n = 0;
         if (!parse_whole(v, 0, 9007199254740991LL, n)) return e = "--seed needs a whole number >= 0, got '" + v + "'", false;
         o.seed = static_cast<std::uint64_t>(n);
         return true;
       }},
      {"--backend-timeout", whole(&mock_options::backend_timeout_ms, "--backend-timeout", 1, 600000)},
      {"--web-root", text(&mock_options::web_root)},
      {"--threads", whole(&mock_options::threads, "--threads", 0, 64)},
      {"--keep-alive-timeout", whole(&mock_options::keep_alive_timeout_s, "--keep-alive-timeout", 0, 3600)},
      {"--read-timeout", whole(&mock_options::read_timeout_s, "--read-timeout", 1, 3600)},
      {"--max-url-length", size(&mock_options::max_url_length, "--max-url-length", 64, 8000)},
      {"--max-request-bytes", size(&mock_options::max_request_bytes, "--max-request-bytes", 1024, 64 << 20)},
      {"--journal-size", size(&mock_options::journal_size, "--journal-size", 0, 1000000)},
      {"--log", text(&mock_options::log_target)},
      {"--sign-query",
       [](mock_options& o, const std::string& v, std::string&) {
         o.sign_query = v;
         return true;
       }},
      {"--secret", text(&mock_options::sign_secret)},
      {"--report", text(&mock_options::report_path)},
      {"--fail-on",
       [](mock_options& o, const std::string& v, std::string& e) {
         o.fail_on.clear();
         if (v == "all") return o.fail_on.assign(all_referee_rules.begin(), all_referee_rules.end()), true;
         for (std::size_t start = 0; start <= v.size();) {
           const std::size_t comma = std::min(v.find(',', start), v.size());
           const std::string name = v.substr(start, comma - start);
           const auto rule = parse_referee_rule(name);
           if (!rule)
             return e = "--fail-on: unknown rule '" + name + "'; the rules are " + referee_rule_names() +
                        " (or all)", false;
           o.fail_on.push_back(*rule);
           start = comma + 1;
         }
         return true;
       }},
      {"--duplicate-window", duration(&referee_thresholds::duplicate_window_ms, "--duplicate-window")},
      {"--throttle-backoff", duration(&referee_thresholds::throttle_backoff_ms, "--throttle-backoff")},
      {"--storm-window", duration(&referee_thresholds::storm_window_ms, "--storm-window")},
      {"--storm-calls",
       [](mock_options& o, const std::string& v, std::string& e) {
         long long n = 0;
         if (!parse_whole(v, 1, 1000000, n)) return e = range_error("--storm-calls", v, 1, 1000000), false;
         o.referee.storm_calls = static_cast<int>(n);
         return true;
       }},
  };
  return flags;
}

bool apply_switch(mock_options& o, const std::string& name, const std::optional<std::string>& value,
                  std::string& error) {
  if (name == "--list-scenarios") {
    const std::string format = value.value_or("markdown");
    if (format == "markdown") o.list = scenario_listing::markdown;
    else if (format == "json") o.list = scenario_listing::json;
    else return error = "--list-scenarios takes =markdown or =json, got '" + format + "'", false;
    return true;
  }
  if (value) return error = name + " takes no value", false;
  if (name == "--expose-headers") o.expose_headers = true;
  else if (name == "--appcode-in-query") o.appcode_in_query = true;
  else if (name == "--help" || name == "-h") o.help = true;
  else if (name == "--version") o.version = true;
  else return error = "unknown option '" + name + "' (see kuaidi-mock --help)", false;
  return true;
}

}  // namespace

parsed_options parse_options(const std::vector<std::string>& args) {
  parsed_options result;
  mock_options& o = result.options;
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
      if (!apply_switch(o, name, value, result.error)) return result;
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) return result.error = name + " needs a value (see kuaidi-mock --help)", result;
      value = args[++i];
    }
    if (!flag->second(o, *value, result.error)) return result;
  }
  if (o.sign_query && o.sign_secret.empty())
    result.error = "--sign-query needs --secret SECRET (the app secret to sign with)";
  return result;
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
