#pragma once
// CFMIGRATE_FAIL_AT="<point>[:<n>]" as an exec::FaultInjector: the n-th (default first) visit of
// <point> fails; plus the pause hook of CFMIGRATE_PAUSE_DIR / CFMIGRATE_PAUSE_AT (pause_hook.hpp).
// Test-only: the shipped binary never reads these variables; only the test executable
// cfmigrate-with-faults (cfmigrate_with_faults.cpp) does. Points: docs/apply.md.

#include "pause_hook.hpp"

#include <cfmigrate/exec/fault_injection.hpp>

#include <cstdlib>
#include <string>

namespace cfmigrate::test {

inline exec::FaultInjector fault_injector_from_spec(std::string text)
{
  if (text.empty()) {
    return {};
  }
  auto [point, occurrence] = parse_point_spec(std::move(text));
  return exec::FaultInjector::at(std::move(point), occurrence);
}

inline exec::FaultInjector fault_injector_from_environment()
{
  const char* spec = std::getenv("CFMIGRATE_FAIL_AT");
  exec::FaultInjector injector = fault_injector_from_spec(spec == nullptr ? std::string() : std::string(spec));
  if (auto pause = pause_hook_from_environment()) {
    injector.set_observer(std::move(*pause));
  }
  return injector;
}

} // namespace cfmigrate::test
