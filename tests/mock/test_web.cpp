// The web page at /: files from --web-root with their content types, compressed once and
// revalidated by ETag, a page saying how to build it when there is none, and nothing outside.

#include "expect.hpp"

namespace kuaidi::mock_test {

TEST_CASE("serves the built page from --web-root", "[web]") {
  temp_folder probe;
  const std::string root = probe.path() + "/site";
  REQUIRE(std::system(("mkdir -p " + root).c_str()) == 0);
  write_text_file(root + "/index.html", "<!doctype html><title>page</title>");
  write_text_file(root + "/app.js", "console.log(1)");
  write_text_file(root + "/kuaidi.wasm", std::string("\0asm", 4));
  write_text_file(root + "/empty.css", "");  // an empty file once left the client waiting for ever
  mock_process server({"--web-root", root});
  auto client = server.client();
  client.set_read_timeout(5);
  const std::pair<const char*, const char*> files[] = {{"/", "text/html; charset=utf-8"},
                                                       {"/app.js", "text/javascript; charset=utf-8"},
                                                       {"/kuaidi.wasm", "application/wasm"},
                                                       {"/empty.css", "text/css; charset=utf-8"}};
  for (const auto& [path, type] : files) {
    INFO("GET " << path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == type);
  }
  for (const char* accept : {"", "gzip", "br"}) {
    INFO("Accept-Encoding: " << accept);
    auto res = client.Get("/empty.css", {{"Accept-Encoding", accept}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.empty());
    CHECK(res->get_header_value("Content-Length") == "0");
  }
  CHECK(client.Get("/")->body == "<!doctype html><title>page</title>");
  client.set_url_encode(false);
  for (const char* outside : {"/../stdout", "/%2e%2e/stdout", "/missing.js"}) {
    INFO("GET " << outside);
    check_answer(client.Get(outside), entry("api_not_found"), gateway_generation::classic);
  }
}

TEST_CASE("static files are sent precompressed as the client accepts, and revalidate by ETag", "[web]") {
  temp_folder probe;
  const std::string root = probe.path() + "/site";
  REQUIRE(std::system(("mkdir -p " + root).c_str()) == 0);
  std::string script;
  for (int i = 0; i < 2000; ++i) script += "console.log('line " + std::to_string(i) + "');\n";
  write_text_file(root + "/app.js", script);
  write_text_file(root + "/manifest.webmanifest", R"({"name":"kuaidi"})");
  mock_process server({"--web-root", root});
  auto raw = server.client();
  raw.set_decompress(false);

  const std::pair<const char*, const char*> encodings[] = {
      {"br, gzip, deflate", "br"}, {"gzip, br;q=0", "gzip"}, {"identity", ""}, {"", ""}, {"*", "br"}};
  for (const auto& [accepted, sent] : encodings) {
    INFO("Accept-Encoding: " << accepted);
    auto res = raw.Get("/app.js", {{"Accept-Encoding", accepted}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Encoding") == sent);
    CHECK(res->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(res->get_header_value("Vary") == "Accept-Encoding");
    CHECK(res->get_header_value("Cache-Control") == "no-cache");
    if (*sent == '\0')
      CHECK(res->body == script);
    else
      CHECK(res->body.size() < script.size() / 4);
  }
  auto decoding = server.client();
  for (const char* accepted : {"br", "gzip"}) {
    INFO("decoded from " << accepted);
    auto res = decoding.Get("/app.js", {{"Accept-Encoding", accepted}});
    REQUIRE(res);
    CHECK(res->body == script);
  }

  auto first = raw.Get("/app.js");
  REQUIRE(first);
  const std::string etag = first->get_header_value("ETag");
  CHECK(etag.size() > 2);
  CHECK(!first->get_header_value("Last-Modified").empty());
  for (const std::string& condition : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    INFO("If-None-Match: " << condition);
    auto res = raw.Get("/app.js", {{"If-None-Match", condition}});
    REQUIRE(res);
    CHECK(res->status == 304);
    CHECK(res->body.empty());
    CHECK(res->get_header_value("ETag") == etag);
  }
  CHECK(raw.Get("/app.js", {{"If-None-Match", "\"other\""}})->status == 200);

  write_text_file(root + "/app.js", script + "console.log('rebuilt');\n");
  auto rebuilt = decoding.Get("/app.js", {{"If-None-Match", etag}});
  REQUIRE(rebuilt);
  CHECK(rebuilt->status == 200);
  CHECK(rebuilt->get_header_value("ETag") != etag);
  CHECK(rebuilt->body == script + "console.log('rebuilt');\n");

  auto manifest = raw.Get("/manifest.webmanifest");
  REQUIRE(manifest);
  CHECK(manifest->get_header_value("Content-Type") == "application/manifest+json");
  CHECK(manifest->get_header_value("Content-Encoding").empty());  // too small to pay
  auto recorded = raw.Get("/__admin/journal?limit=1");
  REQUIRE(recorded);
  const auto journal = nlohmann::json::parse(recorded->body);
  CHECK(journal["entries"][0]["target"] == "/manifest.webmanifest");
  CHECK(journal["entries"][0]["status"] == 200);
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
