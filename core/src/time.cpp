#include "kuaidi/time.hpp"

#include <cstdio>

#include "text.hpp"

namespace kuaidi {

// H. Hinnant's days_from_civil, for dates that exist.
std::optional<std::int64_t> days_from_civil(std::int64_t y, int month, int day) {
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (day > month_days[month - 1] + (month == 2 && leap ? 1 : 0)) return std::nullopt;
  const auto m = static_cast<unsigned>(month), d = static_cast<unsigned>(day);
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct civil {
  std::int64_t year;
  unsigned month, day;
};

civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// The day since 1970-01-01 an instant falls on, and the second within that day (before 1970 too).
struct day_and_second {
  std::int64_t day, second;
};

day_and_second split_day(std::int64_t seconds) {
  std::int64_t day = seconds / 86400, second = seconds % 86400;
  if (second < 0) second += 86400, --day;
  return {day, second};
}

bool read_digits(std::string_view& text, std::size_t count, int& value) {
  std::int64_t digits = 0;
  if (text.size() < count || !text::parse_digits(text.substr(0, count), count, digits)) return false;
  value = static_cast<int>(digits);
  text.remove_prefix(count);
  return true;
}

bool read_char(std::string_view& text, std::string_view allowed) {
  if (text.empty() || allowed.find(text.front()) == std::string_view::npos) return false;
  text.remove_prefix(1);
  return true;
}

std::optional<std::int64_t> parse_epoch(std::string_view text) {
  std::int64_t value = 0;
  if (!text::parse_digits(text, 12, value)) return std::nullopt;
  return value;
}

// "Z", "+08:00", "+0800", or nothing (China time); the offset in seconds east of UTC.
std::optional<std::int64_t> parse_zone(std::string_view text) {
  if (text.empty()) return china_offset_seconds;
  if (text == "Z" || text == "z") return 0;
  const bool east = text.front() == '+';
  if (!east && text.front() != '-') return std::nullopt;
  text.remove_prefix(1);
  int hours = 0, minutes = 0;
  if (!read_digits(text, 2, hours)) return std::nullopt;
  read_char(text, ":");
  if (!read_digits(text, 2, minutes) || !text.empty()) return std::nullopt;
  const std::int64_t offset = hours * 3600 + minutes * 60;
  return east ? offset : -offset;
}

std::optional<std::int64_t> parse_iso(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 4, year) || !read_char(text, "-") || !read_digits(text, 2, month) ||
      !read_char(text, "-") || !read_digits(text, 2, day) || !read_char(text, "T ") ||
      !read_digits(text, 2, hour) || !read_char(text, ":") || !read_digits(text, 2, minute) ||
      !read_char(text, ":") || !read_digits(text, 2, second))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto zone = parse_zone(text);
  const auto days = days_from_civil(year, month, day);
  if (!zone || !days) return std::nullopt;
  return *days * 86400 + hour * 3600 + minute * 60 + second - *zone;
}

}  // namespace

std::optional<std::int64_t> parse_instant(std::string_view text) {
  if (auto epoch = parse_epoch(text)) return epoch;
  return parse_iso(text);
}

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  static constexpr std::pair<std::string_view, std::int64_t> units[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  const std::size_t digits = text.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos || digits > 9) return std::nullopt;
  const auto count = parse_epoch(text.substr(0, digits));
  if (!count) return std::nullopt;
  for (const auto& [name, scale] : units)
    if (text.substr(digits) == name) return *count * scale;
  return std::nullopt;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  const auto ms = parse_duration_ms(text);
  if (!ms || *ms % 1000 != 0) return std::nullopt;
  return *ms / 1000;
}

std::string china_iso_time(std::int64_t epoch_seconds) {
  std::string out = china_time(epoch_seconds);
  out[10] = 'T';
  return out + "+08:00";
}

std::string china_time(std::int64_t epoch_seconds) {
  const auto [days, rest] = split_day(epoch_seconds + china_offset_seconds);
  const civil date = civil_from_days(days);
  char out[64];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(date.year),
                date.month, date.day, static_cast<long long>(rest / 3600),
                static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  return out;
}

std::string http_date(std::int64_t epoch_seconds) {
  static constexpr const char* weekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto [days, rest] = split_day(epoch_seconds);
  const civil date = civil_from_days(days);
  const std::int64_t weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  if (date.year < 0 || date.year > 9999) {
    char out[64];
    std::snprintf(out, sizeof out, "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", weekdays[weekday], date.day,
                  months[date.month - 1], static_cast<long long>(date.year),
                  static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                  static_cast<long long>(rest % 60));
    return out;
  }
  // Written digit by digit: every answer of the mock carries one, and printf costs more than the rest.
  std::string out = "Thu, 01 Jan 1970 00:00:00 GMT";
  const auto two = [&out](std::size_t at, std::int64_t value) {
    out[at] = static_cast<char>('0' + value / 10);
    out[at + 1] = static_cast<char>('0' + value % 10);
  };
  out.replace(0, 3, weekdays[weekday]);
  two(5, date.day);
  out.replace(8, 3, months[date.month - 1]);
  two(12, date.year / 100);
  two(14, date.year % 100);
  two(17, rest / 3600);
  two(20, rest / 60 % 60);
  two(23, rest % 60);
  return out;
}

}  // namespace kuaidi
