#pragma once
// Fixtures: answers pinned for given tracking numbers, parsed from the JSON text of a fixture
// file (reading and watching the file is the caller's). A bad text is rejected with a message
// naming the entry and the field.
//
// {"fixtures": [
//   {"kddh": "JT3084743373888", "scenario": "no_record"},
//   {"kddh": "SF1385628716739", "tel": "8888",
//    "trace": {"status": 3, "kdmc": "…", "events": [{"time": "…", "content": "…"}]}},
//   {"kddh": "YT8962646785389",
//    "response": {"status": 200, "headers": {"X-Extra": "1"}, "body": "{\"ok\":1,…}"}}
// ]}

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kuaidi/catalogue.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/result.hpp"

namespace kuaidi {

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
  // The set, or what is wrong with the text ("fixtures[2].trace.events[0].time: …").
  static result<fixture_set> parse(const std::string& text);

  // A fixture for this number and phone tail wins over one for the number alone.
  const fixture* find(const std::string& tracking_number, const std::string& phone_tail) const;
  std::size_t size() const { return by_key_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, fixture> by_key_;
};

}  // namespace kuaidi
