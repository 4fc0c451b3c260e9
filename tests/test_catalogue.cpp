// The catalogue against the vendor's page and api.md: ids, order, rules, texts and look-ups.
// Messages are never retyped here: the page (vectors/vendor_page.txt) is their reference.

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kuaidi/catalogue.hpp"
#include "vectors.hpp"

namespace {

using kuaidi::answer_source;
using kuaidi::scenario;

std::vector<std::string> ids_of(answer_source source) {
  std::vector<std::string> ids;
  for (const scenario& s : kuaidi::all_scenarios())
    if (s.source == source) ids.emplace_back(s.id);
  return ids;
}

bool is_snake_case(std::string_view id) {
  if (id.empty() || !std::islower(static_cast<unsigned char>(id.front()))) return false;
  if (id.back() == '_') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (!(std::islower(c) || std::isdigit(c) || c == '_')) return false;
    if (c == '_' && i > 0 && id[i - 1] == '_') return false;
  }
  return true;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const scenario& require_scenario(const std::string& id) {
  const scenario* s = kuaidi::find_scenario(id);
  INFO("id: " << id);
  REQUIRE(s != nullptr);
  return *s;
}

std::string with_appid(const scenario& s, const std::string& appid) {
  const std::string placeholder =
      kuaidi::test::vectors("catalogue.json")["render"]["placeholder"].get<std::string>();
  std::string msg(s.msg);
  const auto at = msg.find(placeholder);
  REQUIRE(at != std::string::npos);
  return msg.replace(at, placeholder.size(), appid);
}

struct page_row {
  int ok;
  std::string msg;
};

// The rows "ok<TAB>msg<TAB>解决方式" of the page's table of common failures.
std::vector<page_row> failure_table_rows() {
  const auto& page = kuaidi::test::vectors("catalogue.json")["vendor_page"];
  std::istringstream lines(kuaidi::test::read_vector_text(page["file"].get<std::string>()));
  const std::string heading = page["failure_table_heading"].get<std::string>();
  std::vector<page_row> rows;
  bool in_table = false;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!in_table) {
      in_table = line.find(heading) != std::string::npos;
      continue;
    }
    if (line.size() > 2 && (line[0] == '0' || line[0] == '1') && line[1] == '\t') {
      const auto second_tab = line.find('\t', 2);
      REQUIRE(second_tab != std::string::npos);
      rows.push_back({line[0] - '0', line.substr(2, second_tab - 2)});
    } else if (line.empty() && !rows.empty()) {
      break;
    }
  }
  return rows;
}

}  // namespace

TEST_CASE("catalogue ids are unique and snake_case", "[catalogue]") {
  std::set<std::string> seen;
  for (const scenario& s : kuaidi::all_scenarios()) {
    INFO("id: " << s.id);
    CHECK(is_snake_case(s.id));
    CHECK(seen.insert(std::string(s.id)).second);
  }
}

TEST_CASE("catalogue holds exactly api.md's and gateway.md's answers in its order", "[catalogue]") {
  const auto& order = kuaidi::test::vectors("catalogue.json")["order"];
  const auto vendor = order["vendor"].get<std::vector<std::string>>();
  const auto own = order["own_platform"].get<std::vector<std::string>>();
  const auto gateway = order["gateway"].get<std::vector<std::string>>();
  REQUIRE(vendor.size() == 12 + 1);
  REQUIRE(own.size() == 11);
  REQUIRE(gateway.size() == 31);
  REQUIRE(kuaidi::test::vectors("catalogue.json")["gateway_answers"].size() == gateway.size());

  CHECK(ids_of(answer_source::vendor) == vendor);
  CHECK(ids_of(answer_source::own_platform) == own);
  CHECK(ids_of(answer_source::gateway) == gateway);

  // The sources follow each other in that order too.
  std::vector<std::string> expected = vendor;
  expected.insert(expected.end(), own.begin(), own.end());
  expected.insert(expected.end(), gateway.begin(), gateway.end());
  std::vector<std::string> actual;
  for (const scenario& s : kuaidi::all_scenarios()) actual.emplace_back(s.id);
  CHECK(actual == expected);
  CHECK(kuaidi::all_scenarios().size() == 55);
}

