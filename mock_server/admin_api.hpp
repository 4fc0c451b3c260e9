#pragma once
// The admin API under /__admin/: health, scenarios, the journal and its filtered requests, quotas,
// fixtures, the referee's report, reset.
// No HTTP library here: a call (method, path after /__admin, limit, body) becomes a JSON reply,
// thin JSON over the simulator's state.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixture_file.hpp"
#include "journal.hpp"
#include "kuaidi/catalogue.hpp"
#include "simulation.hpp"

namespace kuaidi::mock {

struct admin_call {
  std::string method;
  std::string path;                  // after "/__admin": "/journal", "/quotas/CODE", "/"
  std::optional<std::string> limit;  // ?limit= of GET /journal
  std::string body;
  std::vector<std::pair<std::string, std::string>> query;  // every query parameter, in order
};

struct admin_reply {
  int status = 200;
  nlohmann::json body;
};

class admin_api {
 public:
  admin_api(simulation_host& simulation, journal& journal, fixture_store& fixtures,
            std::function<nlohmann::json()> health, std::function<std::int64_t()> now_ms);

  admin_reply handle(const admin_call& call);

 private:
  admin_reply index() const;
  admin_reply read_journal(const std::optional<std::string>& limit) const;
  admin_reply quota(const admin_call& call, const std::string& appcode);
  admin_reply reload();
  admin_reply reset();
  admin_reply clock(const admin_call& call);
  admin_reply requests(const admin_call& call, bool count) const;
  admin_reply report();

  simulation_host& simulation_;
  journal& journal_;
  fixture_store& fixtures_;
  std::function<nlohmann::json()> health_;
  std::function<std::int64_t()> now_ms_;  // the request clock, which the simulated clock runs on
};

}  // namespace kuaidi::mock
