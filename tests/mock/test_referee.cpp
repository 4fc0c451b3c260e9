// The referee on the wire: each rule fires on the traffic that breaks it, with its counts and
// request ids, and not on a well-behaved client; GET /__admin/report, --report (JUnit read back
// with an XML reader), --fail-on and the threshold flags.

#include <map>
#include <memory>

#include "expect.hpp"
#include "kuaidi/referee.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

// Sends the call and returns its X-Ca-Request-Id.
std::string call(httplib::Client& client, const std::string& target, const std::string& appcode,
                 const std::string& fault = {}) {
  httplib::Headers headers;
  if (!appcode.empty()) headers = appcode_header(appcode);
  if (!fault.empty()) headers.emplace("X-Mock-Fault", fault);
  auto res = client.Get(target.c_str(), headers);
  REQUIRE(res);
  return res->get_header_value("X-Ca-Request-Id");
}

const json* finding(const json& report, std::string_view rule) {
  for (const json& f : report["findings"])
    if (f["rule"] == std::string(rule)) return &f;
  return nullptr;
}

void check_finding(const json& report, std::string_view rule, int count, int wasted, const std::string& first,
                   const std::string& last, const referee_thresholds& thresholds = {}) {
  INFO("rule " << rule << " in " << report.dump());
  const json* f = finding(report, rule);
  REQUIRE(f);
  CHECK((*f)["count"] == count);
  CHECK((*f)["billed_calls_wasted"] == wasted);
  CHECK((*f)["first_request_id"] == first);
  CHECK((*f)["last_request_id"] == last);
  const auto parsed = parse_referee_rule(rule);
  REQUIRE(parsed);
  CHECK((*f)["explanation"]["en"] == explain(*parsed, thresholds).en);
  CHECK((*f)["explanation"]["zh"] == explain(*parsed, thresholds).zh);
}

// A strict reader for the small XML the report is written in: one declaration, elements,
// attributes in double quotes, text and the five predefined entities. Anything else fails.
struct xml_element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<xml_element> children;
};

class xml_reader {
 public:
  explicit xml_reader(std::string text) : text_(std::move(text)) {}

  std::optional<xml_element> document() {
    if (text_.rfind("<?xml ", 0) == 0) at_ = text_.find("?>") + 2;
    auto root = element();
    skip_space();
    if (!root || at_ != text_.size()) return std::nullopt;
    return root;
  }

 private:
  void skip_space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }

  std::string name() {
    const std::size_t start = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_' ||
                                  text_[at_] == '-' || text_[at_] == '.'))
      ++at_;
    return text_.substr(start, at_ - start);
  }

  std::optional<std::string> unescaped(std::string_view raw) {
    static const std::pair<const char*, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '<') return std::nullopt;
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      bool known = false;
      for (const auto& [entity, c] : entities) {
        if (raw.substr(i, std::string_view(entity).size()) != entity) continue;
        out += c;
        i += std::string_view(entity).size() - 1;
        known = true;
        break;
      }
      if (!known) return std::nullopt;
    }
    return out;
  }

  std::optional<xml_element> element() {
    skip_space();
    if (at_ >= text_.size() || text_[at_] != '<') return std::nullopt;
    ++at_;
    xml_element e;
    e.name = name();
    if (e.name.empty()) return std::nullopt;
    for (;;) {
      skip_space();
      if (text_.compare(at_, 2, "/>") == 0) return at_ += 2, e;
      if (at_ < text_.size() && text_[at_] == '>') break;
      const std::string attribute = name();
      if (attribute.empty() || text_.compare(at_, 2, "=\"") != 0) return std::nullopt;
      const std::size_t close = text_.find('"', at_ + 2);
      if (close == std::string::npos) return std::nullopt;
      auto value = unescaped(std::string_view(text_).substr(at_ + 2, close - at_ - 2));
      if (!value || e.attributes.count(attribute)) return std::nullopt;
      e.attributes[attribute] = *value;
      at_ = close + 1;
    }
    ++at_;
    for (;;) {
      const std::size_t open = text_.find('<', at_);
      if (open == std::string::npos) return std::nullopt;
      auto text = unescaped(std::string_view(text_).substr(at_, open - at_));
      if (!text) return std::nullopt;
      e.text += *text;
      at_ = open;
      if (text_.compare(at_, 2, "</") == 0) {
        at_ += 2;
        if (name() != e.name || at_ >= text_.size() || text_[at_] != '>') return std::nullopt;
        return ++at_, e;
      }
      auto child = element();
      if (!child) return std::nullopt;
      e.children.push_back(std::move(*child));
    }
  }

  std::string text_;
  std::size_t at_ = 0;
};

}  // namespace

