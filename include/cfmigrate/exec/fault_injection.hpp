#pragma once
// Test-only fault injection for apply and rollback: fails the n-th (default first) time a point is
// reached. Points: token_create, token_verify, token_check, backup, write (any atomic-write step),
// write:<step> (open_temp, write, set_owner, set_xattrs, set_mode, fsync_file, rename, fsync_dir),
// verify_file, journal, restore, restore_write:<step> (rollback's atomic write), token_delete. A
// default-constructed injector never fails and observes nothing: that is all the shipped binary
// ever uses. The test-only executable cfmigrate-with-faults builds one from CFMIGRATE_FAIL_AT and
// CFMIGRATE_PAUSE_AT (tests/support/fault_injector_from_environment.hpp). See docs/apply.md.

#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/result.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace cfmigrate::exec {

class FaultInjector {
public:
  // Told of every visit before the failure decision: the point and how many times that exact
  // point has been reached so far (1-based). The hostile-user tests pause the process here to
  // swap files at a known step (tests/support/pause_hook.hpp). An error fails the visit like an
  // injected fault (a pause that is never released must not hang the run).
  using Observer = std::function<Status(const std::string& point, unsigned visit)>;

  // Fails the `occurrence`-th visit of `point`.
  static FaultInjector at(std::string point, unsigned occurrence = 1);

  void set_observer(Observer observer) { m_observer = std::move(observer); }

  // Counts a visit of `point`; an io error when this is the visit to fail.
  [[nodiscard]] Status visit(const std::string& point);

private:
  std::string m_point;
  unsigned m_occurrence = 0;
  std::map<std::string, unsigned> m_seen;
  Observer m_observer;
  std::map<std::string, unsigned> m_visits;  // per exact point, for the observer
};

// The point of one step of an atomic replace within `family` ("write" in apply, "restore_write"
// in rollback): "write:rename".
std::string atomic_step_point(std::string_view family, AtomicStep step);

} // namespace cfmigrate::exec
