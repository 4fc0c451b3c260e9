#pragma once
// The AppCodes the simulated gateway knows, their quota and state, and what it answers before a
// call reaches the vendor: auth, quota, flow control. The market bills 2xx answers only.
// A value: the caller owns it and serialises the calls that change it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kuaidi/catalogue.hpp"
#include "kuaidi/result.hpp"

namespace kuaidi {

// What Aliyun says about the package behind an AppCode besides its remaining calls.
// Each state but active is refused with one gateway answer (the catalogue entry in accounts.cpp):
// the package expired, the app not authorised, the caller in arrears, the app's authorisation past
// its time, the subscription invalid, the provider's account overdue.
enum class account_state {
  active,
  expired,
  unauthorized,
  arrears,
  auth_expired,
  subscription_invalid,
  provider_overdue
};

std::string_view to_string(account_state state);
std::optional<account_state> parse_account_state(std::string_view text);
// "active, expired, …" for messages that say what is accepted.
std::string account_state_names();

struct account_spec {
  std::string appcode;
  std::optional<std::int64_t> quota;  // calls left; nullopt: unlimited
  account_state state = account_state::active;
};

// "CODE", "CODE:QUOTA", "CODE:QUOTA:STATE" (QUOTA a number or "unlimited"); nullopt + error.
result<account_spec> parse_account_spec(std::string_view text);

// First 4 + "****" + last 2 (fewer in clear for short codes): never log an AppCode whole.
std::string mask_appcode(std::string_view appcode);

// The code from "APPCODE <code>" (case-insensitive keyword, spaces after it); nullopt when the
// header does not have that form.
std::optional<std::string> appcode_from_authorization(std::string_view header);

class accounts {
 public:
  accounts() : accounts({}, 0) {}
  // With no specs every non-empty AppCode is accepted with unlimited quota.
  accounts(std::vector<account_spec> specs, int calls_per_second);

  // The gateway's refusal before the call (auth, state, quota, flow control), or nullptr.
  // `authorization` is the raw header, nullopt when absent.
  const scenario* admit(const std::optional<std::string>& authorization, std::int64_t now_ms);

  // A 2xx answer went out for this AppCode: bill one call.
  void charge(const std::string& appcode);

  nlohmann::json to_json() const;
  std::optional<nlohmann::json> to_json(const std::string& appcode) const;

  // Sets remaining calls (null: unlimited) and/or state; creates the AppCode when unknown.
  result<> update(const std::string& appcode, const nlohmann::json& change);
  void reset();  // back to the command line's quotas and states

 private:
  struct account {
    std::optional<std::int64_t> remaining;
    account_state state = account_state::active;
    std::int64_t admitted = 0;
    std::int64_t billed = 0;
    std::int64_t window_second = 0;
    int window_calls = 0;
  };

  account* find_or_open(const std::string& appcode);
  nlohmann::json describe(const std::string& appcode, const account& a) const;
  void load_specs();

  std::vector<account_spec> specs_;
  bool open_;  // no --appcode: any AppCode is accepted
  int calls_per_second_;
  std::map<std::string, account> by_code_;
  account untracked_;  // open mode, past max_tracked_open_codes
};

}  // namespace kuaidi
