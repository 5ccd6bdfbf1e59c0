#include <cfmigrate/util/text.hpp>

#include <algorithm>

namespace cfmigrate {

std::string to_lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

} // namespace cfmigrate
