#pragma once
// Writing a report or plan where the operator asked for it, with every write checked. A full disk,
// a closed pipe or an I/O error is an error value naming the destination ("writing FILE: No space
// left on device"), never a silently truncated or 0-byte report with the usual exit code.

#include <cfmigrate/util/result.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace cfmigrate {

// Writes `content` to `path`. A regular or missing file gets a temp file in the same directory,
// renamed over `path` only once everything is written and synced (new files are 0600). Anything
// else that already exists (a device such as /dev/stdout, a FIFO) is written in place.
[[nodiscard]] Status write_output_file(const std::string& path, std::string_view content);

// Writes `content` to `out` and flushes it; `name` names the stream in the error.
[[nodiscard]] Status write_output_stream(std::ostream& out, std::string_view content, std::string_view name);

// Ignores SIGPIPE so that writing to a closed pipe fails with EPIPE, which is reported, instead of
// killing the process silently. Hooks get the default disposition back (see run_hook).
void report_broken_pipes();

} // namespace cfmigrate
