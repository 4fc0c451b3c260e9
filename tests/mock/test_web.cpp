// The web page at /: files from --web-root with their content types, a page saying how to
// build it when there is none, and nothing outside the folder.

#include "expect.hpp"

namespace kuaidi::mock_test {

TEST_CASE("serves the built page from --web-root", "[web]") {
  temp_folder probe;
  const std::string root = probe.path() + "/site";
  REQUIRE(std::system(("mkdir -p " + root).c_str()) == 0);
  write_text_file(root + "/index.html", "<!doctype html><title>page</title>");
  write_text_file(root + "/app.js", "console.log(1)");
  write_text_file(root + "/kuaidi.wasm", std::string("\0asm", 4));
  mock_process server({"--web-root", root});
  auto client = server.client();
  const std::pair<const char*, const char*> files[] = {{"/", "text/html; charset=utf-8"},
                                                       {"/app.js", "text/javascript; charset=utf-8"},
                                                       {"/kuaidi.wasm", "application/wasm"}};
  for (const auto& [path, type] : files) {
    INFO("GET " << path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == type);
  }
  CHECK(client.Get("/")->body == "<!doctype html><title>page</title>");
  client.set_url_encode(false);
  for (const char* outside : {"/../stdout", "/%2e%2e/stdout", "/missing.js"}) {
    INFO("GET " << outside);
    check_answer(client.Get(outside), entry("api_not_found"), gateway_generation::classic);
  }
}

TEST_CASE("without a built page, / says how to build it", "[web]") {
  mock_process server({"--web-root", "/nonexistent/web"});
  auto res = server.client().Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.find("--web-root") != std::string::npos);
  CHECK(res->body.find("scripts/run.sh") != std::string::npos);
}

}  // namespace kuaidi::mock_test
