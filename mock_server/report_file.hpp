#pragma once
// The referee's report as a file when kuaidi-mock stops (--report): JUnit XML, one test case per
// rule so that CI systems show it, or JSON. Written whole or not at all (a temp file, renamed).

#include <string>
#include <vector>

#include "kuaidi/referee.hpp"
#include "kuaidi/result.hpp"

namespace kuaidi::mock {

// <testsuite name="kuaidi-mock referee"> with one <testcase> per rule, a <failure> when it fired.
std::string junit_xml(const referee_report& report);

// JUnit XML when `path` ends in ".xml", the admin API's JSON otherwise.
result<> write_report_file(const std::string& path, const referee_report& report);

// The rules among `watched` that fired, in rule order (for --fail-on).
std::vector<referee_rule> fired(const referee_report& report, const std::vector<referee_rule>& watched);

}  // namespace kuaidi::mock
