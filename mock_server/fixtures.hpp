#pragma once
// Fixtures: answers pinned for given tracking numbers, read from a JSON file. The file is
// reloaded when it changes and on POST /__admin/reload; a bad file is rejected with a message
// naming the entry and the field, and the fixtures already loaded stay live.
//
// {"fixtures": [
//   {"kddh": "JT3084743373888", "scenario": "no_record"},
//   {"kddh": "SF1385628716739", "tel": "8888",
//    "trace": {"status": 3, "kdmc": "…", "events": [{"time": "…", "content": "…"}]}},
//   {"kddh": "YT8962646785389",
//    "response": {"status": 200, "headers": {"X-Extra": "1"}, "body": "{\"ok\":1,…}"}}
// ]}

#include <atomic>
#include <chrono>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kuaidi/catalogue.hpp"
#include "kuaidi/response.hpp"

namespace kuaidi::mock {

// An answer given byte for byte, for cases the catalogue and traces cannot express.
struct raw_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;
  std::string body;
};

struct fixture {
  std::string tracking_number;  // normalised
  std::string phone_tail;       // empty: any (or no) tel
  const scenario* answer = nullptr;
  std::optional<trace> pinned_trace;
  std::optional<raw_response> response;
};

class fixture_set {
 public:
  // nullopt + error ("fixtures[2].trace.events[0].time: …") when the text is not a fixture file.
  static std::optional<fixture_set> parse(const std::string& text, std::string& error);

  // A fixture for this number and phone tail wins over one for the number alone.
  const fixture* find(const std::string& tracking_number, const std::string& phone_tail) const;
  std::size_t size() const { return by_key_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, fixture> by_key_;
};

class fixture_store {
 public:
  explicit fixture_store(std::string path);  // empty path: no fixtures
  ~fixture_store();
  fixture_store(const fixture_store&) = delete;
  fixture_store& operator=(const fixture_store&) = delete;

  struct load_result {
    bool ok = false;
    std::size_t count = 0;
    std::string error;
  };

  load_result reload();
  // Polls the file's modification time and size, reloading when they change.
  void watch(std::chrono::milliseconds interval, std::function<void(const load_result&)> report);
  std::shared_ptr<const fixture_set> current() const;
  // Changes whenever a new set goes live (answers cached from the old set are then stale).
  std::uint64_t generation() const { return live_generation_; }
  nlohmann::json status() const;
  bool configured() const { return !path_.empty(); }

 private:
  struct file_stamp {
    std::int64_t mtime_ns = -1;
    std::int64_t size = -1;
    bool operator==(const file_stamp& o) const { return mtime_ns == o.mtime_ns && size == o.size; }
  };
  file_stamp stamp() const;

  const std::string path_;
  // One reload at a time: otherwise a slow read of an older file (the watcher's) can be installed
  // after a newer one (POST /__admin/reload), and the older fixtures come back.
  std::mutex reload_mutex_;
  mutable std::mutex mutex_;
  std::shared_ptr<const fixture_set> current_;
  file_stamp loaded_stamp_;
  std::string last_error_;
  std::uint64_t generation_ = 0;
  std::atomic<std::uint64_t> live_generation_{0};
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

}  // namespace kuaidi::mock
