#pragma once
// Test-only fault injection for apply and rollback: fails the n-th (default first) time a point is
// reached. Points: token_create, token_verify, token_check, backup, write (any atomic-write step),
// write:<step> (open_temp, write, set_owner, set_xattrs, set_mode, fsync_file, rename, fsync_dir),
// verify_file, journal, restore, token_delete. A default-constructed injector never fails: that is
// all the shipped binary ever uses. The test-only executable cfmigrate-with-faults builds one from
// CFMIGRATE_FAIL_AT (tests/support/fault_injector_from_environment.hpp). See docs/apply.md.

#include <cfmigrate/util/result.hpp>

#include <map>
#include <string>

namespace cfmigrate::exec {

class FaultInjector {
public:
  // Fails the `occurrence`-th visit of `point`.
  static FaultInjector at(std::string point, unsigned occurrence = 1);

  // Counts a visit of `point`; an io error when this is the visit to fail.
  [[nodiscard]] Status visit(const std::string& point);

private:
  std::string m_point;
  unsigned m_occurrence = 0;
  std::map<std::string, unsigned> m_seen;
};

} // namespace cfmigrate::exec
