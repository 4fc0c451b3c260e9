#include "openapi.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "kuaidi/carriers.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/synthetic_trace.hpp"

namespace kuaidi::mock {

namespace {

using ordered = nlohmann::ordered_json;

constexpr std::string_view sample_number = "JT3084743373888";

std::string too_long_id(const std::string& parameter) {
  return parameter == "kddh" ? "kddh_too_long" : parameter == "code" ? "code_too_long" : "tel_too_long";
}

ordered parameter(const std::string& name, bool required, std::string_view description,
                  std::string_view example) {
  return {{"name", name},
          {"in", "query"},
          {"required", required},
          {"description", description},
          {"schema", {{"type", "string"}, {"maxLength", accepted_length(name)}}},
          {"example", example}};
}

ordered answer_schema() {
  ordered event = {{"type", "object"},
                   {"properties",
                    {{"time", {{"type", "string"}, {"description", "YYYY-MM-DD HH:MM:SS, China time"}}},
                     {"content", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"required", {"ok", "msg", "status", "kdmc", "kddh", "data"}},
          {"properties",
           {{"ok", {{"type", "integer"}, {"enum", {0, 1}}, {"description", "1 success, 0 failure"}}},
            {"msg", {{"type", "string"}}},
            {"status",
             {{"type", "integer"},
              {"description", "the vendor's state code (unpublished; kdniao's scheme fits)"}}},
            {"kdmc", {{"type", "string"}, {"description", "carrier name"}}},
            {"kddh", {{"type", "string"}, {"description", "tracking number, masked"}}},
            {"data", {{"type", "array"}, {"description", "events, newest first"}, {"items", event}}}}}};
}

ordered example_body(const scenario& s, std::int64_t anchor) {
  const carrier* by = find_carrier("jtexpress");
  std::string body = s.id == "success" && by
                         ? build_trace_body(synthesize_trace(sample_number, *by, anchor, anchor))
                         : build_answer_body(s, s.ok == 1 && by ? by->name_zh : std::string_view{},
                                             s.ok == 1 ? sample_number : std::string_view{});
  return ordered::parse(body, nullptr, false);
}

struct status_group {
  std::vector<const scenario*> entries;
};

ordered vendor_response(int status, const status_group& group, std::int64_t anchor) {
  ordered examples = ordered::object();
  std::string description = status == 200 ? "ok:1, billed." : "ok:0, not billed.";
  for (const scenario* s : group.entries) {
    examples[std::string(s->id)] = {{"summary", std::string(s->msg)}, {"value", example_body(*s, anchor)}};
    description += " " + std::string(s->id) + ": " + std::string(s->title.en) + ".";
  }
  return {{"description", description},
          {"headers", {{"X-Ca-Request-Id", {{"$ref", "#/components/headers/X-Ca-Request-Id"}}}}},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/answer"}}}, {"examples", examples}}}}}};
}

ordered gateway_response(const status_group& group, gateway_generation generation) {
  std::vector<std::string> messages, codes;
  std::string description = "Aliyun gateway error: empty body, the reason in the headers. Not billed.";
  for (const scenario* s : group.entries) {
    const gateway_error& e = gateway_error_for(*s, generation);
    // Entries may share a real row (three 500s send Internal Error): an enum lists it once.
    if (std::find(messages.begin(), messages.end(), e.message) == messages.end())
      messages.emplace_back(e.message);
    if (!e.code.empty() && std::find(codes.begin(), codes.end(), e.code) == codes.end())
      codes.emplace_back(e.code);
    description += " " + std::string(s->id) + ": " + std::string(s->title.en) +
                   " (how sure: " + std::string(describe(e.confidence)) + ").";
  }
  ordered headers = {
      {"X-Ca-Request-Id", {{"$ref", "#/components/headers/X-Ca-Request-Id"}}},
      {"X-Ca-Error-Message",
       {{"description", "the gateway's reason"}, {"schema", {{"type", "string"}, {"enum", messages}}}}}};
  if (!codes.empty())
    headers["X-Ca-Error-Code"] = {{"description", "VPC gateways: a 6-character code"},
                                  {"schema", {{"type", "string"}, {"enum", codes}}}};
  return {{"description", description},
          {"headers", headers},
          {"content", {{"text/plain", {{"schema", {{"type", "string"}, {"maxLength", 0}}}}}}}};
}

}  // namespace

std::size_t accepted_length(const std::string& parameter) {
  const std::string id = too_long_id(parameter);
  std::size_t longest = 0;
  for (std::size_t n = 1; n <= 256; ++n) {
    request_params p;
    p.kddh = std::string(sample_number);
    if (parameter == "kddh")
      p.kddh = std::string(n, '7');
    else if (parameter == "code")
      p.code = std::string(n, 'z');
    else
      p.tel = std::string(n, '1');
    const validation v = validate(p);
    if (v.answer && v.answer->id == id) break;
    longest = n;
  }
  return longest;
}

ordered openapi_document(gateway_generation generation, const std::string& server_url,
                         std::int64_t example_anchor_seconds) {
  std::map<int, status_group> vendor, gateway;
  for (const scenario& s : all_scenarios()) {
    if (s.source == answer_source::gateway)
      gateway[gateway_error_for(s, generation).http_status].entries.push_back(&s);
    else if (s.source == answer_source::vendor)
      vendor[s.http_status].entries.push_back(&s);
  }
  ordered responses = ordered::object();
  for (const auto& [status, group] : vendor)
    responses[std::to_string(status)] = vendor_response(status, group, example_anchor_seconds);
  for (const auto& [status, group] : gateway)
    responses[std::to_string(status)] = gateway_response(group, generation);

  ordered get = {
      {"operationId", "queryTrace"},
      {"summary", "Track a parcel"},
      {"description",
       "Finds the carrier from the number (or `code`) and returns the events, newest first. "
       "HTTP 200 with ok:1 is billed; ok:0 comes with HTTP 666 and is not billed; gateway errors "
       "have an empty body."},
      {"parameters",
       {parameter("kddh", true, "tracking number", sample_number),
        parameter("code", false, "carrier code, kuaidi100 style (optional: detected from the number)",
                  "jtexpress"),
        parameter("tel", false, "last 4 digits of the sender's or receiver's phone (SF needs it)", "8888")}},
      {"security", {{{"appcode", ordered::array()}}}},
      {"responses", responses}};
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "拇指云 express-tracking API (Aliyun market) — served by kuaidi-mock"},
        {"version", "1.0.0"},
        {"description", std::string("Gateway errors as the ") + std::string(to_string(generation)) +
                            " Aliyun gateway sends them. Status 666 is the vendor's own failure status."}}},
      {"servers", {{{"url", server_url}}}},
      {"paths", {{"/query", {{"get", get}}}}},
      {"components",
       {{"securitySchemes",
         {{"appcode",
           {{"type", "apiKey"},
            {"in", "header"},
            {"name", "Authorization"},
            {"description", "APPCODE <your AppCode> (one space after APPCODE)"}}}}},
        {"headers",
         {{"X-Ca-Request-Id",
           {{"description", "the gateway's request id (UUID)"},
            {"schema", {{"type", "string"}, {"format", "uuid"}}}}}}},
        {"schemas", {{"answer", answer_schema()}}}}}};
}

}  // namespace kuaidi::mock
