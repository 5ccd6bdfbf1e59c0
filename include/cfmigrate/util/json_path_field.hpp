#pragma once
// File paths in the JSON documents cfmigrate writes and reads back (plans, scan reports). A path
// is bytes; JSON strings are UTF-8. So a path is written as "<key>": its display form
// (util/display_text utf8_display, always valid UTF-8), plus "<key>_bytes": the raw bytes in
// base64, only when the path is not valid UTF-8. Readers prefer "<key>_bytes", so such a path
// round-trips losslessly while documents with UTF-8 paths stay as they were.

#include <cfmigrate/util/json_read.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace cfmigrate {

// Sets o[key] (and o[key + "_bytes"] when `path` is not valid UTF-8).
void put_json_path(boost::json::object& o, std::string_view key, std::string_view path);

// The path stored under `key`: the decoded "<key>_bytes" when present, else the "<key>" string.
// Absent (or null) is "<at>.<key>: missing" when required, else "".
enum class PathPresence { required, optional };
[[nodiscard]] Result<std::string> read_json_path(const JsonFields& fields, std::string_view key,
                                                 PathPresence presence = PathPresence::required);

} // namespace cfmigrate
