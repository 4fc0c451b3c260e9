#pragma once
// Reading raw HTTP/1.1 answers and a process's descriptors: what the mock tests and the soak share
// (no test framework, no HTTP library).

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kuaidi::mock_test {

// Status, headers and body of a raw HTTP/1.1 answer (first one in `text`).
struct raw_answer {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<std::string> header(const std::string& name) const;
};
std::optional<raw_answer> parse_raw_answer(const std::string& text);

// The whole answer starting at `offset` (its body as long as Content-Length says; none for a
// HEAD request), and `offset` moved past it; nullopt when the bytes end before it does.
std::optional<raw_answer> parse_raw_answer_at(const std::string& text, std::size_t& offset,
                                              bool head_request = false);

// Descriptors a process has open (/proc/<pid>/fd), or -1.
int open_descriptor_count(int pid);

// Raises this process's RLIMIT_NOFILE soft limit to `wanted`; false when the hard limit is lower.
bool raise_descriptor_limit(std::size_t wanted);

}  // namespace kuaidi::mock_test
