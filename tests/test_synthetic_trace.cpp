#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kuaidi/carriers.hpp"
#include "kuaidi/synthetic_trace.hpp"
#include "kuaidi/time.hpp"

namespace {

constexpr std::int64_t hour = 3600, day = 86400;

// kdniao's statuses as the vendor sends them (api.md §2).
constexpr int picked_up = 1, in_transit = 2, delivered = 3, problem = 4;

struct parcel {
  std::string number;
  const kuaidi::carrier* by;
};

// 240 numbers of three carriers, in the shapes their own numbers take.
std::vector<parcel> sample() {
  std::vector<parcel> out;
  const std::pair<const char*, const char*> shapes[] = {
      {"jtexpress", "JT3084743"}, {"yuantong", "YT8962646"}, {"zhongtong", "7361055"}};
  for (const auto& [code, prefix] : shapes) {
    const kuaidi::carrier* by = kuaidi::find_carrier(code);
    REQUIRE(by);
    for (int i = 0; i < 80; ++i) out.push_back({prefix + std::to_string(100000 + i * 7919), by});
  }
  return out;
}

bool on_its_way(const kuaidi::trace& t) { return t.status == picked_up || t.status == in_transit; }

// Three clocks started years apart: a parcel's life is laid out around wherever the clock starts.
constexpr std::int64_t anchors[] = {1666872000, 1714536000, 1796529600};

}  // namespace

TEST_CASE("when the clock starts, at least a third of synthetic parcels are still on their way",
          "[synthetic_trace]") {
  const auto parcels = sample();
  for (const std::int64_t anchor : anchors) {
    INFO("anchor " << kuaidi::china_iso_time(anchor));
    std::size_t moving = 0;
    for (const auto& p : parcels) {
      const kuaidi::trace t = kuaidi::synthesize_trace(p.number, *p.by, anchor, anchor);
      INFO(p.number);
      CHECK_FALSE(t.events.empty());  // every parcel was picked up by the time the clock starts
      moving += on_its_way(t);
    }
    CHECK(moving * 3 >= parcels.size());
  }
}

TEST_CASE(
    "as the clock advances a parcel only gains events whose time has come, and the status follows "
    "the newest one",
    "[synthetic_trace]") {
  const auto parcels = sample();
  const std::int64_t anchor = anchors[0];
  std::size_t problems = 0;
  for (const auto& p : parcels) {
    INFO(p.number);
    kuaidi::trace before = kuaidi::synthesize_trace(p.number, *p.by, anchor, anchor);
    for (std::int64_t clock = anchor + 3 * hour; clock <= anchor + 30 * day; clock += 3 * hour) {
      const kuaidi::trace now = kuaidi::synthesize_trace(p.number, *p.by, anchor, clock);
      INFO("clock " << kuaidi::china_time(clock));
      REQUIRE(now.events.size() >= before.events.size());
      // Newest first: what was shown before is the tail of what is shown now, unchanged.
      const std::size_t added = now.events.size() - before.events.size();
      for (std::size_t i = 0; i < before.events.size(); ++i) {
        CHECK(now.events[added + i].time == before.events[i].time);
        CHECK(now.events[added + i].content == before.events[i].content);
      }
      CHECK(now.events.front().time <= kuaidi::china_time(clock));
      for (std::size_t i = 1; i < now.events.size(); ++i) CHECK(now.events[i].time <= now.events[i - 1].time);
      if (added == 0) CHECK(now.status == before.status);
      if (before.status == delivered || before.status == problem) CHECK(added == 0);
      before = now;
    }
    // After 30 simulated days every parcel has arrived, or stayed the problem it became.
    CHECK((before.status == delivered || before.status == problem));
    problems += before.status == problem;
  }
  CHECK(problems > 0);
  CHECK(problems * 8 < parcels.size());
}

TEST_CASE("a parcel's life is the same wherever the clock starts, shifted with it", "[synthetic_trace]") {
  for (const auto& p : sample()) {
    INFO(p.number);
    const auto first = kuaidi::synthesize_trace(p.number, *p.by, anchors[0], anchors[0] + 2 * day);
    const auto again = kuaidi::synthesize_trace(p.number, *p.by, anchors[0], anchors[0] + 2 * day);
    const auto later = kuaidi::synthesize_trace(p.number, *p.by, anchors[1], anchors[1] + 2 * day);
    REQUIRE(first.events.size() == later.events.size());
    CHECK(first.status == later.status);
    for (std::size_t i = 0; i < first.events.size(); ++i) {
      CHECK(first.events[i].time == again.events[i].time);
      CHECK(first.events[i].content == later.events[i].content);
      const auto shifted = kuaidi::parse_instant(first.events[i].time);
      REQUIRE(shifted);
      CHECK(kuaidi::china_time(*shifted + anchors[1] - anchors[0]) == later.events[i].time);
    }
  }
}

TEST_CASE("before its pickup a parcel has no events", "[synthetic_trace]") {
  const kuaidi::carrier* by = kuaidi::find_carrier("jtexpress");
  REQUIRE(by);
  const auto t = kuaidi::synthesize_trace("JT3084743373888", *by, anchors[0], anchors[0] - 5 * day);
  CHECK(t.events.empty());
  CHECK(t.status == 0);
  CHECK(kuaidi::synthesize_trace("JT3084743373888", *by, anchors[0], anchors[0]).events.size() > 0);
}
