// kuaidi-mock's HTTP framing without sockets: where a request ends or why it is refused, which
// heads the mock reads itself, and answer heads written as cpp-httplib 0.11.4 writes them. The
// cases are data: tests/vectors/http_framing.json.

#include <set>
#include <string>
#include <vector>

#include "http_framing.hpp"
#include "vectors.hpp"

namespace kuaidi::mock_test {
namespace {

using json = nlohmann::json;
using kuaidi::mock::header_view;
using kuaidi::mock::read_failure;

// A misspelled key must fail, not be skipped.
void require_known_keys(const json& object, const std::set<std::string>& known) {
  for (const auto& [key, value] : object.items()) {
    INFO("unknown key '" << key << "' in tests/vectors/http_framing.json");
    CHECK(known.count(key) == 1);
  }
}

std::string failure_name(read_failure why) {
  switch (why) {
    case read_failure::none: return "none";
    case read_failure::line_too_long: return "line_too_long";
    case read_failure::too_large: return "too_large";
    case read_failure::header_line_too_long: return "header_line_too_long";
    case read_failure::body_too_large: return "body_too_large";
    case read_failure::malformed: return "malformed";
    case read_failure::too_slow: return "too_slow";
    case read_failure::closed: return "closed";
  }
  return "?";
}

const json& vectors() {
  static const json loaded = kuaidi::test::load_vectors("http_framing.json");
  return loaded;
}

TEST_CASE("frame_request: where a buffered request ends, or why it is refused before parsing", "[framing]") {
  for (const json& c : vectors().at("frame")) {
    require_known_keys(c, {"name", "bytes", "max_bytes", "expect"});
    require_known_keys(c.at("expect"), {"what", "length", "failure", "close", "http10"});
    INFO(c.at("name").get<std::string>());
    const json& expect = c.at("expect");
    const std::string bytes = c.at("bytes").get<std::string>();
    const auto f = kuaidi::mock::frame_request(bytes, c.value("max_bytes", 65536u));
    const char* what = f.what == kuaidi::mock::framing::complete  ? "complete"
                       : f.what == kuaidi::mock::framing::refused ? "refused"
                                                                  : "incomplete";
    CHECK(what == expect.at("what").get<std::string>());
    if (expect.contains("length")) CHECK(f.length == expect["length"].get<std::size_t>());
    if (expect.contains("failure")) CHECK(failure_name(f.failure) == expect["failure"].get<std::string>());
    if (expect.contains("close")) CHECK(f.head.close == expect["close"].get<bool>());
    if (expect.contains("http10")) CHECK(f.head.http10 == expect["http10"].get<bool>());
  }
}

TEST_CASE("read_plain_head: the heads the mock reads itself, and those left to httplib", "[framing]") {
  kuaidi::mock::request_head head;
  for (const json& c : vectors().at("plain")) {
    require_known_keys(c, {"name", "head", "expect"});
    INFO(c.at("name").get<std::string>());
    const std::string bytes = c.at("head").get<std::string>();  // the head's views point into it
    const bool read = kuaidi::mock::read_plain_head(bytes, head);
    const json& expect = c.at("expect");
    REQUIRE(read == !expect.is_null());
    if (!read) continue;
    require_known_keys(expect, {"method", "target", "headers"});
    CHECK(head.method == expect.at("method").get<std::string>());
    CHECK(head.target == expect.at("target").get<std::string>());
    std::vector<std::vector<std::string>> headers;
    for (const header_view& h : head.headers) headers.push_back({std::string(h.name), std::string(h.value)});
    CHECK(headers == expect.at("headers").get<std::vector<std::vector<std::string>>>());
  }
}

TEST_CASE("an answer head in httplib's order and layout", "[framing]") {
  for (const json& c : vectors().at("answer")) {
    require_known_keys(c, {"name", "status", "reason", "headers", "expect"});
    INFO(c.at("name").get<std::string>());
    const auto pairs = c.at("headers").get<std::vector<std::vector<std::string>>>();
    std::vector<header_view> headers;
    for (const auto& pair : pairs) headers.push_back({pair.at(0), pair.at(1)});
    kuaidi::mock::order_like_httplib(headers);
    std::string out;
    kuaidi::mock::write_answer_head(out, c.at("status").get<int>(), c.at("reason").get<std::string>(),
                                    headers);
    CHECK(out == c.at("expect").get<std::string>());
  }
}

TEST_CASE("state_connection: the answer says whether the connection stays open", "[framing]") {
  for (const json& c : vectors().at("connection")) {
    require_known_keys(c, {"name", "answer", "closing", "http10", "expect"});
    INFO(c.at("name").get<std::string>());
    std::string answer = c.at("answer").get<std::string>();
    kuaidi::mock::state_connection(answer, c.at("closing").get<bool>(), c.at("http10").get<bool>());
    CHECK(answer == c.at("expect").get<std::string>());
  }
}

}  // namespace
}  // namespace kuaidi::mock_test
