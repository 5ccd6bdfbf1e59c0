#include <cfmigrate/util/file_content.hpp>

#include <fstream>
#include <sstream>

namespace cfmigrate {

Result<std::string> read_file_content(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::io, "cannot read", path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return make_error(ErrorCode::io, "cannot read", path);
  }
  return buffer.str();
}

} // namespace cfmigrate