TEST_CASE("every vendor and own-platform msg is the page's text, verbatim", "[catalogue]") {
  const std::string page = kuaidi::test::read_vector_text(
      kuaidi::test::vectors("catalogue.json")["vendor_page"]["file"].get<std::string>());
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source == answer_source::gateway) continue;
    INFO("id: " << s.id);
    REQUIRE_FALSE(s.msg.empty());
    CHECK(page.find(std::string(s.msg)) != std::string::npos);
  }
}

TEST_CASE("every row of the page's failure table is in the catalogue with its ok", "[catalogue]") {
  const auto rows = failure_table_rows();
  REQUIRE(rows.size() == 12 + 11);
  std::set<std::string> matched;
  for (const page_row& row : rows) {
    INFO("page row: " << row.ok << " " << row.msg);
    const scenario* s = kuaidi::find_scenario_by_msg(row.msg);
    REQUIRE(s != nullptr);
    CHECK(s->msg == row.msg);
    CHECK(s->ok == row.ok);
    CHECK(s->source != answer_source::gateway);
    matched.insert(std::string(s->id));
  }
  // …and every failure of the catalogue is a row of that table.
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source == answer_source::gateway || s.kind == kuaidi::category::success) continue;
    INFO("id: " << s.id);
    CHECK(matched.count(std::string(s.id)) == 1);
  }
}

TEST_CASE("vendor answers follow the market's HTTP and billing rules", "[catalogue]") {
  for (const auto& expected : kuaidi::test::vectors("catalogue.json")["vendor_answers"]) {
    kuaidi::test::require_known_keys(expected, {"id", "ok", "category"});
    const scenario& s = require_scenario(expected["id"].get<std::string>());
    INFO("id: " << s.id);
    CHECK(s.source == answer_source::vendor);
    CHECK(s.ok == expected["ok"].get<int>());
    CHECK(kuaidi::to_string(s.kind) == expected["category"].get<std::string>());
  }
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source == answer_source::gateway) continue;
    INFO("id: " << s.id);
    REQUIRE((s.ok == 0 || s.ok == 1));
    if (s.ok == 0) {
      CHECK(s.http_status == 666);
      CHECK_FALSE(s.billed);
    } else {
      CHECK(s.http_status == 200);
      CHECK(s.billed);
    }
    CHECK(s.classic.http_status == 0);
    CHECK(s.classic.code.empty());
    CHECK(s.classic.message.empty());
    CHECK(s.vpc.http_status == 0);
    CHECK(s.vpc.code.empty());
    CHECK(s.vpc.message.empty());
  }
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source != answer_source::own_platform) continue;
    INFO("id: " << s.id);
    CHECK(s.kind == kuaidi::category::own_platform);
    CHECK(s.ok == 0);
  }
  const scenario& success = require_scenario("success");
  CHECK(success.kind == kuaidi::category::success);
  CHECK(success.ok == 1);
}

