// Check digits of the formats that carry one (UPU S10, UPS, FedEx, USPS, DHL), as carriers.md
// describes them.

#include <cstddef>

#include "enum_names.hpp"
#include "kuaidi/carriers.hpp"
#include "text.hpp"

namespace kuaidi {
namespace {

using text::all_digits;
using text::is_digit;
using text::is_upper;

constexpr int digit_value(char c) { return c - '0'; }

constexpr names::row<check_digit> check_digit_names[] = {
    {check_digit::none, "none"},       {check_digit::s10, "s10"},         {check_digit::ups, "ups"},
    {check_digit::fedex12, "fedex12"}, {check_digit::fedex15, "fedex15"}, {check_digit::fedex22, "fedex22"},
    {check_digit::usps, "usps"},       {check_digit::dhl, "dhl"},
};
static_assert(names::covers(check_digit_names, check_digit::dhl));

// Weights 3,1,3,1… from the right over all but the last digit; check = (10 − sum mod 10) mod 10.
bool verify_mod10_31(std::string_view digits) {
  if (digits.size() < 2 || !all_digits(digits)) return false;
  int sum = 0;
  int weight = 3;
  for (std::size_t i = digits.size() - 1; i-- > 0;) {
    sum += digit_value(digits[i]) * weight;
    weight = weight == 3 ? 1 : 3;
  }
  return (10 - sum % 10) % 10 == digit_value(digits.back());
}

bool verify_s10(std::string_view n) {
  if (n.size() != 13 || !is_upper(n[0]) || !is_upper(n[1]) || !all_digits(n.substr(2, 9)) ||
      !is_upper(n[11]) || !is_upper(n[12]))
    return false;
  constexpr int weights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += digit_value(n[2 + i]) * weights[i];
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  return check == digit_value(n[10]);
}

bool verify_ups(std::string_view n) {
  if (n.size() != 18 || n.substr(0, 2) != "1Z" || !is_digit(n[17])) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 15; ++i) {
    const char c = n[2 + i];
    int value = 0;
    if (is_digit(c))
      value = digit_value(c);
    else if (is_upper(c))
      value = (c - 3) % 10;
    else
      return false;
    sum += value * (i % 2 == 0 ? 1 : 2);
  }
  return (10 - sum % 10) % 10 == digit_value(n[17]);
}

// FedEx Express: weights 1,3,7 from the right (3,1,7 from the left over a 12-digit number's first
// 11), sum mod 11 mod 10. A 34-digit Express barcode carries the number in its last 14 digits.
bool verify_fedex12(std::string_view n) {
  if (n.size() < 2 || !all_digits(n)) return false;
  const std::string_view serial = n.size() == 34 ? n.substr(20, 13) : n.substr(0, n.size() - 1);
  constexpr int weights[3] = {1, 3, 7};
  int sum = 0;
  std::size_t k = 0;
  for (std::size_t i = serial.size(); i-- > 0; ++k) sum += digit_value(serial[i]) * weights[k % 3];
  return sum % 11 % 10 == digit_value(n.back());
}

// USPS: a 420 + ZIP (5 or 9 digits) routing prefix is not part of the checked number.
bool verify_usps(std::string_view n) {
  if (!all_digits(n)) return false;
  if (n.substr(0, 3) == "420") {
    bool tried = false;
    for (const std::size_t prefix : {std::size_t{8}, std::size_t{12}}) {
      if (n.size() >= prefix + 20) {
        tried = true;
        if (verify_mod10_31(n.substr(prefix))) return true;
      }
    }
    if (tried) return false;
  }
  return verify_mod10_31(n);
}

bool verify_dhl(std::string_view n) {
  if (n.size() < 2 || !all_digits(n)) return false;
  int remainder = 0;
  for (std::size_t i = 0; i + 1 < n.size(); ++i) remainder = (remainder * 10 + digit_value(n[i])) % 7;
  return remainder == digit_value(n.back());
}

}  // namespace

std::string_view to_string(check_digit kind) { return names::name_of(check_digit_names, kind); }

bool verify_check_digit(check_digit kind, std::string_view normalised_number) {
  switch (kind) {
    case check_digit::none: return true;
    case check_digit::s10: return verify_s10(normalised_number);
    case check_digit::ups: return verify_ups(normalised_number);
    case check_digit::fedex12: return verify_fedex12(normalised_number);
    case check_digit::fedex15: return verify_mod10_31(normalised_number);
    case check_digit::fedex22:  // the 15-digit Ground number printed at the barcode's end
      return normalised_number.size() >= 15 &&
             verify_mod10_31(normalised_number.substr(normalised_number.size() - 15));
    case check_digit::usps: return verify_usps(normalised_number);
    case check_digit::dhl: return verify_dhl(normalised_number);
  }
  return false;
}

}  // namespace kuaidi
