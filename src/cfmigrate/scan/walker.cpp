#include <cfmigrate/scan/walker.hpp>

#include <cfmigrate/recipe/glob.hpp>

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

// Files this large are read after the walk, one at a time: two threads each holding a log of
// tens of MiB plus the detector's working copy of it would double the peak memory (the scan's
// budget is 64 MiB), for little gain in time.
constexpr std::size_t k_large_file = 4 * 1024 * 1024;

struct LargeFile {
  std::string real_path;
  std::string reported_path;
  std::size_t size;
};

struct LargeFiles {
  std::mutex mutex;
  std::vector<LargeFile> files;
};

bool excluded(const WalkOptions& options, const std::string& reported)
{
  return std::any_of(options.excludes.begin(), options.excludes.end(),
                     [&](const std::string& g) { return recipe::glob_match(g, reported); });
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
                    const FileVisitor& on_file, const WalkErrorVisitor& on_error, WalkCounters& counters,
                    LargeFiles& large)
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
    struct stat st{};
    if (::fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      on_error(reported, errno);
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      counters.skipped_symlinks.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!options.excludes.empty() && excluded(options, reported)) {
      counters.skipped_excluded.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
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
    if (!S_ISREG(st.st_mode)) {
      counters.skipped_special.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    auto size = static_cast<std::size_t>(st.st_size);
    if (size > k_large_file) {
      std::lock_guard lock(large.mutex);
      large.files.push_back({join(job.real_path, name), std::move(reported), size});
      continue;
    }
    on_file(thread, join(job.real_path, name), reported, size);
  }
  ::closedir(dir);
}

} // namespace

unsigned walk_threads(const WalkOptions& options)
{
  if (options.threads != 0) {
    return options.threads;
  }
  return std::max(2U, std::thread::hardware_concurrency());
}

void walk(const std::vector<WalkRoot>& roots, const WalkOptions& options, const FileVisitor& on_file,
          const WalkErrorVisitor& on_error, WalkCounters& counters)
{
  JobQueue queue;
  LargeFiles large;
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
      on_file(0, root.real_path, root.reported_path, static_cast<std::size_t>(st.st_size));
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
        list_directory(job, t, queue, options, on_file, on_error, counters, large);
        queue.done();
      }
    });
  }
  for (auto& w : workers) {
    w.join();
  }
  // Every worker has finished: thread 0's state is free.
  for (const auto& f : large.files) {
    on_file(0, f.real_path, f.reported_path, f.size);
  }
}

} // namespace cfmigrate::scan
