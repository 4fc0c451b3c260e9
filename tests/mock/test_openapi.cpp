// GET /openapi.json: an OpenAPI 3 description of /query generated from the catalogue: the
// parameters with the core's limits, every status, every message and gateway header.

#include "expect.hpp"
#include "kuaidi/request.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;

json fetch_document(gateway_generation g) {
  mock_process server({"--gateway", g == gateway_generation::vpc ? "vpc" : "classic"});
  auto res = server.client().Get("/openapi.json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  const json document = json::parse(res->body, nullptr, false);
  REQUIRE_FALSE(document.is_discarded());
  CHECK(document["servers"][0]["url"] == server.base_url());
  return document;
}

// The longest value validate() accepts must be the document's maxLength.
void check_limit(const json& parameter, const std::string& too_long_id) {
  const std::size_t limit = parameter["schema"]["maxLength"];
  const std::string name = parameter["name"];
  const auto answer_for = [&](std::size_t length) {
    request_params p;
    p.kddh = "JT3084743373888";
    if (name == "kddh") p.kddh = std::string(length, '7');
    if (name == "code") p.code = std::string(length, 'z');
    if (name == "tel") p.tel = std::string(length, '1');
    const validation v = validate(p);
    return v.answer ? std::string(v.answer->id) : std::string();
  };
  INFO("parameter " << name << " maxLength " << limit);
  CHECK(answer_for(limit) != too_long_id);
  CHECK(answer_for(limit + 1) == too_long_id);
}

}  // namespace

TEST_CASE("openapi.json describes /query from the catalogue", "[openapi]") {
  for (auto g : {gateway_generation::classic, gateway_generation::vpc}) {
    INFO("gateway " << to_string(g));
    const json document = fetch_document(g);
    CHECK(document["openapi"] == "3.0.3");
    const json& get = document["paths"]["/query"]["get"];
    REQUIRE(get["parameters"].size() == 3);
    CHECK(get["parameters"][0]["name"] == "kddh");
    CHECK(get["parameters"][0]["required"] == true);
    check_limit(get["parameters"][0], "kddh_too_long");
    check_limit(get["parameters"][1], "code_too_long");
    check_limit(get["parameters"][2], "tel_too_long");
    CHECK(document["components"]["securitySchemes"]["appcode"]["name"] == "Authorization");

    const json& responses = get["responses"];
    for (const scenario& s : all_scenarios()) {
      INFO("scenario " << s.id);
      if (s.source == answer_source::own_platform) continue;  // not served on the market's /query
      if (s.source == answer_source::vendor) {
        const json& example = responses[std::to_string(s.http_status)]["content"]["application/json"]
                                       ["examples"][std::string(s.id)];
        CHECK(example["value"]["msg"] == std::string(s.msg));
        CHECK(example["value"]["ok"] == s.ok);
        continue;
      }
      const gateway_error& e = gateway_error_for(s, g);
      // Each gateway answer says how sure the catalogue is of it, in this generation.
      const std::string said = std::string(s.id) + ": " + std::string(s.title.en) +
                               " (how sure: " + std::string(describe(e.confidence)) + ").";
      CHECK(responses[std::to_string(e.http_status)]["description"].get<std::string>().find(said) !=
            std::string::npos);
      const json& headers = responses[std::to_string(e.http_status)]["headers"];
      const json& messages = headers["X-Ca-Error-Message"]["schema"]["enum"];
      CHECK(std::find(messages.begin(), messages.end(), std::string(e.message)) != messages.end());
      if (g == gateway_generation::vpc && e.code.empty()) {
        // A row VPC does not list is sent without a code (catalogue.cpp): nothing to declare.
      } else if (g == gateway_generation::vpc) {
        const json& codes = headers["X-Ca-Error-Code"]["schema"]["enum"];
        CHECK(std::find(codes.begin(), codes.end(), std::string(e.code)) != codes.end());
      } else {
        CHECK_FALSE(headers.contains("X-Ca-Error-Code"));
      }
    }
  }
}

}  // namespace kuaidi::mock_test
