#include <cfmigrate/scan/scanner.hpp>

#include <cfmigrate/scan/file_source.hpp>
#include <cfmigrate/scan/walker.hpp>

#include <algorithm>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::scan {

namespace {

// Per-thread state: its own read buffer and results, merged at the end.
struct ThreadState {
  explicit ThreadState(std::size_t cap) : source(cap) {}
  FileSource source;
  std::vector<Finding> findings;
  std::vector<ScanProblem> problems;
  DetectStats stats;
  std::size_t files = 0;
  std::size_t bytes = 0;
  std::size_t binary = 0;
  std::size_t too_large = 0;
  std::size_t special = 0;  // listed as a regular file, something else when opened
};

// Files above this size are prefiltered in pieces of k_piece bytes, so a thread holds no more than a
// piece of them; the few that pass are read whole, one at a time.
constexpr std::size_t k_large_file = 4 * 1024 * 1024;
constexpr std::size_t k_piece = 1024 * 1024;

struct LargeFile {
  std::string real_path;
  std::string reported_path;
};

// Counts a read that gave no text; true when there is text to look at.
bool count_outcome(ThreadState& state, const std::string& reported, const Result<ReadOutcome>& outcome)
{
  if (!outcome) {
    state.problems.push_back({reported, outcome.error().message()});
    return false;
  }
  switch (*outcome) {
  case ReadOutcome::binary: ++state.binary; return false;
  case ReadOutcome::too_large: ++state.too_large; return false;
  case ReadOutcome::special: ++state.special; return false;
  case ReadOutcome::text: break;
  }
  return true;
}

std::string normalise_reported(std::string path)
{
  std::string out = std::filesystem::path(path).lexically_normal().generic_string();
  if (out.size() > 1 && out.back() == '/') {
    out.pop_back();
  }
  return out.empty() ? "/" : out;
}

std::string real_path(const std::string& root, const std::string& reported)
{
  return root == "/" ? reported : root + (reported == "/" ? "" : reported);
}

// A place named on the command line (or a default place) that is a symlink is followed, since the
// user named it; links inside the walk never are (docs/decisions.md 3). The target is resolved
// inside the root, as the scanned system sees it (an absolute target of a link under --root points
// into that tree, not into this machine's /), and the target is what is walked and reported: it
// is the file a plan edits. nullopt (with errno in `error`) when it does not exist or loops.
std::optional<std::string> follow_named_symlink(const std::string& root, std::string reported, int& error)
{
  for (int hops = 0; hops < 40; ++hops) {
    std::string real = real_path(root, reported);
    struct stat st{};
    if (::lstat(real.c_str(), &st) != 0) {
      error = errno;
      return std::nullopt;
    }
    if (!S_ISLNK(st.st_mode)) {
      return reported;
    }
    std::string target(static_cast<std::size_t>(PATH_MAX), '\0');
    ssize_t n = ::readlink(real.c_str(), target.data(), target.size());
    if (n < 0) {
      error = errno;
      return std::nullopt;
    }
    target.resize(static_cast<std::size_t>(n));
    std::string parent = std::filesystem::path(reported).parent_path().generic_string();
    reported = normalise_reported(target.starts_with('/') ? target : parent + "/" + target);
  }
  error = ELOOP;
  return std::nullopt;
}

// The reported form of a requested path: absolute, normal, no trailing '/'.
std::string reported_form(const std::filesystem::path& root, const std::string& requested)
{
  if (root == "/") {
    // No --root: relative paths are relative to the working directory, as users expect.
    std::error_code ec;
    return normalise_reported(std::filesystem::absolute(requested, ec).string());
  }
  return normalise_reported(requested.starts_with('/') ? requested : "/" + requested);
}

// The places to walk: the requested paths (or the default places) as the scanned system sees
// them, named symlinks followed. Records them in report.paths, and explicit paths that do not
// exist in report.problems.
std::vector<WalkRoot> walk_roots(const std::filesystem::path& root, const ScanOptions& options, ScanReport& report)
{
  bool explicit_paths = !options.paths.empty();
  const std::vector<std::string>& requested = explicit_paths ? options.paths : default_scan_paths();
  for (const auto& p : requested) {
    std::string reported = reported_form(root, p);
    int error = 0;
    std::optional<std::string> target = follow_named_symlink(root.string(), reported, error);
    if (!target) {
      if (explicit_paths) {
        report.problems.push_back({reported, std::strerror(error)});
      }
      continue;  // default places that do not exist on this system are not problems
    }
    report.paths.push_back(*target);
  }
  // A place named twice, or inside another named place, is walked once: its findings would
  // otherwise be reported twice.
  std::sort(report.paths.begin(), report.paths.end());
  std::vector<std::string> distinct;
  std::vector<WalkRoot> roots;
  for (const auto& path : report.paths) {
    bool inside = std::any_of(distinct.begin(), distinct.end(), [&](const std::string& outer) {
      return path == outer || outer == "/" || path.starts_with(outer + "/");
    });
    if (!inside) {
      distinct.push_back(path);
      roots.push_back({real_path(root.string(), path), path});
    }
  }
  report.paths = std::move(distinct);
  return roots;
}

// One walk over the roots: a state per walking thread, the prefilter, and the large files that
// wait for their turn.
class ScanRun {
public:
  ScanRun(const recipe::RecipeIndex& index, const ScanOptions& options, const ProgressCallback& progress)
    : m_index(index), m_progress(progress), m_walk_options{options.excludes, options.threads}, m_prefilter(index)
  {
    unsigned threads = walk_threads(m_walk_options);
    for (unsigned t = 0; t < threads; ++t) {
      m_states.push_back(std::make_unique<ThreadState>(options.size_cap));
    }
  }