TEST_CASE("gateway answers have no body, are not billed and fill both generations", "[catalogue]") {
  using kuaidi::gateway_generation;
  for (const auto& expected : kuaidi::test::vectors("catalogue.json")["gateway_answers"]) {
    kuaidi::test::require_known_keys(expected, {"id", "category", "classic", "vpc", "confidence"});
    const scenario& s = require_scenario(expected["id"].get<std::string>());
    INFO("id: " << s.id);
    CHECK(kuaidi::to_string(s.kind) == expected["category"].get<std::string>());
    CHECK(s.classic.http_status == expected["classic"][0].get<int>());
    CHECK(s.classic.message == expected["classic"][1].get<std::string>());
    CHECK(s.vpc.http_status == expected["vpc"][0].get<int>());
    CHECK(s.vpc.code == expected["vpc"][1].get<std::string>());
    // The VPC message repeats the classic one unless gateway.md gives its own.
    const std::string vpc_message = expected["vpc"].size() > 2 ? expected["vpc"][2].get<std::string>()
                                                               : expected["classic"][1].get<std::string>();
    CHECK(s.vpc.message == vpc_message);
    CHECK(kuaidi::to_string(s.classic.confidence) == expected["confidence"][0].get<std::string>());
    CHECK(kuaidi::to_string(s.vpc.confidence) == expected["confidence"][1].get<std::string>());
    CHECK(kuaidi::confidence_of(s, gateway_generation::classic) == s.classic.confidence);
    CHECK(kuaidi::confidence_of(s, gateway_generation::vpc) == s.vpc.confidence);
  }
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source != answer_source::gateway) {
      CHECK(kuaidi::confidence_of(s, gateway_generation::vpc) == kuaidi::certainty::doc);
      continue;
    }
    INFO("id: " << s.id);
    CHECK(s.ok == -1);
    CHECK(s.msg.empty());
    CHECK_FALSE(s.billed);
    CHECK(s.http_status == s.classic.http_status);
    CHECK(s.classic.http_status >= 400);
    CHECK(s.classic.code.empty());
    CHECK_FALSE(s.classic.message.empty());
    CHECK(s.vpc.http_status >= 400);
    CHECK_FALSE(s.vpc.message.empty());
    CHECK(s.classic.confidence != kuaidi::certainty::doc);
    CHECK(s.vpc.confidence != kuaidi::certainty::doc);
    // No code is invented: a VPC answer without one is the project's decision.
    if (s.vpc.code.empty()) {
      CHECK(s.vpc.confidence == kuaidi::certainty::ours);
      continue;
    }
    // X-Ca-Error-Code: a letter, the three-digit status, two letters ("B403MQ").
    REQUIRE(s.vpc.code.size() == 6);
    CHECK(std::isupper(static_cast<unsigned char>(s.vpc.code[0])));
    CHECK(s.vpc.code.substr(1, 3) == std::to_string(s.vpc.http_status));
    CHECK(std::isupper(static_cast<unsigned char>(s.vpc.code[4])));
    CHECK(std::isupper(static_cast<unsigned char>(s.vpc.code[5])));
  }
}

TEST_CASE("every scenario_id names its entry, in catalogue order", "[catalogue]") {
  std::size_t index = 0;
  for (const scenario& s : kuaidi::all_scenarios()) {
    INFO("id: " << s.id);
    CHECK(static_cast<std::size_t>(s.key) == index++);
    CHECK(&kuaidi::entry(s.key) == &s);
    CHECK(kuaidi::to_string(s.key) == s.id);
  }
  CHECK(index == kuaidi::scenario_count);
  CHECK(kuaidi::entry(kuaidi::scenario_id::api_not_found).classic.message == "Invalid Url");
}

TEST_CASE("every entry says which request parameter it concerns", "[catalogue]") {
  const auto& expected = kuaidi::test::vectors("catalogue.json")["parameters"];
  for (const auto& [id, parameter] : expected.items()) require_scenario(id);
  for (const scenario& s : kuaidi::all_scenarios()) {
    INFO("id: " << s.id);
    const std::string want =
        expected.contains(std::string(s.id)) ? expected[std::string(s.id)].get<std::string>() : "none";
    CHECK(kuaidi::to_string(s.parameter) == want);
  }
}

TEST_CASE("each status lists the gateway entries answering it in either generation", "[catalogue]") {
  std::set<const scenario*> listed;
  for (int status : {400, 401, 403, 404, 405, 410, 413, 429, 500, 502, 503, 504}) {
    INFO("status " << status);
    const auto causes = kuaidi::gateway_scenarios_with_status(status);
    CHECK(causes.size() > 0);
    const scenario* previous = nullptr;
    for (const scenario* s : causes) {
      CHECK(s->source == answer_source::gateway);
      CHECK((s->classic.http_status == status || s->vpc.http_status == status));
      CHECK((previous == nullptr || previous < s));  // catalogue order, each once
      previous = s;
      listed.insert(s);
    }
  }
  for (const scenario& s : kuaidi::all_scenarios())
    if (s.source == answer_source::gateway) CHECK(listed.count(&s) == 1);
  CHECK(kuaidi::gateway_scenarios_with_status(200).size() == 0);
  CHECK(kuaidi::gateway_scenarios_with_status(666).size() == 0);
  CHECK(kuaidi::gateway_scenarios_with_status(414).size() == 0);
}

