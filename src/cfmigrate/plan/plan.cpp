#include <cfmigrate/plan/plan.hpp>

namespace cfmigrate::plan {

const PlannedToken* Plan::token(const std::string& key) const
{
  for (const auto& t : tokens) {
    if (t.key == key) {
      return &t;
    }
  }
  return nullptr;
}

const FileState* Plan::file(const std::string& path) const
{
  for (const auto& f : files) {
    if (f.path == path) {
      return &f;
    }
  }
  return nullptr;
}

} // namespace cfmigrate::plan
