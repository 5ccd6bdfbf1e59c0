#pragma once
// FileLock: an exclusive advisory lock on a lock file, so that only one apply/rollback runs
// against a state directory at a time (Terraform's Locker).
//
// flock(LOCK_EX | LOCK_NB) on "<path>", created 0600 if absent. The holder writes its pid into
// the file so a refused process can say who holds it; the pid is informational only - the lock
// is the flock, which the kernel releases when the holder exits or crashes, so a stale pid left
// in the file never blocks anyone. The lock file is never deleted (deleting it would let two
// processes lock two different inodes).

#include <cfmigrate/util/result.hpp>

#include <string>

namespace cfmigrate {

class FileLock {
public:
  // Takes the lock without waiting. Errors: ErrorCode::locked when another open file description
  // (another process, or another FileLock in this process) holds it - the message names the pid
  // written in the file when there is one; ErrorCode::io for anything else (missing directory,
  // permission, a symlink at `path`).
  [[nodiscard]] static Result<FileLock> acquire(const std::string& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  // Releases the lock.
  ~FileLock();

  // Releases the lock now (idempotent).
  void release() noexcept;

  bool held() const { return m_fd >= 0; }
  const std::string& path() const { return m_path; }

private:
  FileLock(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}

  std::string m_path;
  int m_fd = -1;
};

} // namespace cfmigrate
