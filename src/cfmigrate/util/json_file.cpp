#include <cfmigrate/util/json_file.hpp>

#include <cfmigrate/util/file_content.hpp>

#include <boost/json/parse.hpp>

namespace cfmigrate {

Result<boost::json::value> read_json_file(const std::string& path)
{
  CFM_TRY(const std::string text, read_file_content(path));
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec) {
    return make_error(ErrorCode::parse, "not valid JSON: " + ec.message(), path);
  }
  return value;
}

} // namespace cfmigrate
