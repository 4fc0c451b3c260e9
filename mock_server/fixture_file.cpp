#include "fixture_file.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace kuaidi::mock {

namespace {

constexpr std::size_t max_fixture_file_bytes = 16 * 1024 * 1024;

result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() > max_fixture_file_bytes) return fail(path + " is larger than 16 MB");
  return text;
}

}  // namespace

fixture_store::fixture_store(std::string path,
                             std::function<void(std::shared_ptr<const fixture_set>)> installed)
    : path_(std::move(path)),
      installed_(std::move(installed)),
      current_(std::make_shared<const fixture_set>()) {}

fixture_store::~fixture_store() {
  stopping_ = true;
  if (watcher_.joinable()) watcher_.join();
}

fixture_store::file_stamp fixture_store::stamp() const {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) return {};
  return {static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
          static_cast<std::int64_t>(info.st_size)};
}

fixture_store::loaded fixture_store::reload() {
  if (path_.empty()) return fail("no fixture file: start with --fixtures FILE");
  std::lock_guard<std::mutex> one_at_a_time(reload_mutex_);
  const file_stamp seen = stamp();
  const auto text = read_file(path_);
  const result<fixture_set> parsed = text ? fixture_set::parse(*text) : fail(text.error());
  std::lock_guard<std::mutex> lock(mutex_);
  loaded_stamp_ = seen;  // a bad file is reported once, not on every poll
  if (!parsed) {
    last_error_ =
        text ? path_ + ": " + parsed.error() + " — the previous fixtures stay live" : parsed.error();
    return fail(last_error_);
  }
  const std::size_t count = parsed->size();
  current_ = std::make_shared<const fixture_set>(std::move(*parsed));
  last_error_.clear();
  live_generation_ = ++generation_;
  if (installed_) installed_(current_);  // still under reload_mutex_: sets go live in order
  return count;
}

void fixture_store::watch(std::chrono::milliseconds interval, std::function<void(const loaded&)> report) {
  if (path_.empty()) return;
  watcher_ = std::thread([this, interval, report = std::move(report)] {
    while (!stopping_) {
      std::this_thread::sleep_for(interval);
      file_stamp seen = stamp();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (seen == loaded_stamp_) continue;
      }
      report(reload());
    }
  });
}

std::shared_ptr<const fixture_set> fixture_store::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

nlohmann::json fixture_store::status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json out = {{"path", path_}, {"count", current_->size()}, {"generation", generation_}};
  out["last_error"] = last_error_.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_error_);
  return out;
}

}  // namespace kuaidi::mock