TEST_CASE("each rule fires on the traffic that breaks it, with its counts and request ids", "[referee]") {
  mock_process server({"--appcode", "DUPLICATE0001", "--appcode", "REFUSED000001", "--appcode",
                       "EXHAUSTED0001:0", "--appcode", "THROTTLED0001", "--appcode", "STORMY0000001",
                       "--appcode", "TAILLESS00001"});
  auto client = server.client();
  const std::string duplicate_1 = call(client, "/query?kddh=JT3084743373888", "DUPLICATE0001");
  const std::string duplicate_2 = call(client, "/query?kddh=JT3084743373888", "DUPLICATE0001");
  call(client, "/query?kddh=", "REFUSED000001");
  const std::string refused_again = call(client, "/query?kddh=", "REFUSED000001");
  call(client, "/query?kddh=JT3084743373885", "EXHAUSTED0001");
  const std::string exhausted_again = call(client, "/query?kddh=JT3084743373885", "EXHAUSTED0001");
  call(client, "/query?kddh=JT3084743373883", "THROTTLED0001", "throttle");
  const std::string too_soon = call(client, "/query?kddh=JT3084743373884", "THROTTLED0001");
  call(client, "/query?kddh=JT3084743373882", "STORMY0000001", "service_busy");
  std::vector<std::string> storm;
  for (int i = 0; i < 4; ++i)
    storm.push_back(call(client, "/query?kddh=JT3084743373882", "STORMY0000001", "service_busy"));
  const std::string in_url = call(client, "/query?kddh=JT3084743373881&AppCode=QUERYCODE0001", "");
  const std::string tailless = call(client, "/query?kddh=SF1385628716739&code=shunfeng", "TAILLESS00001");

  const json report = get_json(client, "/__admin/report");
  CHECK(report["requests"] == 15);
  CHECK(report["billed"] == 4);
  CHECK(report["findings"].size() == referee_rule_count);
  check_finding(report, "duplicate_billed_query", 1, 1, duplicate_2, duplicate_2);
  check_finding(report, "retried_vendor_refusal", 1, 0, refused_again, refused_again);
  check_finding(report, "call_after_quota_exhausted", 1, 0, exhausted_again, exhausted_again);
  check_finding(report, "no_backoff_after_throttle", 1, 1, too_soon, too_soon);
  check_finding(report, "retry_storm_after_gateway_error", 1, 0, storm[3], storm[3]);
  check_finding(report, "appcode_in_query", 1, 0, in_url, in_url);
  check_finding(report, "missing_tel_for_carrier", 1, 1, tailless, tailless);
  for (const char* code : {"QUERYCODE0001", "DUPLICATE0001", "TAILLESS00001"})
    CHECK(report.dump().find(code) == std::string::npos);
  CHECK(duplicate_1 != duplicate_2);

  auto reset = client.Post("/__admin/reset");
  REQUIRE(reset);
  CHECK(get_json(client, "/__admin/report")["findings"].empty());
  CHECK(get_json(client, "/__admin/report")["requests"] == 0);
  call(client, "/query?kddh=JT3084743373881&AppCode=QUERYCODE0001", "");
  CHECK(get_json(client, "/__admin/report")["findings"].size() == 1);
  REQUIRE(client.Delete("/__admin/report"));
  CHECK(get_json(client, "/__admin/report")["findings"].empty());
}

TEST_CASE("a well-behaved client gets no finding", "[referee]") {
  // A report that could not be written at the end is refused at start-up.
  const run_result nowhere = run_mock({"--report", "/nonexistent-folder/x.xml"});
  CHECK(nowhere.exit_code == 2);
  CHECK(nowhere.err.find("--report /nonexistent-folder/x.xml: its folder does not exist") !=
        std::string::npos);

  mock_process polite({"--appcode", "POLITECODE01", "--fail-on", "all"});
  auto client = polite.client();
  call(client, "/query?kddh=JT3084743373888", "POLITECODE01");
  call(client, "/query?kddh=YT8962646785389", "POLITECODE01");
  call(client, "/query?kddh=SF1385628716739&code=shunfeng&tel=8888", "POLITECODE01");
  call(client, "/query?kddh=", "POLITECODE01");
  call(client, "/query?kddh=JT3084743373881", "POLITECODE01");
  call(client, "/query?kddh=JT3084743373882", "POLITECODE01", "service_busy");
  call(client, "/query?kddh=JT3084743373882", "POLITECODE01");
  const json report = get_json(client, "/__admin/report");
  CHECK(report["findings"].empty());
  CHECK(report["requests"] == 7);
  CHECK(report["billed"] == 5);
  CHECK(polite.stop() == 0);
}

