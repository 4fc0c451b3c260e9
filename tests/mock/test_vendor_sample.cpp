// The vendor page's own curl sample, run verbatim except for the host, and the page's answer
// shapes compared with what the mock sends.

#include <cstdio>

#include "expect.hpp"
#include "vectors.hpp"

namespace kuaidi::mock_test {
namespace {

std::string vendor_curl_line() {
  const std::string page = test::read_vector_text("vendor_page.txt");
  const std::size_t start = page.find("curl -i -k --get");
  REQUIRE(start != std::string::npos);
  return page.substr(start, page.find('\n', start) - start);
}

std::string run_shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

}  // namespace

TEST_CASE("the vendor's curl sample, host replaced, gets the documented answer", "[vendor_sample]") {
  REQUIRE(std::system("command -v curl > /dev/null") == 0);
  mock_process server;
  std::string command = vendor_curl_line();
  const std::string vendor_host = "https://aliyun03.muzhiapi.com";
  const std::size_t at = command.find(vendor_host);
  REQUIRE(at != std::string::npos);
  command.replace(at, vendor_host.size(), server.base_url());
  INFO("command: " << command);
  const std::string output = run_shell(command + " 2>&1");
  const auto answer = parse_raw_answer(output);
  REQUIRE(answer);
  // The sample sends tel=tel, which is not a phone tail: tel_invalid, HTTP 666.
  const scenario& s = entry("tel_invalid");
  CHECK(answer->status == s.http_status);
  CHECK(answer->body == build_answer_body(s));
  CHECK(kuaidi::mock::is_request_id(answer->header("X-Ca-Request-Id").value_or("")));
  CHECK_FALSE(answer->header("X-Ca-Error-Message"));
}

TEST_CASE("a trace has the vendor's field order and masking", "[vendor_sample]") {
  mock_process server;
  auto res = server.client().Get("/query?kddh=78627000758123&code=zhongtong", appcode_header());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.rfind("{\"ok\":1,\"msg\":\"", 0) == 0);
  const auto body = nlohmann::ordered_json::parse(res->body);
  std::vector<std::string> keys;
  for (const auto& item : body.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"ok", "msg", "status", "kdmc", "kddh", "data"});
  CHECK(body["kdmc"] == carrier_name("zhongtong"));
  CHECK(body["kddh"] == "78627****123");
  for (const auto& e : body["data"]) {
    CHECK(e.size() == 2);
    CHECK(e["time"].get<std::string>().size() == 19);
  }
}

}  // namespace kuaidi::mock_test
