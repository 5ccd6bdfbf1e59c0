#include <cfmigrate/scan/walker.hpp>

#include <cfmigrate/util/glob.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace cfmigrate::scan {

namespace {

struct DirectoryJob {
  std::string real_path;
  std::string reported_path;
  dev_t device;
};

// A shared queue of directories; workers exit when it is empty and nobody is listing.
class JobQueue {
public:
  void push(DirectoryJob job)
  {
    {
      std::lock_guard lock(m_mutex);
      m_jobs.push_back(std::move(job));
    }
    m_ready.notify_one();
  }

  bool pop(DirectoryJob& job)
  {
    std::unique_lock lock(m_mutex);
    m_ready.wait(lock, [&] { return !m_jobs.empty() || m_busy == 0; });
    if (m_jobs.empty()) {
      return false;
    }
    job = std::move(m_jobs.back());  // depth first keeps the queue short
    m_jobs.pop_back();
    ++m_busy;
    return true;
  }

  void done()
  {
    std::lock_guard lock(m_mutex);
    --m_busy;
    if (m_busy == 0 && m_jobs.empty()) {
      m_ready.notify_all();
    }
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<DirectoryJob> m_jobs;
  std::size_t m_busy = 0;
};

bool excluded(const WalkOptions& options, const std::string& reported)
{
  return std::any_of(options.excludes.begin(), options.excludes.end(),
                     [&](const std::string& g) { return glob_match(g, reported); });
}

bool heavy_directory(const std::string& reported, std::string_view name)
{
  if (name == "node_modules") {
    return true;
  }
  if (name == "objects" && reported.ends_with("/.git/objects")) {
    return true;
  }
  return reported == "/proc" || reported == "/sys" || reported == "/dev";
}

std::string join(const std::string& dir, std::string_view name)
{
  std::string out = dir;
  if (out.empty() || out.back() != '/') {
    out += '/';
  }
  out += name;
  return out;
}

void list_directory(const DirectoryJob& job, unsigned thread, JobQueue& queue, const WalkOptions& options,
                    const FileVisitor& on_file, const WalkErrorVisitor& on_error, WalkCounters& counters)
{
  int dir_fd = ::open(job.real_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (dir_fd < 0) {
    on_error(job.reported_path, errno);
    return;
  }
  DIR* dir = ::fdopendir(dir_fd);
  if (dir == nullptr) {
    on_error(job.reported_path, errno);
    ::close(dir_fd);
    return;
  }
  counters.directories.fetch_add(1, std::memory_order_relaxed);
  while (dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    std::string reported = join(job.reported_path, name);
    // The entry's type saves a stat per file; directories are still stat'ed: their device keeps
    // the walk on one filesystem.
    unsigned char type = entry->d_type;
    struct stat st{};
    if (type == DT_DIR || type == DT_UNKNOWN) {
      if (::fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) != 0) {
        on_error(reported, errno);
        continue;
      }
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_LNK) {
      counters.skipped_symlinks.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!options.excludes.empty() && excluded(options, reported)) {
      counters.skipped_excluded.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (type == DT_DIR) {
      if (heavy_directory(reported, name)) {
        counters.skipped_heavy_dirs.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (st.st_dev != job.device) {
        counters.skipped_other_filesystem.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      queue.push(DirectoryJob{join(job.real_path, name), std::move(reported), job.device});
      continue;
    }
    if (type != DT_REG) {
      counters.skipped_special.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    std::string real = join(job.real_path, name);
    on_file(thread, WalkFile{dir_fd, entry->d_name, real, reported});
  }
  ::closedir(dir);
}

} // namespace

unsigned walk_threads(const WalkOptions& options)
{
  if (options.threads != 0) {
    return options.threads;
  }
  // Two per core, 4 to 8: on a cold cache a thread waits for the disk most of the time, and more
  // reads in flight than cores cut a 1 GiB scan from 16 s to 5 s on 2 cores (docs/performance.md);
  // on a warm cache the extra threads cost nothing measurable. At most 8: each holds a read buffer
  // of up to 4 MiB, and the scan keeps within 64 MiB.
  return std::clamp(2 * std::thread::hardware_concurrency(), 4U, 8U);
}

void walk(const std::vector<WalkRoot>& roots, const WalkOptions& options, const FileVisitor& on_file,
          const WalkErrorVisitor& on_error, WalkCounters& counters)
{
  JobQueue queue;
  for (const auto& root : roots) {
    // A starting path is followed even when it is a symlink: the user named it.
    struct stat st{};
    if (::stat(root.real_path.c_str(), &st) != 0) {
      on_error(root.reported_path, errno);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      queue.push(DirectoryJob{root.real_path, root.reported_path, st.st_dev});
    } else if (S_ISREG(st.st_mode)) {
      on_file(0, WalkFile{AT_FDCWD, root.real_path.c_str(), root.real_path, root.reported_path});
    } else {
      counters.skipped_special.fetch_add(1, std::memory_order_relaxed);
    }
  }
  unsigned threads = walk_threads(options);
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      DirectoryJob job;
      while (queue.pop(job)) {
        list_directory(job, t, queue, options, on_file, on_error, counters);
        queue.done();
      }
    });
  }
  for (auto& w : workers) {
    w.join();
  }
}

} // namespace cfmigrate::scan
