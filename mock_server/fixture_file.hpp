#pragma once
// The fixture file: read when the server starts, reloaded when it changes on disk and on
// POST /__admin/reload. A bad file is rejected (the core's parser names the entry and the field)
// and the fixtures already loaded stay live.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "kuaidi/fixtures.hpp"
#include "kuaidi/result.hpp"

namespace kuaidi::mock {

class fixture_store {
 public:
  // `installed` is called with each set that goes live, in order (the simulator takes it).
  fixture_store(std::string path, std::function<void(std::shared_ptr<const fixture_set>)> installed);
  ~fixture_store();
  fixture_store(const fixture_store&) = delete;
  fixture_store& operator=(const fixture_store&) = delete;

  // How many fixtures went live, or why the file was rejected.
  using loaded = result<std::size_t>;

  loaded reload();
  // Polls the file's modification time and size, reloading when they change.
  void watch(std::chrono::milliseconds interval, std::function<void(const loaded&)> report);
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
  const std::function<void(std::shared_ptr<const fixture_set>)> installed_;
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
