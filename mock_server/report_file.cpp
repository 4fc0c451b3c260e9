#include "report_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace kuaidi::mock {

namespace {

std::string xml_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string counts(const referee_finding& f) {
  return std::to_string(f.count) + " request(s), " + std::to_string(f.billed_calls_wasted) +
         " billed call(s) wasted; first " + f.first_request_id + ", last " + f.last_request_id;
}

}  // namespace

std::string junit_xml(const referee_report& report) {
  std::string cases;
  for (const referee_rule rule : all_referee_rules) {
    const std::string name(to_string(rule));
    cases += "  <testcase classname=\"kuaidi-mock.referee\" name=\"" + name + "\" time=\"0\"";
    const referee_finding* f = report.find(rule);
    if (!f) {
      cases += "/>\n";
      continue;
    }
    cases += ">\n    <failure type=\"" + name + "\" message=\"" + xml_escaped(counts(*f)) + "\">" +
             xml_escaped(f->explanation.en + "\n" + f->explanation.zh + "\n" + counts(*f)) +
             "</failure>\n  </testcase>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
         "<testsuite name=\"kuaidi-mock referee\" tests=\"" +
         std::to_string(all_referee_rules.size()) + "\" failures=\"" +
         std::to_string(report.findings.size()) +
         "\" errors=\"0\" skipped=\"0\">\n  <properties>\n    <property name=\"requests\" value=\"" +
         std::to_string(report.requests) + "\"/>\n    <property name=\"billed\" value=\"" +
         std::to_string(report.billed) + "\"/>\n  </properties>\n" + cases + "</testsuite>\n</testsuites>\n";
}

result<> write_report_file(const std::string& path, const referee_report& report) {
  const std::string text = ends_with(path, ".xml") ? junit_xml(report) : to_json(report).dump(2) + "\n";
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const auto failed = [&temp](std::string what) {
    what += std::string(" (") + std::strerror(errno) + ")";  // before remove() sets errno again
    std::remove(temp.c_str());
    return fail(std::move(what));
  };
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return failed("cannot write the report to " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) return failed("cannot move the report to " + path);
  return {};
}

std::vector<referee_rule> fired(const referee_report& report, const std::vector<referee_rule>& watched) {
  std::vector<referee_rule> out;
  for (const referee_rule rule : all_referee_rules) {
    bool wanted = false;
    for (const referee_rule w : watched) wanted = wanted || w == rule;
    if (wanted && report.find(rule)) out.push_back(rule);
  }
  return out;
}

}  // namespace kuaidi::mock
