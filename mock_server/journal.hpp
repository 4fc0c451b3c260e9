#pragma once
// What the mock answered: a bounded in-memory journal for the admin API and one JSON line per
// request on the log. AppCodes are masked before anything is kept.

#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kuaidi::mock {

struct journal_entry {
  std::int64_t time_ms = 0;
  std::string request_id;
  std::string remote;
  std::string method;
  std::string target;   // path and query as sent, cut to a bounded length
  std::string appcode;  // masked
  int status = 0;
  std::string scenario;  // catalogue id, or empty for admin / static / mock errors
  std::string route;     // how the answer was chosen: natural, header, query, reserved, fixture…
  std::string fault;
  std::string detail;  // why a request was refused before it could be routed
  std::int64_t duration_us = 0;
  std::optional<std::string> kddh;  // as sent, on calls to the service
  std::optional<bool> tel;          // whether a non-empty tel came with it (the tail itself is not kept)
  bool billed = false;
};

struct journal_filter;

nlohmann::json to_json(const journal_entry& entry);

class journal {
 public:
  explicit journal(std::size_t capacity);
  void record(journal_entry entry);
  bool keeps() const { return capacity_ > 0; }
  // Newest first, at most `limit` entries.
  nlohmann::json to_json(std::size_t limit) const;
  // The entries that pass `filter`, newest first, at most its limit; nullopt when its since names
  // a request id the journal does not hold (never seen, or already dropped).
  std::optional<nlohmann::json> select(const journal_filter& filter) const;
  std::optional<std::size_t> count(const journal_filter& filter) const;
  void clear();

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<journal_entry> entries_;
  std::uint64_t recorded_ = 0;

  // Calls `keep(entry)` for each entry that passes, newest first, until it returns false.
  template <typename Keep>
  bool each_match(const journal_filter& filter, Keep keep) const;
};

// One JSON object per line; "-" is stderr, "off" writes nothing.
class request_log {
 public:
  explicit request_log(const std::string& target);
  ~request_log();
  request_log(const request_log&) = delete;
  request_log& operator=(const request_log&) = delete;

  bool ok() const { return ok_; }
  bool enabled() const { return file_ != nullptr; }
  void write(const nlohmann::json& line);

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  bool ok_ = true;
  std::mutex mutex_;
};

}  // namespace kuaidi::mock
