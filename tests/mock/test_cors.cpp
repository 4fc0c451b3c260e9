// CORS exactly as the Aliyun gateway sends it (api.md §5), on every answer, errors included;
// preflight answered; Access-Control-Expose-Headers only with --expose-headers, so a page sees
// what a browser really lets it see.

#include "expect.hpp"

namespace kuaidi::mock_test {
namespace {

constexpr const char* allowed_methods = "GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH";

void check_cors(const httplib::Result& res, bool exposed) {
  REQUIRE(res);
  INFO("status " << res->status);
  CHECK(res->get_header_value("Access-Control-Allow-Origin") == "*");
  CHECK(res->get_header_value("Access-Control-Allow-Methods") == allowed_methods);
  CHECK(res->get_header_value("Access-Control-Max-Age") == "172800");
  const std::string allowed = res->get_header_value("Access-Control-Allow-Headers");
  CHECK(allowed.find(",Authorization,Content-Type,Accept,") != std::string::npos);
  CHECK(allowed.find("X-Ca-Key") != std::string::npos);
  CHECK(res->has_header("Access-Control-Expose-Headers") == exposed);
  if (exposed) {
    const std::string exposed_list = res->get_header_value("Access-Control-Expose-Headers");
    for (const char* name : {"X-Ca-Request-Id", "X-Ca-Error-Code", "X-Ca-Error-Message"})
      CHECK(exposed_list.find(name) != std::string::npos);
  }
  check_request_id(*res);
}

void check_every_kind_of_answer(const mock_process& server, bool exposed) {
  auto client = server.client();
  check_cors(client.Get("/query?kddh=JT3084743373888", appcode_header()), exposed);  // 200
  check_cors(client.Get("/query?kddh=", appcode_header()), exposed);                 // 666
  check_cors(client.Get("/query?kddh=JT3084743373888"), exposed);                    // 401 gateway
  check_cors(client.Get("/nosuch"), exposed);                                        // 404 gateway
  check_cors(client.Get("/__admin/health"), exposed);                                // admin
  httplib::Headers preflight = {{"Origin", "http://localhost:5173"},
                                {"Access-Control-Request-Method", "GET"},
                                {"Access-Control-Request-Headers", "authorization"}};
  auto res = client.Options("/query?kddh=JT3084743373888", preflight);
  check_cors(res, exposed);
  CHECK(res->status == 200);
  CHECK(res->body.empty());
}

}  // namespace

TEST_CASE("CORS headers on every answer and on preflight, no Expose-Headers by default", "[cors]") {
  mock_process server;
  check_every_kind_of_answer(server, false);
}

TEST_CASE("--expose-headers lets a page read the gateway's headers", "[cors]") {
  mock_process server({"--expose-headers"});
  check_every_kind_of_answer(server, true);
}

TEST_CASE("preflight needs no AppCode and bills nothing", "[cors]") {
  mock_process server({"--appcode", "PAIDCODE00001:1"});
  auto client = server.client();
  auto res = client.Options("/query", {{"Origin", "http://example.test"}});
  REQUIRE(res);
  CHECK(res->status == 200);
  res = client.Get("/__admin/quotas/PAIDCODE00001");
  REQUIRE(res);
  CHECK(nlohmann::json::parse(res->body)["remaining"] == 1);
}

}  // namespace kuaidi::mock_test
