#include <cfmigrate/util/real_path.hpp>

namespace cfmigrate {

std::string real_path(const std::string& root, const std::string& reported)
{
  if (root.empty() || root == "/") {
    return reported;
  }
  return root + (reported.starts_with('/') ? reported : "/" + reported);
}

} // namespace cfmigrate
