#include "kuaidi/reserved.hpp"

#include "kuaidi/json.hpp"
#include "kuaidi/response.hpp"

namespace kuaidi {

namespace {

constexpr reserved_number table[] = {
    {"kddh_empty", "MOCKKDDHEMPTY", "`kddh=` present but empty or blank"},
    {"kddh_missing", "MOCKKDDHMISSING", "no `kddh` parameter"},
    {"kddh_too_long", "MOCKKDDHTOOLONG", "`kddh` longer than 20 characters"},
    {"code_too_long", "MOCKCODETOOLONG", "`code` longer than 20 characters"},
    {"tel_too_long", "MOCKTELTOOLONG", "`tel` longer than 14 characters"},
    {"tel_invalid", "MOCKTELINVALID",
     "`tel` neither 4 digits nor a mobile number, e.g. `tel=tel` (the vendor's curl sample)"},
    {"phone_in_kddh", "MOCKPHONEINKDDH", "a phone appended to kddh: `kddh=SF1385628716739:8888`"},
    {"number_wrong", "MOCKNUMBERWRONG",
     "a number whose format fits but whose check digit fails: `kddh=RB123456786US`"},
    {"number_format_invalid", "MOCKFORMATINVALID",
     "characters no carrier uses, or fewer than 8: `kddh=1234567`"},
    {"no_record", "MOCKNORECORD",
     "a carrier that needs the phone tail, without `tel`: `kddh=SF1385628716739`"},
    {"carrier_unmatched", "MOCKCARRIERUNMATCHED",
     "an unknown `code` (`code=nosuch`), or a number no carrier issues"},
    {"number_void", "MOCKNUMBERVOID", "a number whose digits are all the same: `kddh=JT0000000000000`"},
    {"success", "MOCKSUCCESS", "any valid number: `kddh=JT3084743373888` (a synthetic trace)"},
    {"appid_missing", "MOCKAPPIDMISSING", "own platform (`--app`): no `appid`"},
    {"appid_too_long", "MOCKAPPIDTOOLONG", "own platform: `appid` longer than 32 characters"},
    {"sendtime_missing", "MOCKSENDTIMEMISSING", "own platform: no `sendtime`"},
    {"sendtime_too_long", "MOCKSENDTIMETOOLONG", "own platform: `sendtime` longer than 13 characters"},
    {"sendtime_expired", "MOCKSENDTIMEEXPIRED",
     "own platform: `sendtime` more than 5 minutes from the mock's clock (`--now`)"},
    {"sign_missing", "MOCKSIGNMISSING", "own platform: no `sign`"},
    {"sign_too_long", "MOCKSIGNTOOLONG", "own platform: `sign` longer than 64 characters"},
    {"sign_invalid", "MOCKSIGNINVALID", "own platform: a `sign` that does not verify, or an unknown appid"},
    {"debug_data", "MOCKDEBUGDATA",
     "own platform: a correctly signed value containing `*`, e.g. a masked number `78627****758`"},
    {"source_forbidden", "MOCKSOURCEFORBIDDEN",
     "own platform: a caller whose address or Origin is not in `--allow-source`"},
    {"appid_disabled", "MOCKAPPIDDISABLED", "own platform: an appid given as `--app ID:SECRET:disabled`"},
    {"appcode_invalid", "MOCKAPPCODEINVALID",
     "an AppCode not among `--appcode`, or `Authorization` not of the form `APPCODE <code>`"},
    {"auth_missing", "MOCKAUTHMISSING",
     "no `Authorization` header (a query `AppCode=` counts only with `--appcode-in-query`)"},
    {"quota_exhausted", "MOCKQUOTAEXHAUSTED", "the (N+1)-th call on `--appcode CODE:N`"},
    {"quota_expired", "MOCKQUOTAEXPIRED",
     "`--appcode CODE:N:expired` (or `PUT /__admin/quotas/CODE {\"state\":\"expired\"}`)"},
    {"unauthorized", "MOCKUNAUTHORIZED", "`--appcode CODE:N:unauthorized`"},
    {"auth_expired", "MOCKAUTHEXPIRED", "`--appcode CODE:N:auth_expired`"},
    {"user_arrears", "MOCKUSERARREARS", "`--appcode CODE:N:arrears`"},
    {"subscription_invalid", "MOCKSUBSCRIPTIONBAD", "`--appcode CODE:N:subscription_invalid`"},
    {"provider_overdue", "MOCKPROVIDEROVERDUE", "`--appcode CODE:N:provider_overdue`"},
    {"throttled", "MOCKTHROTTLED", "more than `--rate-limit` calls in one second on one AppCode"},
    {"throttled_user", "MOCKTHROTTLEDUSER", "on purpose only (reserved number, header, query)"},
    {"throttled_api", "MOCKTHROTTLEDAPI", "on purpose only (reserved number, header, query)"},
    {"throttled_domain", "MOCKTHROTTLEDDOMAIN", "on purpose only (reserved number, header, query)"},
    {"throttled_group", "MOCKTHROTTLEDGROUP", "on purpose only (reserved number, header, query)"},
    {"api_not_found", "MOCKAPINOTFOUND",
     "any other path, or a method other than GET/HEAD/OPTIONS: `GET /nosuch`, `POST /query`"},
    {"api_offline", "MOCKAPIOFFLINE", "on purpose only (reserved number, header, query)"},
    {"invalid_stage", "MOCKINVALIDSTAGE", "`X-Ca-Stage: TEST` or `PRE`"},
    {"invalid_domain", "MOCKINVALIDDOMAIN",
     "proxy mode: an absolute URL whose host is not the API's, e.g. `GET http://example.com/query`"},
    {"method_unsupported", "MOCKBADMETHOD", "on purpose only (reserved number, header, query)"},
    {"param_location", "MOCKPARAMLOCATION", "`kddh` sent in the request body instead of the query"},
    {"url_too_long", "MOCKURLTOOLONG",
     "a request target longer than `--max-url-length` (default 8000 bytes)"},
    {"body_too_large", "MOCKBODYTOOLARGE", "a request body larger than the gateway's limit"},
    {"group_invalid", "MOCKGROUPINVALID", "`--faults group_invalid --fault-rate 1`"},
    {"gateway_internal", "MOCKGATEWAYINTERNAL", "`--faults gateway_internal --fault-rate 1`"},
    {"api_definition_expired", "MOCKAPIDEFEXPIRED", "`--faults api_definition_expired --fault-rate 1`"},
    {"api_meta_invalid", "MOCKAPIMETAINVALID", "`--faults api_meta_invalid --fault-rate 1`"},
    {"backend_unreachable", "MOCKBACKENDDOWN", "`--faults backend_unreachable --fault-rate 1`"},
    {"backend_bad_answer", "MOCKBACKENDBADANSWER", "`--faults backend_bad_answer --fault-rate 1`"},
    {"backend_timeout", "MOCKBACKENDTIMEOUT",
     "latency at or above `--backend-timeout`, e.g. `X-Mock-Latency: 10000`"},
    {"service_busy", "MOCKSERVICEBUSY", "`--faults service_busy --fault-rate 1`"},
    {"backend_busy", "MOCKBACKENDBUSY", "`--faults backend_busy --fault-rate 1`"},
};

std::string vendor_answer_text(const scenario& s) {
  return std::to_string(s.http_status) + " ok:" + std::to_string(s.ok) + " " + std::string(s.msg);
}

std::string gateway_answer_text(const scenario& s, gateway_generation generation) {
  const gateway_error& e = gateway_error_for(s, generation);
  std::string text = std::to_string(e.http_status);
  if (!e.code.empty()) text += " X-Ca-Error-Code: " + std::string(e.code) + ",";
  return text + " X-Ca-Error-Message: " + std::string(e.message);
}

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// Inline code that may itself hold a backtick ("Invalid AppCode `not exists`").
std::string code_span(const std::string& text) {
  const std::string fence = text.find('`') == std::string::npos ? "`" : "`` ";
  const std::string close = text.find('`') == std::string::npos ? "`" : " ``";
  return fence + markdown_cell(text) + close;
}

// "official", or "ours / list (unverified)" when the generations differ.
std::string how_sure(const scenario& s) {
  const std::string_view classic = describe(confidence_of(s, gateway_generation::classic));
  const std::string_view vpc = describe(confidence_of(s, gateway_generation::vpc));
  return classic == vpc ? std::string(classic) : std::string(classic) + " / " + std::string(vpc);
}

}  // namespace

reserved_range all_reserved_numbers() { return {std::begin(table), std::end(table)}; }

const scenario* find_reserved(std::string_view normalised_number) {
  if (normalised_number.size() < 4 || normalised_number.substr(0, 4) != "MOCK") return nullptr;
  for (const auto& r : table)
    if (r.tracking_number == normalised_number) return find_scenario(r.scenario_id);
  return nullptr;
}

const reserved_number* reserved_for(std::string_view scenario_id) {
  for (const auto& r : table)
    if (r.scenario_id == scenario_id) return &r;
  return nullptr;
}

std::string describe_answer(const scenario& s, gateway_generation generation) {
  return s.source == answer_source::gateway ? gateway_answer_text(s, generation) : vendor_answer_text(s);
}

nlohmann::json scenarios_json(gateway_generation generation) {
  nlohmann::json list = nlohmann::json::array();
  for (const scenario& s : all_scenarios()) {
    const reserved_number* r = reserved_for(s.id);
    // The catalogue's one shape (json.hpp), plus how to reach the entry on this server.
    nlohmann::json entry = to_json(s);
    entry["reserved_kddh"] = r ? nlohmann::json(r->tracking_number) : nlohmann::json(nullptr);
    entry["natural_trigger"] = r ? r->natural_trigger : std::string_view("");
    entry["header"] = "X-Mock-Scenario: " + std::string(s.id);
    entry["query"] = "__scenario=" + std::string(s.id);
    entry["answer"] = describe_answer(s, generation);
    list.push_back(std::move(entry));
  }
  return {{"gateway", to_string(generation)}, {"scenarios", list}};
}

std::string scenarios_markdown() {
  std::string out =
      "| id | answer (classic gateway) | answer (VPC gateway) | how sure (classic / VPC) | "
      "reserved `kddh` | natural trigger |\n"
      "|---|---|---|---|---|---|\n";
  for (const scenario& s : all_scenarios()) {
    const reserved_number* r = reserved_for(s.id);
    const std::string classic = describe_answer(s, gateway_generation::classic);
    const std::string vpc = describe_answer(s, gateway_generation::vpc);
    out += "| `" + std::string(s.id) + "` | " + code_span(classic) + " | " +
           (vpc == classic ? std::string("same") : code_span(vpc)) + " | " + how_sure(s) + " | " +
           (r ? "`" + std::string(r->tracking_number) + "`" : std::string("—")) + " | " +
           markdown_cell(r ? std::string(r->natural_trigger) : std::string()) + " |\n";
  }
  return out;
}

}  // namespace kuaidi
