#include "kuaidi/fixtures.hpp"

#include <climits>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "../enum_names.hpp"
#include "kuaidi/carriers.hpp"
#include "kuaidi/interpret.hpp"
#include "kuaidi/request.hpp"

namespace kuaidi {

namespace {

// A whole JSON number within [lo, hi]; big numbers must not wrap around into an int.
bool integer_within(const nlohmann::json& value, std::int64_t lo, std::int64_t hi) {
  if (value.is_number_unsigned())
    return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(hi) &&
           static_cast<std::int64_t>(value.get<std::uint64_t>()) >= lo;
  return value.is_number_integer() && value.get<std::int64_t>() >= lo && value.get<std::int64_t>() <= hi;
}

using json = nlohmann::json;

// Keeps the first problem with its place in the file; a read that returns false stops the parse.
struct reader {
  std::string error;
  bool fail(const std::string& where, const std::string& what) {
    error = where + ": " + what;
    return false;
  }
};

bool read_string(reader& r, const json& object, const char* key, const std::string& where, std::string& out,
                 bool required) {
  auto it = object.find(key);
  if (it == object.end()) return !required || r.fail(where, std::string("missing \"") + key + "\"");
  if (!it->is_string()) return r.fail(where + "." + key, "must be a string");
  out = it->get<std::string>();
  return true;
}

bool check_keys(reader& r, const json& object, const std::string& where,
                std::initializer_list<const char*> allowed) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* key : allowed) known = known || item.key() == key;
    if (!known)
      return r.fail(where, "unknown field \"" + item.key() + "\" (fields: " + names::listed(allowed) + ")");
  }
  return true;
}

bool read_events(reader& r, const json& events, const std::string& where, trace& t) {
  if (!events.is_array()) return r.fail(where, "must be an array of {\"time\", \"content\"}");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    const json& e = events[i];
    if (!e.is_object()) return r.fail(at, "must be an object {\"time\", \"content\"}");
    trace_event event;
    if (!check_keys(r, e, at, {"time", "content"}) || !read_string(r, e, "time", at, event.time, true) ||
        !read_string(r, e, "content", at, event.content, true))
      return false;
    if (!parse_event_time(event.time))
      return r.fail(at + ".time", "\"" + event.time + "\" is not \"YYYY-MM-DD HH:MM:SS\"");
    t.events.push_back(std::move(event));
  }
  return true;
}

bool read_trace(reader& r, const json& object, const std::string& where, const std::string& number,
                trace& t) {
  if (!object.is_object()) return r.fail(where, "must be an object {\"status\", \"kdmc\", \"events\"}");
  if (!check_keys(r, object, where, {"status", "kdmc", "events"})) return false;
  t.tracking_number = number;
  auto status = object.find("status");
  if (status != object.end() && !integer_within(*status, INT_MIN, INT_MAX))
    return r.fail(where + ".status", "must be a whole number (the vendor's status code)");
  t.status = status == object.end() ? 2 : status->get<int>();
  if (!read_string(r, object, "kdmc", where, t.carrier_name, false)) return false;
  if (t.carrier_name.empty()) {
    const detection d = detect_carrier(number);
    if (d.best()) t.carrier_name = std::string(d.best()->carrier->name_zh);
  }
  auto events = object.find("events");
  return events == object.end() ? r.fail(where, "missing \"events\"")
                                : read_events(r, *events, where + ".events", t);
}

bool read_response(reader& r, const json& object, const std::string& where, raw_response& out) {
  if (!object.is_object()) return r.fail(where, "must be an object {\"status\", \"headers\", \"body\"}");
  if (!check_keys(r, object, where, {"status", "headers", "body", "content_type"})) return false;
  auto status = object.find("status");
  if (status != object.end()) {
    if (!integer_within(*status, 100, 999))
      return r.fail(where + ".status", "must be an HTTP status between 100 and 999");
    out.status = status->get<int>();
  }
  out.content_type = "application/json;charset=UTF-8";
  if (!read_string(r, object, "content_type", where, out.content_type, false) ||
      !read_string(r, object, "body", where, out.body, false))
    return false;
  auto headers = object.find("headers");
  if (headers == object.end()) return true;
  if (!headers->is_object()) return r.fail(where + ".headers", "must be an object of strings");
  for (const auto& [name, value] : headers->items()) {
    if (!value.is_string()) return r.fail(where + ".headers." + name, "must be a string");
    out.headers.emplace_back(name, value.get<std::string>());
  }
  return true;
}

