#include <catch2/catch.hpp>

#include <string>

#include "kuaidi/result.hpp"

namespace {

kuaidi::result<int> port(const std::string& text) {
  if (text.empty()) return kuaidi::fail("--port needs a value");
  return std::stoi(text);
}

kuaidi::result<> checked(bool good) {
  if (!good) return kuaidi::fail("not good: send a good one");
  return {};
}

struct refusal {
  std::string problem, hint;
};

kuaidi::result<int, refusal> status(int code) {
  if (code < 100) return kuaidi::failure<refusal>{{"bad status", "from 100 to 999"}};
  return code;
}

}  // namespace

TEST_CASE("a result holds the value, or the error text and no value", "[result]") {
  const auto read = port("8081");
  REQUIRE(read);
  CHECK(*read == 8081);
  CHECK(read.error().empty());

  const auto refused = port("");
  CHECK_FALSE(refused.ok());
  CHECK(refused.error() == "--port needs a value");
}

TEST_CASE("a result with no value says only whether it failed and why", "[result]") {
  CHECK(checked(true).ok());
  CHECK(checked(true).error().empty());
  const auto bad = checked(false);
  CHECK_FALSE(bad);
  CHECK(bad.error() == "not good: send a good one");
}

TEST_CASE("a result's value is reached through it and can be moved out", "[result]") {
  kuaidi::result<std::string> text = std::string("abc");
  CHECK(text->size() == 3);
  const std::string taken = std::move(*text);
  CHECK(taken == "abc");
}

TEST_CASE("a result's error may be a struct when the caller needs its parts", "[result]") {
  CHECK(*status(200) == 200);
  const auto bad = status(7);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().problem == "bad status");
  CHECK(bad.error().hint == "from 100 to 999");
}
