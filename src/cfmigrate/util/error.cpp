#include <cfmigrate/util/error.hpp>
#include <cfmigrate/util/result.hpp>

#include <stdexcept>

namespace cfmigrate {

const char* to_string(ErrorCode code)
{
  switch (code) {
  case ErrorCode::io: return "io";
  case ErrorCode::not_found: return "not_found";
  case ErrorCode::parse: return "parse";
  case ErrorCode::invalid_argument: return "invalid_argument";
  case ErrorCode::network: return "network";
  case ErrorCode::http: return "http";
  case ErrorCode::api: return "api";
  case ErrorCode::rate_limited: return "rate_limited";
  case ErrorCode::auth: return "auth";
  case ErrorCode::stale_plan: return "stale_plan";
  case ErrorCode::locked: return "locked";
  case ErrorCode::conflict: return "conflict";
  case ErrorCode::unsupported: return "unsupported";
  case ErrorCode::internal: return "internal";
  }
  return "unknown";
}

std::string Error::describe() const
{
  std::string out;
  if (!m_path.empty()) {
    out += m_path;
    if (m_line) {
      out += ':' + std::to_string(*m_line);
      if (m_column) {
        out += ':' + std::to_string(*m_column);
      }
    }
    out += ": ";
  }
  out += m_message;
  return out;
}

void throw_error_as_exception(const Error& e)
{
  throw std::runtime_error(e.describe());
}

} // namespace cfmigrate
