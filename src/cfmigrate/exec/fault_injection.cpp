#include <cfmigrate/exec/fault_injection.hpp>

namespace cfmigrate::exec {

namespace {

const char* step_name(AtomicStep step)
{
  switch (step) {
  case AtomicStep::open_temp: return "open_temp";
  case AtomicStep::write: return "write";
  case AtomicStep::set_owner: return "set_owner";
  case AtomicStep::set_xattrs: return "set_xattrs";
  case AtomicStep::set_mode: return "set_mode";
  case AtomicStep::fsync_file: return "fsync_file";
  case AtomicStep::rename: return "rename";
  case AtomicStep::fsync_dir: return "fsync_dir";
  }
  return "write";
}

} // namespace

FaultInjector FaultInjector::at(std::string point, unsigned occurrence)
{
  FaultInjector f;
  f.m_point = std::move(point);
  f.m_occurrence = occurrence;
  return f;
}

Status FaultInjector::visit(const std::string& point)
{
  if (m_observer) {
    CFM_TRY_STATUS(m_observer(point, ++m_visits[point]));
  }
  if (m_point.empty()) {
    return {};
  }
  bool family = m_point == point || (m_point == "write" && point.rfind("write:", 0) == 0);
  if (!family) {
    return {};
  }
  unsigned n = ++m_seen[m_point];
  if (n == m_occurrence) {
    return make_error(ErrorCode::io, "injected failure at " + point);
  }
  return {};
}

std::string atomic_step_point(std::string_view family, AtomicStep step)
{
  return std::string(family) + ":" + step_name(step);
}

} // namespace cfmigrate::exec
