#include "journal.hpp"

#include <algorithm>

#include "journal_filter.hpp"

namespace kuaidi::mock {

namespace {

constexpr std::size_t max_kept_target = 512;

}  // namespace

nlohmann::json to_json(const journal_entry& e) {
  nlohmann::json out = {{"time_ms", e.time_ms},        {"request_id", e.request_id}, {"remote", e.remote},
                        {"method", e.method},          {"target", e.target},         {"status", e.status},
                        {"duration_us", e.duration_us}};
  if (!e.appcode.empty()) out["appcode"] = e.appcode;
  if (!e.scenario.empty()) out["scenario"] = e.scenario;
  if (!e.route.empty()) out["route"] = e.route;
  if (!e.fault.empty()) out["fault"] = e.fault;
  if (!e.detail.empty()) out["detail"] = e.detail;
  if (e.kddh) out["kddh"] = *e.kddh;
  if (e.tel) out["tel"] = *e.tel;
  out["billed"] = e.billed;
  return out;
}

journal::journal(std::size_t capacity) : capacity_(capacity) {}

void journal::record(journal_entry entry) {
  if (capacity_ == 0) return;
  if (entry.target.size() > max_kept_target) {
    entry.target.resize(max_kept_target);
    entry.target += "…";
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() == capacity_) entries_.pop_front();
  entries_.push_back(std::move(entry));
  ++recorded_;
}

nlohmann::json journal::to_json(std::size_t limit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json list = nlohmann::json::array();
  for (auto it = entries_.rbegin(); it != entries_.rend() && list.size() < limit; ++it)
    list.push_back(mock::to_json(*it));
  return {{"capacity", capacity_}, {"recorded", recorded_}, {"kept", entries_.size()}, {"entries", list}};
}

template <typename Keep>
bool journal::each_match(const journal_filter& filter, Keep keep) const {
  auto end = entries_.rend();
  if (filter.since_request_id) {
    end = std::find_if(entries_.rbegin(), entries_.rend(),
                       [&](const journal_entry& e) { return e.request_id == *filter.since_request_id; });
    if (end == entries_.rend()) return false;
  }
  for (auto it = entries_.rbegin(); it != end; ++it)
    if (matches(filter, *it) && !keep(*it)) break;
  return true;
}

std::optional<nlohmann::json> journal::select(const journal_filter& filter) const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json list = nlohmann::json::array();
  const bool found = each_match(filter, [&](const journal_entry& e) {
    list.push_back(mock::to_json(e));
    return list.size() < filter.limit;
  });
  if (!found) return std::nullopt;
  return nlohmann::json{
      {"capacity", capacity_}, {"recorded", recorded_}, {"kept", entries_.size()}, {"entries", list}};
}

std::optional<std::size_t> journal::count(const journal_filter& filter) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t n = 0;
  if (!each_match(filter, [&](const journal_entry&) { return ++n, true; })) return std::nullopt;
  return n;
}

void journal::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
}

request_log::request_log(const std::string& target) {
  if (target == "off") return;
  if (target == "-" || target.empty()) {
    file_ = stderr;
    return;
  }
  file_ = std::fopen(target.c_str(), "a");
  owned_ = file_ != nullptr;
  ok_ = owned_;
}

request_log::~request_log() {
  if (owned_) std::fclose(file_);
}

void request_log::write(const nlohmann::json& line) {
  if (!file_) return;
  // Bytes that are not UTF-8 (hostile queries) are replaced rather than failing the dump.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

}  // namespace kuaidi::mock
