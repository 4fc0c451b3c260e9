#pragma once
// Test text templates, so vectors never retype a documented message:
//   {{msg:ID}}         the catalogue's msg for ID; {{msg:ID|APPID}} with the appid filled in
//   {{kdmc:CODE}}      the carrier's Chinese name, as the API's kdmc
//   {{vendor:success}} / {{vendor:failure}}  the vendor page's example body, compacted

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kuaidi/carriers.hpp"
#include "kuaidi/catalogue.hpp"
#include "vectors.hpp"

namespace kuaidi::test {

// The JSON of the code block after `heading` in the vendor's page, compacted in field order.
inline std::string vendor_example(const std::string& heading) {
  const std::string page = read_vector_text("vendor_page.txt");
  const auto at = page.find(heading);
  INFO("vendor page heading: " << heading);
  REQUIRE(at != std::string::npos);
  const auto open = page.find("```", at);
  const auto close = page.find("```", open + 3);
  REQUIRE(close != std::string::npos);
  const auto block = nlohmann::ordered_json::parse(page.substr(open + 3, close - open - 3), nullptr, false);
  REQUIRE_FALSE(block.is_discarded());
  return block.dump();
}

inline std::string expand(std::string text) {
  for (std::size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at)) {
    const auto end = text.find("}}", at);
    REQUIRE(end != std::string::npos);
    const std::string key = text.substr(at + 2, end - at - 2);
    std::string value;
    INFO("template " << key);
    if (key.rfind("msg:", 0) == 0) {
      const auto bar = key.find('|');
      const scenario* s =
          find_scenario(key.substr(4, bar == std::string::npos ? std::string::npos : bar - 4));
      REQUIRE(s != nullptr);
      value = render_msg(*s, bar == std::string::npos ? std::string() : key.substr(bar + 1));
    } else if (key.rfind("kdmc:", 0) == 0) {
      const carrier* c = find_carrier(key.substr(5));
      REQUIRE(c != nullptr);
      value = std::string(c->name_zh);
    } else if (key == "vendor:success") {
      value = vendor_example("成功响应示例");
    } else if (key == "vendor:failure") {
      value = vendor_example("失败响应示例");
    } else {
      FAIL("unknown template {{" << key << "}}");
    }
    text.replace(at, end + 2 - at, value);
    at += value.size();
  }
  return text;
}

// expand() on every string inside a JSON value.
inline nlohmann::json expand_json(const nlohmann::json& value) {
  if (value.is_string()) return expand(value.get<std::string>());
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, inner] : value.items()) out[key] = expand_json(inner);
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& inner : value) out.push_back(expand_json(inner));
    return out;
  }
  return value;
}

}  // namespace kuaidi::test
