#pragma once
// What people paste, cleaned before it is sent: full-width characters, a "快递单号：" label, a
// trailing "。", a number inside a copied sentence, two spreadsheet cells, a phone written
// "+86 138-0013-8888", a carrier named ("中通", "ZTO") instead of coded. This is separate from the
// vendor's validation (request.hpp), which keeps answering raw input exactly as the real API does:
// the page sends the cleaned value and says what it changed.

#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/request.hpp"

namespace kuaidi {

struct input_change {
  std::string kind;  // full_width, label, punctuation, picked_from_text, more_numbers, phone_tail,
                     // separators, carrier_name
  owned_text text;   // what was removed or recognised, for the person
};

struct cleaned_input {
  std::string value;                  // what to send
  bool changed = false;               // value is not the raw input with outer spaces trimmed
  std::vector<input_change> changes;  // in the order they were made
  std::vector<std::string> others;    // further tracking numbers found in the same paste
};

// Input that is not valid UTF-8, or that holds nothing recognisable, comes back trimmed only: the
// vendor's answer to it is the useful one.
cleaned_input clean_tracking_number(std::string_view raw);
cleaned_input clean_phone_tail(std::string_view raw);
// A carrier's name or common abbreviation (中通 / ZTO / zto, 顺丰 / SF, 极兔 / J&T, 邮政 / EMS, 京东 /
// JD …) becomes its code; a code, or a text naming no carrier, is returned as typed.
cleaned_input carrier_code_from_name(std::string_view raw);

}  // namespace kuaidi
