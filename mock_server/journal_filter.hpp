#pragma once
// The filters of GET /__admin/requests and /__admin/requests/count: read from the query, checked
// (an unknown name or a bad value is refused with what is accepted), and matched against entries.
// No HTTP and no locking here, so the tests can call it directly.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "journal.hpp"
#include "kuaidi/result.hpp"

namespace kuaidi::mock {

struct journal_filter {
  std::optional<std::string> kddh;  // normalised: case, spaces and '-' do not matter
  std::optional<int> status;
  std::optional<std::string> scenario;
  std::optional<std::string> route;
  std::optional<bool> billed;
  std::optional<std::string> since_request_id;  // entries recorded after this one
  std::optional<std::int64_t> since_ms;         // entries recorded at or after this instant
  std::size_t limit = 100;
};

// Why a query's filters were refused: the admin API answers with all three.
struct filter_refusal {
  std::string error;
  std::string hint;        // what is accepted
  std::string bad_filter;  // the name refused
};

using query_pairs = std::vector<std::pair<std::string, std::string>>;

// `with_limit`: GET /__admin/requests takes limit; /count counts every match and refuses it.
result<journal_filter, filter_refusal> parse_journal_filter(const query_pairs& query, bool with_limit);

// Whether one entry passes every filter but since and limit (the journal applies those in order).
bool matches(const journal_filter& filter, const journal_entry& entry);

// The names and values accepted, for the admin API's index.
std::string journal_filter_help();

}  // namespace kuaidi::mock
