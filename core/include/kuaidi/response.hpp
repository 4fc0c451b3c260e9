#pragma once
// The exact JSON body the real API sends: fields in the order ok,msg,status,kdmc,kddh,data,
// compact, UTF-8 unescaped, the tracking number masked.

#include <string>
#include <string_view>
#include <vector>

#include "kuaidi/catalogue.hpp"

namespace kuaidi {

struct trace_event {
  std::string time;  // "YYYY-MM-DD HH:MM:SS", China time
  std::string content;
};

struct trace {
  int status = 0;                   // the vendor's raw status code
  std::string carrier_name;         // kdmc
  std::string tracking_number;      // unmasked; the builder masks it
  std::vector<trace_event> events;  // newest first
};

// First 5, "****", last 3 (the vendor's example, 12 chars). Shorter numbers keep fewer
// characters in clear so that at least 4 are always hidden; 4 or fewer are all hidden.
std::string mask_tracking_number(std::string_view tracking_number);

// The success answer carrying a trace (the catalogue's "success" entry gives the msg).
std::string build_trace_body(const trace& t);

// A vendor answer from the catalogue. ok:0 answers carry empty kdmc/kddh, as in the vendor's
// failure example; ok:1 answers name the carrier and the masked number. Gateway entries have no
// body: the result is empty.
std::string build_answer_body(const scenario& s, std::string_view carrier_name = {},
                              std::string_view tracking_number = {}, std::string_view appid = {});

}  // namespace kuaidi
