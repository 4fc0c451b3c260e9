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

const nlohmann::json& vectors() {
  static const nlohmann::json loaded = kuaidi::test::load_vectors("catalogue.json");
  return loaded;
}

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
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
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
  const std::string placeholder = vectors()["render"]["placeholder"].get<std::string>();
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
  const auto& page = vectors()["vendor_page"];
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

TEST_CASE("catalogue holds exactly api.md's answers in its order", "[catalogue]") {
  const auto& order = vectors()["order"];
  const auto vendor = order["vendor"].get<std::vector<std::string>>();
  const auto own = order["own_platform"].get<std::vector<std::string>>();
  const auto gateway = order["gateway"].get<std::vector<std::string>>();
  REQUIRE(vendor.size() == 12 + 1);
  REQUIRE(own.size() == 11);
  REQUIRE(gateway.size() == 13);

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
  CHECK(kuaidi::all_scenarios().size() == 37);
}

TEST_CASE("every vendor and own-platform msg is the page's text, verbatim", "[catalogue]") {
  const std::string page =
      kuaidi::test::read_vector_text(vectors()["vendor_page"]["file"].get<std::string>());
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source == answer_source::gateway) continue;
    INFO("id: " << s.id);
    REQUIRE_FALSE(s.msg.empty());
    CHECK(page.find(std::string(s.msg)) != std::string::npos);
  }
}

TEST_CASE("every row of the page's failure table is in the catalogue with its ok",
          "[catalogue]") {
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
  for (const auto& expected : vectors()["vendor_answers"]) {
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

TEST_CASE("gateway answers have no body, are not billed and fill both generations",
          "[catalogue]") {
  for (const auto& expected : vectors()["gateway_answers"]) {
    const scenario& s = require_scenario(expected["id"].get<std::string>());
    INFO("id: " << s.id);
    CHECK(kuaidi::to_string(s.kind) == expected["category"].get<std::string>());
    CHECK(s.classic.http_status == expected["classic"][0].get<int>());
    CHECK(s.classic.message == expected["classic"][1].get<std::string>());
    CHECK(s.vpc.http_status == expected["vpc"][0].get<int>());
    CHECK(s.vpc.code == expected["vpc"][1].get<std::string>());
    // The VPC message repeats the classic one unless api.md gives its own.
    const std::string vpc_message = expected["vpc"].size() > 2
                                        ? expected["vpc"][2].get<std::string>()
                                        : expected["classic"][1].get<std::string>();
    CHECK(s.vpc.message == vpc_message);
  }
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source != answer_source::gateway) continue;
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
    // X-Ca-Error-Code: a letter, the three-digit status, two letters ("B403MQ").
    REQUIRE(s.vpc.code.size() == 6);
    CHECK(std::isupper(static_cast<unsigned char>(s.vpc.code[0])));
    CHECK(s.vpc.code.substr(1, 3) == std::to_string(s.vpc.http_status));
    CHECK(std::isupper(static_cast<unsigned char>(s.vpc.code[4])));
    CHECK(std::isupper(static_cast<unsigned char>(s.vpc.code[5])));
  }
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
  const auto& render = vectors()["render"];
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

TEST_CASE("find_gateway_scenario round-trips both generations", "[catalogue]") {
  using kuaidi::gateway_generation;
  for (const scenario& s : kuaidi::all_scenarios()) {
    if (s.source != answer_source::gateway) continue;
    INFO("id: " << s.id);
    const auto& classic = kuaidi::gateway_error_for(s, gateway_generation::classic);
    const auto& vpc = kuaidi::gateway_error_for(s, gateway_generation::vpc);
    CHECK(&classic == &s.classic);
    CHECK(&vpc == &s.vpc);
    CHECK(kuaidi::find_gateway_scenario(classic.http_status, classic.code, classic.message) ==
          &s);
    CHECK(kuaidi::find_gateway_scenario(classic.http_status, "", upper(classic.message)) == &s);
    CHECK(kuaidi::find_gateway_scenario(vpc.http_status, vpc.code, vpc.message) == &s);
    CHECK(kuaidi::find_gateway_scenario(vpc.http_status, vpc.code, "") == &s);
  }
}

TEST_CASE("find_gateway_scenario: variants, precedence and misses", "[catalogue]") {
  for (const auto& lookup : vectors()["gateway_lookups"]) {
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
  const auto& names = vectors()["names"];
  const auto sources = names["answer_source"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < sources.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<answer_source>(i)) == sources[i]);
  const auto categories = names["category"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < categories.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<kuaidi::category>(i)) == categories[i]);
  const auto generations = names["gateway_generation"].get<std::vector<std::string>>();
  for (std::size_t i = 0; i < generations.size(); ++i)
    CHECK(kuaidi::to_string(static_cast<kuaidi::gateway_generation>(i)) == generations[i]);
}