  // Walks the roots; unreadable places go to report.problems.
  void walk_all(const std::vector<WalkRoot>& roots, ScanReport& report)
  {
    std::mutex error_mutex;
    auto on_file = [this](unsigned t, const WalkFile& file) { visit(*m_states[t], file); };
    auto on_error = [&](const std::string& reported, int error_number) {
      std::lock_guard lock(error_mutex);
      report.problems.push_back({reported, std::strerror(error_number)});
    };
    walk(roots, m_walk_options, on_file, on_error, m_counters);
    // One at a time on thread 0's state (every walker has finished): two threads each holding a log
    // of up to 16 MiB would double the peak memory.
    for (const auto& f : m_large_files) {
      scan_large(*m_states[0], f.real_path, f.reported_path);
    }
  }

  // Adds every thread's findings, problems and counts to the report.
  void merge_into(ScanReport& report)
  {
    for (auto& state : m_states) {
      std::move(state->findings.begin(), state->findings.end(), std::back_inserter(report.findings));
      std::move(state->problems.begin(), state->problems.end(), std::back_inserter(report.problems));
      report.files_scanned += state->files;
      report.bytes_scanned += state->bytes;
      report.skipped_binary += state->binary;
      report.skipped_too_large += state->too_large;
      report.skipped_special += state->special;
      report.placeholders += state->stats.placeholders;
    }
    report.directories = m_counters.directories;
    report.skipped_symlinks = m_counters.skipped_symlinks;
    report.skipped_other_filesystem = m_counters.skipped_other_filesystem;
    report.skipped_excluded = m_counters.skipped_excluded;
    report.skipped_special += m_counters.skipped_special;
    report.skipped_heavy_dirs = m_counters.skipped_heavy_dirs;
  }

private:
  // One file the walk found, on its walking thread.
  void visit(ThreadState& state, const WalkFile& file)
  {
    std::size_t seen = m_files_seen.fetch_add(1, std::memory_order_relaxed) + 1;
    if (m_progress && seen % 1024 == 0) {
      m_progress(seen);
    }
    Result<std::size_t> size = state.source.open(file.dir_fd, file.name);
    if (!size) {
      state.problems.push_back({file.reported_path, size.error().message()});
      return;
    }
    if (*size <= k_large_file) {
      scan_whole(state, file.reported_path);
      return;
    }
    scan_in_pieces(state, file);
  }

