#include <cfmigrate/util/json_path_field.hpp>

#include <cfmigrate/util/base64.hpp>
#include <cfmigrate/util/display_text.hpp>

namespace cfmigrate {

namespace {

std::string bytes_key(std::string_view key)
{
  return std::string(key) + "_bytes";
}

} // namespace

void put_json_path(boost::json::object& o, std::string_view key, std::string_view path)
{
  o[key] = utf8_display(path);
  if (!is_valid_utf8(path)) {
    o[bytes_key(key)] = base64_encode(path);
  }
}

Result<std::string> read_json_path(const JsonFields& fields, std::string_view key, PathPresence presence)
{
  const std::string raw_key = bytes_key(key);
  CFM_TRY(const std::string encoded, fields.optional<std::string>(raw_key));
  if (!encoded.empty()) {
    auto bytes = base64_decode(encoded);
    if (!bytes) {
      return fields.at().key(raw_key).error("expected padded base64");
    }
    return std::move(*bytes);
  }
  if (presence == PathPresence::required) {
    return fields.required<std::string>(key);
  }
  return fields.optional<std::string>(key);
}

} // namespace cfmigrate
