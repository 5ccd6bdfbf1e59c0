#include <cfmigrate/util/text.hpp>

#include <algorithm>
#include <cctype>

namespace cfmigrate {

std::string to_lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

} // namespace cfmigrate
