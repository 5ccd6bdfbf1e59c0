#include <cfmigrate/exec/fault_injection.hpp>

#include <cstdlib>

namespace cfmigrate::exec {

FaultInjector FaultInjector::from_environment()
{
  const char* spec = std::getenv("CFMIGRATE_FAIL_AT");
  if (spec == nullptr || *spec == '\0') {
    return {};
  }
  std::string text = spec;
  std::size_t colon = text.rfind(':');
  unsigned occurrence = 1;
  if (colon != std::string::npos) {
    std::string count = text.substr(colon + 1);
    if (!count.empty() && count.find_first_not_of("0123456789") == std::string::npos) {
      occurrence = static_cast<unsigned>(std::stoul(count));
      text = text.substr(0, colon);
    }
  }
  return at(text, occurrence);
}

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
    return make_error(ErrorCode::io, "injected failure at " + point + " (CFMIGRATE_FAIL_AT)");
  }
  return {};
}

} // namespace cfmigrate::exec
