#include "oracle.hpp"

#include <fstream>
#include <iostream>

#include "kuaidi/faults.hpp"
#include "kuaidi/request.hpp"
#include "kuaidi/reserved.hpp"
#include "kuaidi/response.hpp"
#include "kuaidi/simulator.hpp"
#include "kuaidi/time.hpp"
#include "request_id.hpp"
#include "run.hpp"

namespace kuaidi::soak {

answer_spec vendor_spec(const scenario& s, std::string_view kdmc, std::string_view number,
                        std::string_view appid) {
  answer_spec a;
  a.label = std::string(s.id);
  a.status = s.http_status;
  a.content_type = std::string(kuaidi::vendor_content_type);
  a.body = build_answer_body(s, kdmc, number, appid);
  a.forbidden = {"X-Ca-Error-Message", "X-Ca-Error-Code", version_header, "X-Mock-Error"};
  return a;
}

answer_spec gateway_spec(const scenario& s, gateway_generation g) {
  const gateway_error& e = gateway_error_for(s, g);
  answer_spec a;
  a.label = std::string(s.id);
  a.status = e.http_status;
  a.content_type = "text/plain;charset=UTF-8";  // gateway.md §4, the classic capture
  a.required.emplace_back("X-Ca-Error-Message", std::string(e.message));
  if (e.code.empty())
    a.forbidden.push_back("X-Ca-Error-Code");
  else
    a.required.emplace_back("X-Ca-Error-Code", std::string(e.code));
  a.forbidden.push_back(version_header);
  a.forbidden.push_back("X-Mock-Error");
  return a;
}

answer_spec trace_body_spec(const trace& t) {
  answer_spec a = vendor_spec(entry("success"), {}, {});
  a.body = build_trace_body(t);
  return a;
}

// The mock's synthetic trace for a number, which is deterministic once the clock is pinned.
answer_spec synthetic_trace_spec(const std::string& number, const carrier& by) {
  return trace_body_spec(kuaidi::synthesize_trace(number, by, anchor_seconds(), anchor_seconds()));
}

// The bytes of one of the mock's vendor-stage decisions (query_answer.hpp), which the driver
// shares: what it checks is that the server sends exactly these, under load and faults.
answer_spec outcome_spec(const kuaidi::vendor_outcome& o, std::string_view appid = {}) {
  if (!o.answer) return synthetic_trace_spec(o.tracking_number, *o.named);
  return vendor_spec(*o.answer, o.named ? o.named->name_zh : std::string_view{}, o.tracking_number, appid);
}

// A large file's slow reload must not land after a quicker newer one: padding makes it large.

std::string padding_number(int i) {
  std::string digits = std::to_string(i);
  return std::string(padding_prefix) + std::string(6 - digits.size(), '0') + digits;
}

bool is_fixture_number(std::string_view number) {
  for (const char* n : {fixture_trace_number, fixture_scenario_number, fixture_response_number,
                        fixture_tel_number, fixture_blink_number})
    if (number == n) return true;
  return false;
}

trace version_trace(const std::string& number, int version, const carrier& named) {
  trace t;
  t.status = version % 7;
  t.carrier_name = std::string(named.name_zh);
  t.tracking_number = number;
  for (int i = 1 + version % 3; i >= 1; --i)
    t.events.push_back({kuaidi::china_time(anchor_seconds() - 3600 * i - version),
                        "soak fixture v" + std::to_string(version) + " event " + std::to_string(i)});
  return t;
}

// Version `version` of the fixture file: every kind of pinned answer, each telling its version.
std::vector<fixture_entry> fixture_plan(int version) {
  std::vector<fixture_entry> plan;
  fixture_entry traced{fixture_trace_number};
  // Odd versions leave kdmc out: the mock then names the detected carrier.
  traced.kdmc_in_file = version % 2 == 0;
  traced.pinned = version_trace(
      traced.kddh, version,
      traced.kdmc_in_file ? *find_carrier("yuantong") : *kuaidi::named_carrier(traced.kddh, {}));
  plan.push_back(traced);

  fixture_entry pinned_scenario{fixture_scenario_number};
  const auto every = all_scenarios();
  pinned_scenario.answer = &every.first[(static_cast<std::size_t>(version) * 7) % every.size()];
  plan.push_back(pinned_scenario);

  fixture_entry raw{fixture_response_number};
  const int statuses[] = {200, 666, 503, 404};
  raw.raw = raw_fixture{statuses[version % 4], version % 3 == 0 ? "" : "text/plain; charset=utf-8",
                        json({{"soak_version", version}}).dump(), std::to_string(version)};
  plan.push_back(raw);

  fixture_entry with_tel{fixture_tel_number, fixture_tel};
  with_tel.pinned = version_trace(with_tel.kddh, version, *find_carrier("shunfeng"));
  plan.push_back(with_tel);

  // Present in even versions only: removing a fixture must bring the synthetic answer back.
  if (version % 2 == 0) {
    fixture_entry blink{fixture_blink_number};
    blink.answer = &entry("no_record");
    plan.push_back(blink);
  }
  return plan;
}

json fixture_json(const fixture_entry& f) {
  json e = {{"kddh", f.kddh}};
  if (!f.tel.empty()) e["tel"] = f.tel;
  if (f.answer) {
    e["scenario"] = f.answer->id;
  } else if (f.pinned) {
    json events = json::array();
    for (const auto& ev : f.pinned->events) events.push_back({{"time", ev.time}, {"content", ev.content}});
    json t = {{"status", f.pinned->status}, {"events", events}};
    if (f.kdmc_in_file) t["kdmc"] = f.pinned->carrier_name;
    e["trace"] = t;
  } else {
    json r = {
        {"status", f.raw->status}, {"headers", {{version_header, f.raw->version}}}, {"body", f.raw->body}};
    if (!f.raw->content_type.empty()) r["content_type"] = f.raw->content_type;
    e["response"] = r;
  }
  return e;
}

json fixture_document(int version, bool padded) {
  json list = json::array();
  for (const auto& f : fixture_plan(version)) list.push_back(fixture_json(f));
  for (int i = 0; padded && i < padding_fixtures; ++i)
    list.push_back({{"kddh", padding_number(i)}, {"scenario", "no_record"}});
  return {{"fixtures", list}};
}

broken_file broken_fixture_file(int version, unsigned mistake) {
  json doc = fixture_document(version);
  json& list = doc["fixtures"];
  const std::string appended = "fixtures[" + std::to_string(list.size()) + "]";
  switch (mistake % 6) {
    case 0: {
      const std::string text = doc.dump(2);
      return {text.substr(0, text.size() / 2), "", "JSON cut in half"};
    }
    case 1: list[1]["colour"] = "red"; return {doc.dump(2), "fixtures[1]", "unknown field"};
    case 2:
      list[0]["trace"]["events"][0]["time"] = "yesterday";
      return {doc.dump(2), "fixtures[0].trace.events[0].time", "bad event time"};
    case 3:
      list[1]["scenario"] = "soak_no_such_scenario";
      return {doc.dump(2), "fixtures[1].scenario", "unknown scenario"};
    case 4:
      list.push_back({{"kddh", "JT900000000000000000001"}, {"scenario", "no_record"}});
      return {doc.dump(2), appended, "kddh the API refuses"};
    default: list.push_back(list[0]); return {doc.dump(2), appended, "duplicate entry"};
  }
}

const fixture_entry* find_fixture(const std::vector<fixture_entry>& plan, const std::string& number,
                                  const std::string& tail) {
  const fixture_entry* without_tel = nullptr;
  for (const auto& f : plan) {
    if (f.kddh != number) continue;
    if (!tail.empty() && f.tel == tail) return &f;
    if (f.tel.empty()) without_tel = &f;
  }
  return without_tel;
}

answer_spec scenario_fixture_spec(const scenario& s, const std::string& number, gateway_generation g) {
  if (s.source == answer_source::gateway) return gateway_spec(s, g);
  return outcome_spec(kuaidi::fixture_outcome(s, number));
}

answer_spec fixture_spec(const fixture_entry& f, gateway_generation g, int version) {
  answer_spec a;
  if (f.answer) {
    a = scenario_fixture_spec(*f.answer, f.kddh, g);
  } else if (f.pinned) {
    a = trace_body_spec(*f.pinned);
  } else {
    a.status = f.raw->status;
    a.content_type =
        f.raw->content_type.empty() ? std::string(kuaidi::vendor_content_type) : f.raw->content_type;
    a.body = f.raw->body;
    a.required.emplace_back(version_header, f.raw->version);
  }
  a.label = "fixture v" + std::to_string(version) + " " + f.kddh + (a.label.empty() ? "" : " " + a.label);
  a.version = version;
  return a;
}

// What the mock's vendor stage answers for a valid number without a fixture (README: synthetic traces).
answer_spec synthetic_spec(const validation& checked) {
  return outcome_spec(kuaidi::synthetic_outcome(checked));
}

// The vendor's answer for each fixture version in [lo, hi], newest first (the first fit is the newest).
std::vector<answer_spec> natural_specs(const std::string& vendor_query, gateway_generation g,
                                       fixture_book& book, int lo, int hi) {
  const request_params params = params_from_query_string(vendor_query);
  const validation checked = validate(params);
  if (!checked.passed())
    return {vendor_spec(*checked.answer, {}, checked.request.tracking_number, params.appid.value_or(""))};
  const tracking_request& r = checked.request;
  if (!is_fixture_number(r.tracking_number)) return {synthetic_spec(checked)};
  std::vector<answer_spec> specs;
  for (int v = hi; v >= lo; --v) {
    const fixture_entry* f = find_fixture(book.plan(v), r.tracking_number, r.phone_tail);
    answer_spec a = f ? fixture_spec(*f, g, v) : synthetic_spec(checked);
    a.version = v;
    specs.push_back(std::move(a));
  }
  return specs;
}

// A forced vendor answer (README: the other query parameters are kept).
answer_spec forced_spec(const scenario& s, const request_params& params) {
  return outcome_spec(kuaidi::forced_outcome(s, params), params.appid.value_or(""));
}

// The gateway's refusal for an Authorization header, nullptr when the call is admitted.
const scenario* gateway_refusal(const std::optional<std::string>& authorization) {
  if (!authorization) return &entry("auth_missing");
  const auto code = kuaidi::appcode_from_authorization(*authorization);
  if (!code) return &entry("appcode_invalid");
  if (*code == main_account.code || *code == quota_account.code) return nullptr;
  for (const auto& a : refused_accounts)
    if (*code == a.code) return &entry(a.refusal);
  return &entry("appcode_invalid");
}

int requested_latency_ms(const std::optional<std::string>& latency) {
  if (!latency) return 0;
  const auto range = kuaidi::parse_latency(*latency);
  return range ? static_cast<int>(range->min.count()) : 0;
}

// The mock's order (README, "What a call goes through").
expectation expect_query(const query_plan& q, gateway_generation g, fixture_book& book, int lo, int hi) {
  expectation e;
  if (q.request().target.size() > max_url_length) {
    e.answers = {gateway_spec(entry("url_too_long"), g)};
    return e;
  }
  const request_params params = params_from_query_string(q.vendor_query);
  const scenario* forced = q.scenario    ? &entry(*q.scenario)
                           : params.kddh ? kuaidi::find_reserved(normalise_tracking_number(*params.kddh))
                                         : nullptr;
  std::optional<kuaidi::fault> fault;
  if (q.fault) {
    fault = *kuaidi::parse_fault(*q.fault);
    e.asked = fault->transport;
  }
  e.server_faults = !q.fault;
  const auto only = [&](const scenario& s) {
    e.answers = {gateway_spec(s, g)};
    return e;
  };
  if (forced && forced->source == answer_source::gateway) return only(*forced);
  if (const scenario* refused = gateway_refusal(q.authorization)) return only(*refused);
  e.admitted = true;
  if (fault && fault->gateway) return only(*fault->gateway);
  if (requested_latency_ms(q.latency) >= backend_timeout_ms) return only(entry("backend_timeout"));
  if (forced) {
    e.answers = {forced_spec(*forced, params)};
    return e;
  }
  e.answers = natural_specs(q.vendor_query, g, book, lo, hi);
  return e;
}

// Headers every answer of the gateway carries, whatever it is.
std::string common_problem(const wire_answer& a) {
  if (a.header_count("X-Ca-Request-Id") != 1 ||
      !mock::is_request_id(a.header("X-Ca-Request-Id").value_or("")))
    return "X-Ca-Request-Id is not one UUID: '" + a.header("X-Ca-Request-Id").value_or("") + "'";
  if (a.header("Access-Control-Allow-Origin") != std::optional<std::string>("*"))
    return "Access-Control-Allow-Origin is not *";
  return {};
}

std::string head_problem(const answer_spec& s, const wire_answer& a) {
  if (a.status != s.status)
    return "status " + std::to_string(a.status) + ", expected " + std::to_string(s.status);
  if (a.header("Content-Type") != s.content_type)
    return "Content-Type '" + a.header("Content-Type").value_or("(none)") + "', expected '" +
           s.content_type.value_or("(none)") + "'";
  for (const auto& [name, value] : s.required)
    if (a.header(name) != value)
      return name + " '" + a.header(name).value_or("(none)") + "', expected '" + value + "'";
  for (const auto& name : s.forbidden)
    if (a.header(name)) return name + " present: '" + *a.header(name) + "'";
  return common_problem(a);
}

std::string shape_problem(const answer_spec& s, const wire_answer& a, shape how) {
  if (s.body.empty()) how = shape::whole;  // nothing to cut: the fault changes nothing
  const std::size_t full = s.body.size();
  if (a.to_head) {  // GET's head, Content-Length included; a truncated answer's head is whole
    if (a.what != delivery::complete)
      return std::string(to_string(a.what)) + (a.problem.empty() ? "" : ": " + a.problem);
    if (std::string p = head_problem(s, a); !p.empty()) return p;
    const std::size_t length = how == shape::malformed ? full * 3 / 5 : full;
    if (a.content_length != length)
      return "Content-Length " + std::to_string(a.content_length.value_or(0)) + ", expected the GET body's " +
             std::to_string(length);
    return {};
  }
  if (how == shape::truncated) {
    if (a.what != delivery::cut_short)
      return std::string(to_string(a.what)) + ", expected half a body then a close";
    if (a.content_length != full)
      return "Content-Length " + std::to_string(a.content_length.value_or(0)) +
             ", expected the whole body's " + std::to_string(full);
    if (a.body != s.body.substr(0, full / 2)) return "the half body differs";
    return head_problem(s, a);
  }
  if (a.what != delivery::complete)
    return std::string(to_string(a.what)) + (a.problem.empty() ? "" : ": " + a.problem);
  const std::string body = how == shape::malformed ? s.body.substr(0, full * 3 / 5) : s.body;
  if (std::string p = head_problem(s, a); !p.empty()) return p;
  if (a.body != body) return "body differs: expected " + cut(body, 300);
  if (a.content_length != body.size()) return "Content-Length does not match the body";
  return {};
}

const answer_spec* first_fit(const std::vector<answer_spec>& specs, const wire_answer& a, shape how) {
  for (const auto& s : specs)
    if (shape_problem(s, a, how).empty()) return &s;
  return nullptr;
}

// Specs come newest first: the last that fits is the oldest version.
const answer_spec* last_fit(const std::vector<answer_spec>& specs, const wire_answer& a, shape how) {
  for (auto it = specs.rbegin(); it != specs.rend(); ++it)
    if (shape_problem(*it, a, how).empty()) return &*it;
  return nullptr;
}

std::vector<answer_spec> random_gateway_faults(gateway_generation g) {
  std::vector<answer_spec> specs;
  const auto faults = kuaidi::parse_fault_list(server_faults);
  for (const auto& f : *faults)
    if (f.gateway) specs.push_back(gateway_spec(*f.gateway, g));
  return specs;
}

verdict judge(const expectation& e, const wire_answer& a, gateway_generation g) {
  if (e.custom) {
    std::string p =
        a.what == delivery::complete ? e.custom(a) : std::string(to_string(a.what)) + " " + a.problem;
    if (p.empty()) p = common_problem(a);
    return p.empty() ? verdict{"exact", {}, nullptr} : verdict{{}, p, nullptr};
  }
  if (e.asked == transport_fault::reset)
    return a.what == delivery::reset
               ? verdict{"asked reset", {}, nullptr}
               : verdict{{}, "expected a reset before any byte, got " + a.describe(), nullptr};
  if (e.asked == transport_fault::truncate || e.asked == transport_fault::malformed) {
    const shape how = e.asked == transport_fault::truncate ? shape::truncated : shape::malformed;
    if (const answer_spec* s = first_fit(e.answers, a, how))
      return {std::string("asked ") + std::string(kuaidi::to_string(e.asked)),
              {},
              s,
              last_fit(e.answers, a, how)};
    return {{}, shape_problem(e.answers.front(), a, how), nullptr};
  }
  static const std::vector<answer_spec> classic = random_gateway_faults(gateway_generation::classic);
  static const std::vector<answer_spec> vpc = random_gateway_faults(gateway_generation::vpc);
  const answer_spec* random_fault =
      e.server_faults && e.admitted ? first_fit(g == gateway_generation::vpc ? vpc : classic, a, shape::whole)
                                    : nullptr;
  if (const answer_spec* s = first_fit(e.answers, a, shape::whole)) {
    verdict v{"exact", {}, s, last_fit(e.answers, a, shape::whole)};
    // A fixture pinning a gateway answer looks like that random fault: it tells no version then.
    if (random_fault && v.matched) v.matched->version = v.matched->oldest_version = 0;
    return v;
  }
  if (e.server_faults) {
    if (const answer_spec* s = first_fit(e.answers, a, shape::malformed))
      return {"random malformed", {}, s, last_fit(e.answers, a, shape::malformed)};
    if (const answer_spec* s = first_fit(e.answers, a, shape::truncated))
      return {"random truncate", {}, s, last_fit(e.answers, a, shape::truncated)};
    if (random_fault) return {"random " + random_fault->label, {}, random_fault};
  }
  return {{}, shape_problem(e.answers.front(), a, shape::whole), nullptr};
}

std::string describe_expected(const expectation& e) {
  if (e.custom) return "(a JSON check)";
  std::string out;
  if (e.asked != transport_fault::none) out += "asked " + std::string(kuaidi::to_string(e.asked)) + " of ";
  const answer_spec& s = e.answers.front();
  out += s.label + ": " + std::to_string(s.status) + "; Content-Type: " + s.content_type.value_or("(none)");
  for (const auto& [name, value] : s.required) out += "; " + name + ": " + value;
  out += "; body " + cut(s.body, 300);
  if (e.answers.size() > 1)
    out += " (or one of " + std::to_string(e.answers.size() - 1) + " other fixture versions)";
  if (e.server_faults) out += e.admitted ? " (random faults allowed)" : " (random body faults allowed)";
  return out;
}

// A request and how its answer is judged.

std::vector<json> open_profile_vectors(const std::string& path) {
  std::ifstream in(path);
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::cerr << "soak: cannot read the natural vectors " << path << "\n";
    std::exit(2);
  }
  std::vector<json> out;
  // The open profile's plain GETs: the driver sends no extra headers and never the proxy form.
  for (const auto& v : doc["natural"])
    if (v.value("profile", std::string()) == "open" && !v.contains("headers") && !v.contains("proxy_host"))
      out.push_back(v);
  return out;
}

void check_model_against_vectors(soak_run& run) {
  for (const auto& v : run.vectors) {
    const scenario& s = entry(v["id"].get<std::string>());
    if (v.contains("path") || s.source == answer_source::gateway) continue;
    const std::string kdmc =
        v.contains("kdmc_of") ? std::string(find_carrier(v["kdmc_of"].get<std::string>())->name_zh) : "";
    const std::string kddh = v.value("kddh", std::string());
    const answer_spec want = s.id == "success"
                                 ? synthetic_trace_spec(kddh, *find_carrier(v["kdmc_of"].get<std::string>()))
                                 : vendor_spec(s, kdmc, kddh);
    const auto got =
        natural_specs(v["query"].get<std::string>(), gateway_generation::classic, run.book, 1, 1);
    if (got.front().status != want.status || got.front().body != want.body) {
      std::cerr << "soak: the driver's model of the mock disagrees with tests/vectors/mock_natural.json on "
                << s.id << ": the driver is out of date\n";
      std::exit(2);
    }
  }
}

}  // namespace kuaidi::soak
