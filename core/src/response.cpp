#include "kuaidi/response.hpp"

#include <nlohmann/json.hpp>

namespace kuaidi {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view mask = "****";

// Compact, UTF-8 unescaped; bytes that are not UTF-8 become U+FFFD instead of failing.
std::string dump(const ordered_json& body) {
  return body.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

ordered_json body_head(int ok, std::string_view msg, int status, std::string_view carrier_name,
                       std::string_view masked_number) {
  ordered_json body = ordered_json::object();
  body["ok"] = ok;
  body["msg"] = std::string(msg);
  body["status"] = status;
  body["kdmc"] = std::string(carrier_name);
  body["kddh"] = std::string(masked_number);
  body["data"] = ordered_json::array();
  return body;
}

}  // namespace

std::string mask_tracking_number(std::string_view number) {
  const std::size_t n = number.size();
  if (n <= mask.size()) return std::string(n, '*');
  std::size_t front = 5;
  std::size_t back = 3;
  if (n < 12) {  // keep at least four characters hidden
    const std::size_t shown = n - mask.size();
    back = shown / 2;
    front = shown - back;
  }
  return std::string(number.substr(0, front)) + std::string(mask) + std::string(number.substr(n - back));
}

std::string build_trace_body(const trace& t) {
  ordered_json body = body_head(1, entry(scenario_id::success).msg, t.status, t.carrier_name,
                                mask_tracking_number(t.tracking_number));
  for (const auto& e : t.events) {
    ordered_json item = ordered_json::object();
    item["time"] = e.time;
    item["content"] = e.content;
    body["data"].push_back(std::move(item));
  }
  return dump(body);
}

std::string build_answer_body(const scenario& s, std::string_view carrier_name,
                              std::string_view tracking_number, std::string_view appid) {
  if (s.ok < 0) return {};
  if (s.ok == 0) return dump(body_head(0, render_msg(s, appid), 0, {}, {}));
  return dump(body_head(1, render_msg(s, appid), 0, carrier_name,
                        tracking_number.empty() ? std::string() : mask_tracking_number(tracking_number)));
}

}  // namespace kuaidi
