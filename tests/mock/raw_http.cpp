#include "raw_http.hpp"

#include <strings.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace kuaidi::mock_test {

std::optional<std::string> raw_answer::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  return std::nullopt;
}

std::optional<raw_answer> parse_raw_answer(const std::string& text) {
  const std::size_t head_end = text.find("\r\n\r\n");
  if (head_end == std::string::npos || text.rfind("HTTP/1.1 ", 0) != 0) return std::nullopt;
  raw_answer answer;
  std::istringstream head(text.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  answer.status = std::atoi(line.c_str() + 9);
  answer.reason = line.size() > 13 ? line.substr(13, line.size() - 14) : "";
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::size_t start = colon + 1;
    while (start < line.size() && line[start] == ' ') ++start;
    answer.headers.emplace_back(line.substr(0, colon), line.substr(start));
  }
  std::size_t length = 0;
  if (auto value = answer.header("Content-Length")) length = std::strtoull(value->c_str(), nullptr, 10);
  answer.body = text.substr(head_end + 4, length);
  return answer;
}

std::optional<raw_answer> parse_raw_answer_at(const std::string& text, std::size_t& offset,
                                              bool head_request) {
  const std::size_t head_end = text.find("\r\n\r\n", offset);
  if (head_end == std::string::npos) return std::nullopt;
  auto answer = parse_raw_answer(text.substr(offset, head_end + 4 - offset));
  if (!answer) return std::nullopt;
  std::size_t length = 0;
  if (auto value = answer->header("Content-Length")) length = std::strtoull(value->c_str(), nullptr, 10);
  if (head_request) length = 0;
  if (text.size() < head_end + 4 + length) return std::nullopt;
  answer->body = text.substr(head_end + 4, length);
  offset = head_end + 4 + length;
  return answer;
}

int open_descriptor_count(int pid) {
  std::error_code error;
  std::filesystem::directory_iterator fds("/proc/" + std::to_string(pid) + "/fd", error);
  if (error) return -1;
  int count = 0;
  for (const auto& ignored : fds) {
    static_cast<void>(ignored);
    ++count;
  }
  return count;
}

bool raise_descriptor_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur >= wanted) return true;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) return false;
  limit.rlim_cur = wanted;
  return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

}  // namespace kuaidi::mock_test
