#pragma once
// Reading a JSON document from a file (plans, scan reports, fleet inputs, emulator seeds).

#include <cfmigrate/util/result.hpp>

#include <boost/json/value.hpp>

#include <string>

namespace cfmigrate {

// The parsed document. Errors name the path: not_found / io as read_file_content gives them,
// ErrorCode::parse "not valid JSON: <reason>" for a malformed or truncated document.
[[nodiscard]] Result<boost::json::value> read_json_file(const std::string& path);

} // namespace cfmigrate