TEST_CASE("every entry explains itself in Chinese and English", "[catalogue]") {
  for (const scenario& s : kuaidi::all_scenarios()) {
    INFO("id: " << s.id);
    for (const kuaidi::localized_text* text : {&s.title, &s.explanation, &s.action}) {
      CHECK_FALSE(text->zh.empty());
      CHECK_FALSE(text->en.empty());
      CHECK_FALSE(is_ascii(text->zh));  // Chinese first-class, not an English copy
      CHECK(is_ascii(text->en));
    }
    CHECK_FALSE(s.trigger.empty());
    CHECK(is_ascii(s.trigger));
    CHECK(s.trigger.find('\n') == std::string_view::npos);
    // The explanation says whether the call was billed, and agrees with `billed`.
    const bool says_not_billed = s.explanation.en.find("not billed") != std::string_view::npos;
    const bool says_billed = s.explanation.en.find("was billed") != std::string_view::npos;
    CHECK(says_not_billed == !s.billed);
    CHECK(says_billed == s.billed);
  }
}

TEST_CASE("find_scenario finds every id and nothing else", "[catalogue]") {
  for (const scenario& s : kuaidi::all_scenarios()) CHECK(kuaidi::find_scenario(s.id) == &s);
  CHECK(kuaidi::find_scenario("") == nullptr);
  CHECK(kuaidi::find_scenario("no_such_case") == nullptr);
  CHECK(kuaidi::find_scenario("KDDH_EMPTY") == nullptr);
}

TEST_CASE("find_scenario_by_msg round-trips every vendor msg", "[catalogue]") {
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source == answer_source::gateway) continue;
    INFO("id: " << s.id);
    CHECK(kuaidi::find_scenario_by_msg(s.msg) == &s);
    CHECK(kuaidi::find_scenario_by_msg(std::string(s.msg) + "!") == nullptr);
    CHECK(kuaidi::find_scenario_by_msg(std::string(s.msg).substr(1)) == nullptr);
  }
  CHECK(kuaidi::find_scenario_by_msg("") == nullptr);
  CHECK(kuaidi::find_scenario_by_msg("Quota Exhausted") == nullptr);
}

TEST_CASE("the appid_disabled template names the appid", "[catalogue]") {
  const auto& render = kuaidi::test::vectors("catalogue.json")["render"];
  const scenario& disabled = require_scenario(render["id"].get<std::string>());
  const std::string placeholder = render["placeholder"].get<std::string>();
  REQUIRE(disabled.msg.find(placeholder) != std::string_view::npos);

  for (const auto& appid_json : render["appids"]) {
    const std::string appid = appid_json.get<std::string>();
    INFO("appid: " << appid);
    const std::string rendered = kuaidi::render_msg(disabled, appid);
    CHECK(rendered == with_appid(disabled, appid));
    CHECK(rendered.find(placeholder) == std::string::npos);
    CHECK(rendered.rfind("appid:" + appid, 0) == 0);
    CHECK(kuaidi::find_scenario_by_msg(rendered) == &disabled);
  }
  CHECK(kuaidi::render_msg(disabled, "demo123") == with_appid(disabled, "demo123"));
  // Without an appid the documented template is kept.
  CHECK(kuaidi::render_msg(disabled) == disabled.msg);
  // Other answers have no template: the appid is ignored.
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (&s == &disabled) continue;
    INFO("id: " << s.id);
    CHECK(kuaidi::render_msg(s, "demo123") == s.msg);
  }
  // Only the documented frame matches: its fixed parts, in order, around the appid.
  const std::string demo = with_appid(disabled, "demo123");
  CHECK(kuaidi::find_scenario_by_msg(demo.substr(0, demo.size() - 1)) == nullptr);
  CHECK(kuaidi::find_scenario_by_msg("x" + demo) == nullptr);
}

// The entry a gateway answer reads as: the first one sending the same bytes (an entry that
// borrows a real row of the other generation, e.g. invalid_stage's classic Invalid Url, reads
// as the row's owner, as a real client would).
const scenario* first_with(const kuaidi::gateway_error& answer, kuaidi::gateway_generation generation) {
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source != answer_source::gateway) continue;
    const auto& e = kuaidi::gateway_error_for(s, generation);
    if (e.http_status == answer.http_status && e.code == answer.code && e.message == answer.message)
      return &s;
  }
  return nullptr;
}