// The number must reach the fixture lookup: the vendor's checks run before it.
bool check_reachable(reader& r, const std::string& kddh, const std::string& tel, const std::string& where,
                     fixture& f) {
  request_params params;
  params.kddh = kddh;
  if (!tel.empty()) params.tel = tel;
  const validation v = validate(params);
  if (!v.passed())
    return r.fail(where, "never reached: the API answers \"" + std::string(v.answer->id) +
                             "\" for this kddh/tel before looking at fixtures");
  f.tracking_number = v.request.tracking_number;
  f.phone_tail = v.request.phone_tail;
  return true;
}

bool read_fixture(reader& r, const json& entry, const std::string& where, fixture& f) {
  if (!entry.is_object()) return r.fail(where, "must be an object with \"kddh\"");
  if (!check_keys(r, entry, where, {"kddh", "tel", "scenario", "trace", "response", "comment"})) return false;
  std::string kddh, tel, scenario_id;
  if (!read_string(r, entry, "kddh", where, kddh, true) || !read_string(r, entry, "tel", where, tel, false) ||
      !read_string(r, entry, "scenario", where, scenario_id, false) ||
      !check_reachable(r, kddh, tel, where, f))
    return false;
  const int answers = entry.contains("scenario") + entry.contains("trace") + entry.contains("response");
  if (answers != 1) return r.fail(where, "needs exactly one of \"scenario\", \"trace\" or \"response\"");
  if (entry.contains("scenario")) {
    f.answer = find_scenario(scenario_id);
    if (!f.answer)
      return r.fail(where + ".scenario",
                    "unknown id \"" + scenario_id + "\" (GET /__admin/scenarios lists them)");
    return true;
  }
  if (entry.contains("trace")) {
    f.pinned_trace.emplace();
    return read_trace(r, entry["trace"], where + ".trace", f.tracking_number, *f.pinned_trace);
  }
  f.response.emplace();
  return read_response(r, entry["response"], where + ".response", *f.response);
}

}  // namespace

result<fixture_set> fixture_set::parse(const std::string& text) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) return kuaidi::fail("not valid JSON (check commas, quotes and brackets)");
  if (!document.is_object() || !document.contains("fixtures") || !document["fixtures"].is_array())
    return kuaidi::fail("top level: must be an object {\"fixtures\": [ … ]}");
  reader r;
  fixture_set set;
  const json& list = document["fixtures"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "fixtures[" + std::to_string(i) + "]";
    fixture f;
    if (!read_fixture(r, list[i], where, f)) return kuaidi::fail(r.error);
    auto key = std::make_pair(f.tracking_number, f.phone_tail);
    if (set.by_key_.count(key))
      return kuaidi::fail(where + ": duplicate of an earlier fixture for " + f.tracking_number +
                          (f.phone_tail.empty() ? "" : " with tel " + f.phone_tail));
    set.by_key_.emplace(std::move(key), std::move(f));
  }
  return set;
}

const fixture* fixture_set::find(const std::string& tracking_number, const std::string& phone_tail) const {
  if (by_key_.empty()) return nullptr;
  if (!phone_tail.empty()) {
    auto it = by_key_.find({tracking_number, phone_tail});
    if (it != by_key_.end()) return &it->second;
  }
  auto it = by_key_.find({tracking_number, std::string()});
  return it == by_key_.end() ? nullptr : &it->second;
}

}  // namespace kuaidi