  // Reads the file `state.source` has open whole, prefilters it and runs the detector.
  void scan_whole(ThreadState& state, const std::string& reported)
  {
    Result<ReadOutcome> outcome = state.source.read();
    if (!count_outcome(state, reported, outcome)) {
      return;
    }
    std::string_view content = state.source.content();
    ++state.files;
    state.bytes += content.size();
    if (!m_prefilter.may_matter(reported, content)) {
      return;
    }
    std::vector<Finding> found = detect(m_index, reported, content, state.stats);
    std::move(found.begin(), found.end(), std::back_inserter(state.findings));
  }

  // A large file: prefiltered in pieces; read whole only if it passes (few logs do).
  void scan_in_pieces(ThreadState& state, const WalkFile& file)
  {
    Prefilter::PieceState piece_state;
    Result<ReadOutcome> outcome = state.source.stream(k_piece, m_prefilter.overlap(), [&](std::string_view piece) {
      return m_prefilter.piece_may_matter(file.reported_path, piece, piece_state);
    });
    if (!count_outcome(state, file.reported_path, outcome)) {
      return;
    }
    if (!state.source.stopped()) {
      ++state.files;
      state.bytes += state.source.streamed();
      return;
    }
    // One large file in memory at a time: now, from the descriptor the pieces came from, if no
    // other thread holds one; else after the walk, opened again by path.
    if (std::unique_lock slot(m_large_slot, std::try_to_lock); slot.owns_lock()) {
      scan_whole(state, file.reported_path);
      state.source.shrink();
      return;
    }
    std::lock_guard lock(m_large_mutex);
    m_large_files.push_back({file.real_path, file.reported_path});
  }

  // Reopens a large file by path and scans it whole, then gives its buffer back.
  void scan_large(ThreadState& state, const std::string& real, const std::string& reported)
  {
    if (Result<std::size_t> opened = state.source.open(AT_FDCWD, real.c_str()); !opened) {
      state.problems.push_back({reported, opened.error().message()});
      return;
    }
    scan_whole(state, reported);
    state.source.shrink();
  }

  const recipe::RecipeIndex& m_index;
  const ProgressCallback& m_progress;
  WalkOptions m_walk_options;
  const Prefilter m_prefilter;
  std::vector<std::unique_ptr<ThreadState>> m_states;
  std::atomic<std::size_t> m_files_seen{0};
  WalkCounters m_counters;
  std::mutex m_large_slot;   // held while a thread has a large file in memory
  std::mutex m_large_mutex;  // guards m_large_files
  std::vector<LargeFile> m_large_files;
};

} // namespace

const std::vector<std::string>& default_scan_paths()
{
  static const std::vector<std::string> k_paths = {
    "/etc", "/root", "/home", "/var/www", "/srv", "/opt", "/usr/local/etc", "/usr/local/bin", "/usr/local/sbin",
    "/var/spool/cron", "/var/lib/csf", "/data", "/config", "/conf", "/cf/conf",
  };
  return k_paths;
}

std::size_t ScanReport::global_keys() const
{
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [](const Finding& f) { return f.credential == Credential::global_key; }));
}

Result<ScanReport> run_scan(const recipe::RecipeIndex& index, const ScanOptions& options, const ProgressCallback& progress)
{
  std::error_code ec;
  std::filesystem::path root = std::filesystem::canonical(options.root.empty() ? "/" : options.root, ec);
  if (ec) {
    return make_error(ErrorCode::not_found, "cannot use root: " + ec.message(), options.root);
  }
  ScanReport report;
  report.root = root.string();
  std::vector<WalkRoot> roots = walk_roots(root, options, report);

  ScanRun run(index, options, progress);
  run.walk_all(roots, report);
  run.merge_into(report);
  std::sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.setting.value_span.offset) < std::tie(b.path, b.setting.value_span.offset);
  });
  std::sort(report.problems.begin(), report.problems.end(),
            [](const ScanProblem& a, const ScanProblem& b) { return a.path < b.path; });
  return report;
}

} // namespace cfmigrate::scan
