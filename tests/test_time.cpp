#include <catch2/catch.hpp>

#include "kuaidi/time.hpp"
#include "vectors.hpp"

TEST_CASE("instants are read as people type them and written as the API and HTTP write them", "[time]") {
  const auto vectors = kuaidi::test::load_vectors("time.json");
  for (const auto& v : vectors.at("instants")) {
    INFO(v.dump());
    kuaidi::test::require_known_keys(v, {"text", "epoch", "china", "http"});
    const auto parsed = kuaidi::parse_instant(v.at("text").get<std::string>());
    if (v.at("epoch").is_null()) {
      CHECK_FALSE(parsed);
      continue;
    }
    REQUIRE(parsed);
    CHECK(*parsed == v.at("epoch").get<std::int64_t>());
    CHECK(kuaidi::china_time(*parsed) == v.at("china").get<std::string>());
    CHECK(kuaidi::http_date(*parsed) == v.at("http").get<std::string>());
    CHECK(kuaidi::parse_instant(kuaidi::china_iso_time(*parsed)) == parsed);
  }
}

TEST_CASE("a date is counted in days from 1970-01-01 only when it is on the calendar", "[time]") {
  CHECK(kuaidi::days_from_civil(1970, 1, 1) == 0);
  CHECK(kuaidi::days_from_civil(2024, 2, 29) == 19782);
  CHECK(kuaidi::days_from_civil(1969, 12, 31) == -1);
  CHECK(kuaidi::days_from_civil(2000, 2, 29));        // divisible by 400: a leap year
  CHECK_FALSE(kuaidi::days_from_civil(2100, 2, 29));  // by 100 only: not one
  CHECK_FALSE(kuaidi::days_from_civil(2023, 2, 29));
  CHECK_FALSE(kuaidi::days_from_civil(2024, 4, 31));
  CHECK_FALSE(kuaidi::days_from_civil(2024, 13, 1));
  CHECK_FALSE(kuaidi::days_from_civil(2024, 1, 0));
}

TEST_CASE("spans of time are read as people type them: a whole number and ms, s, m, h or d", "[time]") {
  const auto vectors = kuaidi::test::load_vectors("time.json");
  for (const auto& v : vectors.at("durations")) {
    INFO(v.dump());
    kuaidi::test::require_known_keys(v, {"text", "seconds", "ms"});
    const auto parsed = kuaidi::parse_duration(v.at("text").get<std::string>());
    if (v.at("seconds").is_null())
      CHECK_FALSE(parsed);
    else
      CHECK(parsed == v.at("seconds").get<std::int64_t>());
    if (v.contains("ms")) {
      const auto ms = kuaidi::parse_duration_ms(v.at("text").get<std::string>());
      if (v.at("ms").is_null())
        CHECK_FALSE(ms);
      else
        CHECK(ms == v.at("ms").get<std::int64_t>());
    }
  }
  CHECK(kuaidi::china_iso_time(1666872000) == "2022-10-27T20:00:00+08:00");
}
