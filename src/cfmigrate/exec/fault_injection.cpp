#include <cfmigrate/exec/fault_injection.hpp>

namespace cfmigrate::exec {

FaultInjector FaultInjector::at(std::string point, unsigned occurrence)
{
  FaultInjector f;
  f.m_point = std::move(point);
  f.m_occurrence = occurrence;
  return f;
}

Status FaultInjector::visit(const std::string& point)
{
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

} // namespace cfmigrate::exec
