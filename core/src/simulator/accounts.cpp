#include "kuaidi/accounts.hpp"

#include "../enum_names.hpp"
#include "../text.hpp"

#include <algorithm>

namespace kuaidi {

namespace {

// Open mode remembers AppCodes only to show their usage; a flood of invented codes stops here.
constexpr std::size_t max_tracked_open_codes = 10000;

struct state_row {
  account_state state;
  std::string_view name;
  std::optional<scenario_id> refusal;
};

constexpr state_row state_table[] = {
    {account_state::active, "active", std::nullopt},
    {account_state::expired, "expired", scenario_id::quota_expired},
    {account_state::unauthorized, "unauthorized", scenario_id::unauthorized},
    {account_state::arrears, "arrears", scenario_id::user_arrears},
    {account_state::auth_expired, "auth_expired", scenario_id::auth_expired},
    {account_state::subscription_invalid, "subscription_invalid", scenario_id::subscription_invalid},
    {account_state::provider_overdue, "provider_overdue", scenario_id::provider_overdue},
};

const state_row& row_of(account_state state) {
  for (const auto& row : state_table)
    if (row.state == state) return row;
  return state_table[0];
}

const scenario* refusal_for(account_state state) {
  const auto refusal = row_of(state).refusal;
  return refusal ? &entry(*refusal) : nullptr;
}

}  // namespace

std::string_view to_string(account_state state) { return row_of(state).name; }

std::optional<account_state> parse_account_state(std::string_view text) {
  return names::value_named(state_table, &state_row::name, &state_row::state, text);
}

std::string account_state_names() {
  return names::listed(state_table, [](const state_row& row) { return row.name; });
}

result<account_spec> parse_account_spec(std::string_view text) {
  account_spec spec;
  const std::size_t first = text.find(':');
  spec.appcode = std::string(text.substr(0, first));
  if (spec.appcode.empty())
    return fail("--appcode needs CODE[:QUOTA[:STATE]], got '" + std::string(text) + "'");
  if (first == std::string_view::npos) return spec;
  std::string_view rest = text.substr(first + 1);
  const std::size_t second = rest.find(':');
  const std::string_view quota = rest.substr(0, second);
  std::int64_t count = 0;
  if (quota != "unlimited" && !text::parse_digits(quota, 15, count))
    return fail("--appcode " + mask_appcode(spec.appcode) +
                ": QUOTA must be a whole number of calls "
                "or 'unlimited', got '" +
                std::string(quota) + "'");
  if (quota != "unlimited") spec.quota = count;
  if (second == std::string_view::npos) return spec;
  const std::string_view state = rest.substr(second + 1);
  const auto parsed = parse_account_state(state);
  if (!parsed)
    return fail("--appcode " + mask_appcode(spec.appcode) + ": STATE must be one of " +
                account_state_names() + ", got '" + std::string(state) + "'");
  spec.state = *parsed;
  return spec;
}

std::string mask_appcode(std::string_view appcode) {
  const std::size_t n = appcode.size();
  if (n >= 10) return std::string(appcode.substr(0, 4)) + "****" + std::string(appcode.substr(n - 2));
  if (n >= 6) return std::string(appcode.substr(0, 2)) + "****" + std::string(appcode.substr(n - 1));
  return "****";
}

std::optional<std::string> appcode_from_authorization(std::string_view header) {
  constexpr std::string_view keyword = "APPCODE";
  if (header.size() <= keyword.size() || !text::iequals(header.substr(0, keyword.size()), keyword))
    return std::nullopt;
  std::string_view rest = header.substr(keyword.size());
  if (rest.front() != ' ') return std::nullopt;  // the vendor insists on the space
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

accounts::accounts(std::vector<account_spec> specs, int calls_per_second)
    : specs_(std::move(specs)), open_(specs_.empty()), calls_per_second_(calls_per_second) {
  load_specs();
}

void accounts::load_specs() {
  by_code_.clear();
  for (const auto& spec : specs_) {
    account a;
    a.remaining = spec.quota;
    a.state = spec.state;
    by_code_[spec.appcode] = a;
  }
}

accounts::account* accounts::find_or_open(const std::string& appcode) {
  auto it = by_code_.find(appcode);
  if (it != by_code_.end()) return &it->second;
  if (!open_) return nullptr;
  if (by_code_.size() >= max_tracked_open_codes) {
    untracked_ = account{};
    return &untracked_;
  }
  return &by_code_[appcode];
}

const scenario* accounts::admit(const std::optional<std::string>& authorization, std::int64_t now_ms) {
  if (!authorization) return &entry(scenario_id::auth_missing);
  const auto appcode = appcode_from_authorization(*authorization);
  if (!appcode) return &entry(scenario_id::appcode_invalid);
  account* a = find_or_open(*appcode);
  if (!a) return &entry(scenario_id::appcode_invalid);
  if (const scenario* refused = refusal_for(a->state)) return refused;
  if (a->remaining && *a->remaining <= 0) return &entry(scenario_id::quota_exhausted);
  if (calls_per_second_ > 0) {
    const std::int64_t second = now_ms / 1000;
    if (a->window_second != second) a->window_second = second, a->window_calls = 0;
    if (++a->window_calls > calls_per_second_) return &entry(scenario_id::throttled);
  }
  ++a->admitted;
  return nullptr;
}

void accounts::charge(const std::string& appcode) {
  auto it = by_code_.find(appcode);
  if (it == by_code_.end()) return;
  account& a = it->second;
  ++a.billed;
  if (a.remaining && *a.remaining > 0) --*a.remaining;
}

nlohmann::json accounts::describe(const std::string& appcode, const account& a) const {
  nlohmann::json out = {{"appcode", mask_appcode(appcode)},
                        {"state", to_string(a.state)},
                        {"admitted", a.admitted},
                        {"billed", a.billed}};
  out["remaining"] = a.remaining ? nlohmann::json(*a.remaining) : nlohmann::json(nullptr);
  return out;
}

nlohmann::json accounts::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [code, a] : by_code_) list.push_back(describe(code, a));
  return {{"open", open_}, {"calls_per_second", calls_per_second_}, {"appcodes", list}};
}

std::optional<nlohmann::json> accounts::to_json(const std::string& appcode) const {
  auto it = by_code_.find(appcode);
  if (it == by_code_.end()) return std::nullopt;
  return describe(it->first, it->second);
}

result<> accounts::update(const std::string& appcode, const nlohmann::json& change) {
  if (appcode.empty()) return fail("name the AppCode in the path: /__admin/quotas/<appcode>");
  if (!change.is_object())
    return fail(R"(send a JSON object such as {"remaining": 10} or {"state": "expired"})");
  std::optional<std::optional<std::int64_t>> remaining;
  std::optional<account_state> state;
  for (const auto& [key, value] : change.items()) {
    if (key == "remaining" || key == "quota") {
      if (value.is_null())
        remaining = std::optional<std::int64_t>();
      else if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
        remaining = std::optional<std::int64_t>(value.get<std::int64_t>());
      else
        return fail("\"" + key + "\" must be a whole number >= 0, or null for unlimited");
    } else if (key == "state") {
      state = value.is_string() ? parse_account_state(value.get<std::string>()) : std::nullopt;
      if (!state) return fail("\"state\" must be one of " + account_state_names());
    } else {
      return fail("unknown field \"" + key + "\": use \"remaining\" and/or \"state\"");
    }
  }
  account& a = by_code_[appcode];
  if (remaining) a.remaining = *remaining;
  if (state) a.state = *state;
  return {};
}

void accounts::reset() { load_specs(); }

}  // namespace kuaidi
