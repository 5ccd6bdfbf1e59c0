#include <cfmigrate/util/errno_text.hpp>

#include <cstring>

namespace cfmigrate {

std::string errno_text(int err)
{
  return std::strerror(err);
}

} // namespace cfmigrate
