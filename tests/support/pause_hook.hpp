#pragma once
// The test-only pause hook: CFMIGRATE_PAUSE_DIR=<dir> and CFMIGRATE_PAUSE_AT="<point>[:<n>]" as an
// exec::FaultInjector observer, so a test can stop apply or rollback at one exact step, change the
// world (as a hostile user would) and let it go on - deterministically, not by racing.
//
// With CFMIGRATE_PAUSE_DIR set, every visit is appended to <dir>/visits ("<point> <n>", which
// enumerates the steps of a run). At the n-th (default first) visit of <point> the process writes
// <dir>/paused (holding "<point>:<n>") and waits until <dir>/go exists, polling every 10 ms; after
// 60 s it gives up and the visit fails like an injected fault, so a lost test never hangs a run.
// Only cfmigrate-with-faults wires this (fault_injector_from_environment.hpp); the shipped binary
// never reads these variables.

#include <cfmigrate/exec/fault_injection.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace cfmigrate::test {

// "<point>[:<n>]" -> (point, n); n defaults to 1. A point may hold colons ("write:rename"): only a
// numeric last part is a count.
inline std::pair<std::string, unsigned> parse_point_spec(std::string text)
{
  unsigned occurrence = 1;
  const std::size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    const std::string count = text.substr(colon + 1);
    if (!count.empty() && count.size() < 9 && count.find_first_not_of("0123456789") == std::string::npos) {
      occurrence = static_cast<unsigned>(std::stoul(count));
      text.resize(colon);
    }
  }
  return {std::move(text), occurrence};
}

// Writes `content` to `path` whole, through a temp name, so a poller never sees half of it.
inline bool write_file_whole(const std::string& path, const std::string& content)
{
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return false;
  }
  const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  return (::close(fd) == 0) && written && ::rename(temp.c_str(), path.c_str()) == 0;
}

inline void append_line(const std::string& path, const std::string& line)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) {
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
  }
}

class PauseHook {
public:
  PauseHook(std::string dir, std::string spec) : m_dir(std::move(dir))
  {
    if (!spec.empty()) {
      std::tie(m_point, m_occurrence) = parse_point_spec(std::move(spec));
    }
  }

  Status operator()(const std::string& point, unsigned visit) const
  {
    append_line(m_dir + "/visits", point + " " + std::to_string(visit) + "\n");
    if (point != m_point || visit != m_occurrence) {
      return {};
    }
    const std::string at = point + ":" + std::to_string(visit);
    if (!write_file_whole(m_dir + "/paused", at + "\n")) {
      return make_error(ErrorCode::io, "pause hook: cannot write " + m_dir + "/paused");
    }
    const std::string go = m_dir + "/go";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    struct stat st {};
    while (::stat(go.c_str(), &st) != 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        return make_error(ErrorCode::io, "pause hook: no go after 60 s at " + at);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }

private:
  std::string m_dir;
  std::string m_point;
  unsigned m_occurrence = 0;
};

// The observer CFMIGRATE_PAUSE_DIR / CFMIGRATE_PAUSE_AT ask for, if any.
inline std::optional<exec::FaultInjector::Observer> pause_hook_from_environment()
{
  const char* dir = std::getenv("CFMIGRATE_PAUSE_DIR");
  if (dir == nullptr || *dir == '\0') {
    return std::nullopt;
  }
  const char* at = std::getenv("CFMIGRATE_PAUSE_AT");
  return exec::FaultInjector::Observer(PauseHook(dir, at == nullptr ? std::string() : std::string(at)));
}

} // namespace cfmigrate::test
