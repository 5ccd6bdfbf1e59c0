#pragma once
// CFMIGRATE_FAIL_AT="<point>[:<n>]" as an exec::FaultInjector: the n-th (default first) visit of
// <point> fails. Test-only: the shipped binary never reads this variable; only the test executable
// cfmigrate-with-faults (cfmigrate_with_faults.cpp) does. Points: docs/apply.md.

#include <cfmigrate/exec/fault_injection.hpp>

#include <cstdlib>
#include <string>

namespace cfmigrate::test {

inline exec::FaultInjector fault_injector_from_spec(std::string text)
{
  if (text.empty()) {
    return {};
  }
  unsigned occurrence = 1;
  std::size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    std::string count = text.substr(colon + 1);
    if (!count.empty() && count.find_first_not_of("0123456789") == std::string::npos) {
      occurrence = static_cast<unsigned>(std::stoul(count));
      text = text.substr(0, colon);
    }
  }
  return exec::FaultInjector::at(text, occurrence);
}

inline exec::FaultInjector fault_injector_from_environment()
{
  const char* spec = std::getenv("CFMIGRATE_FAIL_AT");
  return fault_injector_from_spec(spec == nullptr ? std::string() : std::string(spec));
}

} // namespace cfmigrate::test
