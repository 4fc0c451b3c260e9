#include "text.hpp"

namespace kuaidi::text {

std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part.data(), part.size());
  return out;
}

std::string percent_decode(std::string_view raw, bool plus_is_space, bool& bad_escape) {
  std::string out(raw.size(), '\0');  // decoding never lengthens
  char* const first = out.data();
  char* next = first;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '+' && plus_is_space) {
      *next++ = ' ';
    } else if (c == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 && hex_value(raw[i + 2]) >= 0) {
      *next++ = static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
      i += 2;
    } else {
      if (c == '%') bad_escape = true;
      *next++ = c;
    }
  }
  out.resize(static_cast<std::size_t>(next - first));
  return out;
}

}  // namespace kuaidi::text