TEST_CASE("find_gateway_scenario round-trips both generations", "[catalogue]") {
  using kuaidi::gateway_generation;
  std::size_t own = 0;
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source != answer_source::gateway) continue;
    INFO("id: " << s.id);
    const auto& classic = kuaidi::gateway_error_for(s, gateway_generation::classic);
    const auto& vpc = kuaidi::gateway_error_for(s, gateway_generation::vpc);
    CHECK(&classic == &s.classic);
    CHECK(&vpc == &s.vpc);
    const scenario* classic_owner = first_with(classic, gateway_generation::classic);
    const scenario* vpc_owner = first_with(vpc, gateway_generation::vpc);
    CHECK(kuaidi::find_gateway_scenario(classic.http_status, classic.code, classic.message) == classic_owner);
    CHECK(kuaidi::find_gateway_scenario(vpc.http_status, vpc.code, vpc.message) == vpc_owner);
    if (!vpc.code.empty()) CHECK(kuaidi::find_gateway_scenario(vpc.http_status, vpc.code, "") == vpc_owner);
    // Upper case still reads as an entry sending that text, ignoring case.
    const scenario* shouted = kuaidi::find_gateway_scenario(classic.http_status, "", upper(classic.message));
    REQUIRE(shouted != nullptr);
    CHECK((upper(shouted->classic.message) == upper(classic.message) ||
           upper(shouted->vpc.message) == upper(classic.message)));
    // Every entry is reachable through the headers of at least one generation.
    if (classic_owner == &s || vpc_owner == &s)
      ++own;
    else
      FAIL_CHECK("no generation's answer reads as this entry");
  }
  CHECK(own == kuaidi::test::vectors("catalogue.json")["order"]["gateway"].size());
}

TEST_CASE("find_gateway_scenario: variants, precedence and misses", "[catalogue]") {
  for (const auto& lookup : kuaidi::test::vectors("catalogue.json")["gateway_lookups"]) {
    kuaidi::test::require_known_keys(lookup, {"status", "code", "message", "id", "why"});
    const int status = lookup["status"].get<int>();
    const std::string code = lookup["code"].get<std::string>();
    const std::string message = lookup["message"].get<std::string>();
    INFO("status " << status << ", code '" << code << "', message '" << message << "'");
    const scenario* found = kuaidi::find_gateway_scenario(status, code, message);
    if (lookup["id"].is_null()) {
      CHECK(found == nullptr);
    } else {
      REQUIRE(found != nullptr);
      CHECK(found->id == lookup["id"].get<std::string>());
    }
  }
}

TEST_CASE("catalogue enums have stable names", "[catalogue]") {
  const auto& names = kuaidi::test::vectors("catalogue.json")["names"];
  const auto sources = names["answer_source"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < sources.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<answer_source>(i)) == sources[i]);
  const auto categories = names["category"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < categories.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<kuaidi::category>(i)) == categories[i]);
  const auto generations = names["gateway_generation"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < generations.size(); ++i) {
    CHECK(kuaidi::to_string(static_cast<kuaidi::gateway_generation>(i)) == generations[i]);
    CHECK(kuaidi::parse_gateway_generation(generations[i]) == static_cast<kuaidi::gateway_generation>(i));
  }
  CHECK_FALSE(kuaidi::parse_gateway_generation("VPC").has_value());  // the names are lower case
  CHECK_FALSE(kuaidi::parse_gateway_generation("").has_value());
  const auto parameters = names["request_parameter"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < parameters.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<kuaidi::request_parameter>(i)) == parameters[i]);
  const auto certainties = names["certainty"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < certainties.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<kuaidi::certainty>(i)) == certainties[i]);
  // A compiled list's rows are shown as unverified; the others by their mark.
  CHECK(kuaidi::describe(kuaidi::certainty::list) == "list (unverified)");
  CHECK(kuaidi::describe(kuaidi::certainty::official) == "official");
}
