// The command line: the README's scenario table, start-up message, clear errors for bad flags.

#include "expect.hpp"

namespace kuaidi::mock_test {

TEST_CASE("--list-scenarios prints the README table and its JSON", "[cli]") {
  const run_result markdown = run_mock({"--list-scenarios=markdown"});
  CHECK(markdown.exit_code == 0);
  const run_result listing = run_mock({"--list-scenarios=json"});
  CHECK(listing.exit_code == 0);
  const auto parsed = nlohmann::json::parse(listing.out, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  REQUIRE(parsed["scenarios"].size() == all_scenarios().size());
  std::size_t rows = 0;
  for (std::size_t at = markdown.out.find("\n| `"); at != std::string::npos;
       at = markdown.out.find("\n| `", at + 1))
    ++rows;
  CHECK(rows == all_scenarios().size());
  for (const auto& s : parsed["scenarios"]) {
    INFO("scenario " << s["id"]);
    CHECK(markdown.out.find("| `" + s["id"].get<std::string>() + "` |") != std::string::npos);
    CHECK(markdown.out.find("`" + s["reserved_kddh"].get<std::string>() + "`") != std::string::npos);
  }
  CHECK(run_mock({"--list-scenarios=yaml"}).exit_code == 2);
}

TEST_CASE("a bad command line is refused with what to change", "[cli]") {
  const struct {
    std::vector<std::string> args;
    const char* expected;
  } cases[] = {
      {{"--no-such-flag"}, "unknown option '--no-such-flag'"},
      {{"--port"}, "--port needs a value"},
      {{"--port", "70000"}, "--port needs a whole number from 0 to 65535"},
      {{"--gateway", "newest"}, "--gateway must be classic or vpc"},
      {{"--appcode", "CODE1234567:lots"}, "QUOTA must be a whole number"},
      {{"--appcode", "CODE1234567:5:sleepy"},
       "STATE must be one of active, expired, unauthorized, arrears, auth_expired"},
      {{"--app", "onlyid"}, "--app needs ID:SECRET"},
      {{"--now", "tomorrow"}, "--now needs epoch seconds or an ISO time"},
      {{"--latency", "fast"}, "latency must be milliseconds"},
      {{"--fault-rate", "2"}, "--fault-rate needs a probability from 0 to 1"},
      {{"--faults", "meteor"}, "unknown fault 'meteor'"},
      {{"--sign-algorithm", "crc32"}, "--sign-algorithm must be md5, sha256 or hmac_sha256"},
  };
  for (const auto& c : cases) {
    INFO("expected: " << c.expected);
    const run_result run = run_mock(c.args);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find(c.expected) != std::string::npos);
  }
  // A secret or AppCode given on the command line never appears whole in an error.
  const run_result masked = run_mock({"--appcode", "83359fd73fe94948385f570e3c139105:lots"});
  CHECK(masked.err.find("83359fd73fe94948385f570e3c139105") == std::string::npos);
}

TEST_CASE("start-up prints the URL; a busy port is a clear error", "[cli]") {
  mock_process server;
  CHECK(server.stdout_text().find("listening on http://127.0.0.1:" + std::to_string(server.port()) + "/") !=
        std::string::npos);
  const run_result busy = run_mock({"--port", std::to_string(server.port())});
  CHECK(busy.exit_code == 2);
  CHECK(busy.err.find("cannot listen on 127.0.0.1:" + std::to_string(server.port())) != std::string::npos);
  const run_result help = run_mock({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* flag : {"--appcode", "--fixtures", "--gateway", "--fault-rate", "--web-root", "--app"})
    CHECK(help.out.find(flag) != std::string::npos);
}

TEST_CASE("the request log is one JSON object per line", "[cli]") {
  mock_process server;
  auto client = server.client();
  for (int i = 0; i < 3; ++i) REQUIRE(client.Get("/query?kddh=JT3084743373888", appcode_header()));
  server.stop();
  const std::string log = read_text_file(server.folder() + "/requests.log");
  std::size_t lines = 0;
  for (std::size_t start = 0, end; (end = log.find('\n', start)) != std::string::npos; start = end + 1) {
    const auto line = nlohmann::json::parse(log.substr(start, end - start), nullptr, false);
    REQUIRE_FALSE(line.is_discarded());
    if (line.value("target", "") == "/query?kddh=JT3084743373888") {
      ++lines;
      CHECK(line["status"] == 200);
      CHECK(line["appcode"] == "TEST****56");
    }
  }
  CHECK(lines == 3);
}

}  // namespace kuaidi::mock_test
