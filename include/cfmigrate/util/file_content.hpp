#pragma once
// Reading a whole file into memory (configuration files, plans, recipes, journals, backups).
// Errors name the path and the errno text, never the content.

#include <cfmigrate/util/result.hpp>

#include <string>

namespace cfmigrate {

// Whether a symlink as the last component of the path is followed. State the program owns
// (journal, backups) is opened with `refuse`, so a planted link cannot redirect the read.
enum class FinalSymlink { follow, refuse };

// The whole content of `path`. Errors: ErrorCode::not_found when it does not exist,
// ErrorCode::io when it cannot be opened or read.
[[nodiscard]] Result<std::string> read_file_content(const std::string& path,
                                                    FinalSymlink symlink = FinalSymlink::follow);

// The whole content of the file open on `fd`: for a regular file from offset 0 whatever the
// descriptor's position (which is not moved); a pipe is read from where it is. EINTR is retried.
// `fd` stays open. ErrorCode::io on a read error; ErrorCode::unsupported past `limit` bytes (so a
// file that grows without bound cannot exhaust memory).
[[nodiscard]] Result<std::string> read_fd_content(int fd, const std::string& path_for_errors,
                                                  std::size_t limit = static_cast<std::size_t>(-1));

} // namespace cfmigrate
