#pragma once
// Test-only fault injection for apply and rollback, driven by the environment so integration
// tests can fail the real binary at any step: CFMIGRATE_FAIL_AT="<point>[:<n>]" fails the n-th
// (default first) time the point is reached. Points: token_create, token_verify, token_check,
// backup, write (any atomic-write step), write:<step> (open_temp, write, set_owner, set_xattrs,
// set_mode, fsync_file, rename, fsync_dir), verify_file, journal, restore, token_delete.
// Unset (the normal case): nothing is ever injected. Documented in docs/apply.md.

#include <cfmigrate/util/result.hpp>

#include <map>
#include <string>

namespace cfmigrate::exec {

class FaultInjector {
public:
  // Reads CFMIGRATE_FAIL_AT.
  static FaultInjector from_environment();
  // For tests in-process.
  static FaultInjector at(std::string point, unsigned occurrence = 1);

  // Counts a visit of `point`; an io error when this is the visit to fail.
  [[nodiscard]] Status visit(const std::string& point);

private:
  std::string m_point;
  unsigned m_occurrence = 0;
  std::map<std::string, unsigned> m_seen;
};

} // namespace cfmigrate::exec
