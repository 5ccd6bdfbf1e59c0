#pragma once
// Parallel directory walk shaped for credentials (docs/detection.md, "What is walked"):
// - hidden files and .gitignore'd files are walked (that is where .env lives);
// - .git/objects, node_modules and, at the scanned system's root, /proc, /sys, /dev are skipped;
// - symlinks are never followed (a link inside the tree is reached through its target; a link
//   out of the tree is outside what was asked for), so symlink loops cannot happen;
// - the walk stays on the filesystem of each starting path;
// - --exclude globs apply to the reported path of files and directories.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace cfmigrate::scan {

struct WalkRoot {
  std::string real_path;      // where it is on this machine
  std::string reported_path;  // how it is reported (relative to --root)
};

struct WalkOptions {
  std::vector<std::string> excludes;  // globs on reported paths
  unsigned threads = 0;               // 0: two per core, 4 to 8
};

struct WalkCounters {
  std::atomic<std::size_t> directories{0};
  std::atomic<std::size_t> skipped_symlinks{0};
  std::atomic<std::size_t> skipped_other_filesystem{0};
  std::atomic<std::size_t> skipped_excluded{0};
  std::atomic<std::size_t> skipped_special{0};  // sockets, fifos, devices
  std::atomic<std::size_t> skipped_heavy_dirs{0};
};

// A regular file as the walk found it: open it with openat(dir_fd, name) during the call, or by
// real_path later. Regular files are recognised by their directory entry's type, not stat'ed:
// the reader learns the size from the open file.
struct WalkFile {
  int dir_fd;                        // the open directory holding it (AT_FDCWD for a root file)
  const char* name;                  // its name there (the real path for a root file)
  const std::string& real_path;
  const std::string& reported_path;
};

// Called for every regular file, on the walking thread with its index (0..threads-1).
using FileVisitor = std::function<void(unsigned thread, const WalkFile& file)>;
// Called for a path that could not be listed or stat'ed (errno value).
using WalkErrorVisitor = std::function<void(const std::string& reported_path, int error_number)>;

// Walks all roots; returns when every file has been visited.
void walk(const std::vector<WalkRoot>& roots, const WalkOptions& options, const FileVisitor& on_file,
          const WalkErrorVisitor& on_error, WalkCounters& counters);

// The number of threads walk() will use for `options`.
unsigned walk_threads(const WalkOptions& options);

} // namespace cfmigrate::scan