TEST_CASE("--report FILE.xml is JUnit read back as XML; --fail-on sets the exit status", "[referee]") {
  temp_folder folder;
  const std::string xml = folder.path() + "/referee.xml";
  mock_process server({"--report", xml, "--fail-on", "duplicate_billed_query,appcode_in_query"});
  auto client = server.client();
  call(client, "/query?kddh=JT3084743373888", "JUNITCODE001");
  const std::string repeat = call(client, "/query?kddh=JT3084743373888", "JUNITCODE001");
  const std::string tailless = call(client, "/query?kddh=SF1385628716739&code=shunfeng", "JUNITCODE001");
  CHECK(server.stop() == 1);
  CHECK(server.stderr_text().find("--fail-on: duplicate_billed_query fired") != std::string::npos);
  CHECK(server.stderr_text().find("missing_tel_for_carrier fired") == std::string::npos);

  const std::string written = read_text_file(xml);
  CHECK(written.find("JUNITCODE001") == std::string::npos);
  const auto document = xml_reader(written).document();
  INFO(written);
  REQUIRE(document);
  REQUIRE(document->name == "testsuites");
  REQUIRE(document->children.size() == 1);
  const xml_element& suite = document->children[0];
  CHECK(suite.name == "testsuite");
  CHECK(suite.attributes.at("tests") == std::to_string(referee_rule_count));
  CHECK(suite.attributes.at("failures") == "2");
  std::vector<std::string> names;
  std::map<std::string, const xml_element*> failures;
  for (const xml_element& child : suite.children) {
    if (child.name != "testcase") continue;
    names.push_back(child.attributes.at("name"));
    for (const xml_element& inside : child.children)
      if (inside.name == "failure") failures[child.attributes.at("name")] = &inside;
  }
  std::vector<std::string> rules;
  for (const referee_rule rule : all_referee_rules) rules.emplace_back(to_string(rule));
  CHECK(names == rules);
  REQUIRE(failures.size() == 2);
  const xml_element& duplicate = *failures.at("duplicate_billed_query");
  CHECK(duplicate.attributes.at("message").find("1 request(s), 1 billed call(s) wasted; first " + repeat) !=
        std::string::npos);
  CHECK(duplicate.text.find(explain(referee_rule::duplicate_billed_query, {}).en) != std::string::npos);
  CHECK(duplicate.text.find(explain(referee_rule::duplicate_billed_query, {}).zh) != std::string::npos);
  const xml_element& tail = *failures.at("missing_tel_for_carrier");
  CHECK(tail.attributes.at("message").find("first " + tailless) != std::string::npos);
  CHECK(written.find("referee.xml.tmp") == std::string::npos);
}

TEST_CASE("--report FILE.json is the admin API's report; --fail-on passes when those rules did not fire",
          "[referee]") {
  temp_folder folder;
  const std::string path = folder.path() + "/referee.json";
  mock_process server({"--report", path, "--fail-on",
                       "missing_tel_for_carrier,retry_storm_after_gateway_error", "--storm-calls", "1",
                       "--storm-window", "1h", "--duplicate-window", "90m", "--throttle-backoff", "250ms"});
  auto client = server.client();
  call(client, "/query?kddh=JT3084743373888", "JSONCODE0001");
  call(client, "/query?kddh=JT3084743373888", "JSONCODE0001");
  const json live = get_json(client, "/__admin/report");
  CHECK(live["thresholds"] == json{{"duplicate_window_ms", 90 * 60 * 1000},
                                   {"throttle_backoff_ms", 250},
                                   {"storm_calls", 1},
                                   {"storm_window_ms", 3600 * 1000}});
  CHECK(server.stop() == 0);
  const json written = json::parse(read_text_file(path), nullptr, false);
  REQUIRE_FALSE(written.is_discarded());
  CHECK(written == live);
  REQUIRE(written["findings"].size() == 1);
  CHECK(written["findings"][0]["explanation"]["en"].get<std::string>().find("within 90 min") !=
        std::string::npos);

  mock_process stormy({"--fail-on", "all", "--storm-calls", "1", "--storm-window", "1h"});
  auto storm_client = stormy.client();
  call(storm_client, "/query?kddh=JT3084743373882", "STORMCODE001", "gateway_internal");
  call(storm_client, "/query?kddh=JT3084743373883", "STORMCODE001");
  const std::string storm = call(storm_client, "/query?kddh=JT3084743373884", "STORMCODE001");
  referee_thresholds stormy_thresholds;
  stormy_thresholds.storm_calls = 1;
  stormy_thresholds.storm_window_ms = 3600 * 1000;
  check_finding(get_json(storm_client, "/__admin/report"), "retry_storm_after_gateway_error", 1, 1, storm,
                storm, stormy_thresholds);
  CHECK(stormy.stop() == 1);
}

TEST_CASE("a bad referee flag is refused at start-up with what is accepted", "[referee]") {
  const run_result unknown = run_mock({"--fail-on", "duplicate_billed_query,slow_client"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown rule 'slow_client'") != std::string::npos);
  CHECK(unknown.err.find(referee_rule_names()) != std::string::npos);
  for (const char* flag : {"--duplicate-window", "--throttle-backoff", "--storm-window"}) {
    for (const char* value : {"30", "0s", "1w", "m"}) {
      const run_result bad = run_mock({flag, value});
      INFO(flag << " " << value << ": " << bad.err);
      CHECK(bad.exit_code == 2);
      CHECK(bad.err.find(std::string(flag) + " needs a duration") != std::string::npos);
    }
  }
  CHECK(run_mock({"--storm-calls", "0"}).exit_code == 2);
  const run_result help = run_mock({"--help"});
  for (const char* flag : {"--report", "--fail-on", "--duplicate-window", "--throttle-backoff",
                           "--storm-calls", "--storm-window"})
    CHECK(help.out.find(flag) != std::string::npos);
}

}  // namespace kuaidi::mock_test
