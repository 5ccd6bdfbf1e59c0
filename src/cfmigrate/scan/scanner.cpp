#include <cfmigrate/scan/scanner.hpp>

#include <cfmigrate/scan/file_source.hpp>
#include <cfmigrate/scan/walker.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sys/stat.h>

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
};

std::string normalise_reported(std::string path)
{
  std::string out = std::filesystem::path(path).lexically_normal().generic_string();
  if (out.size() > 1 && out.back() == '/') {
    out.pop_back();
  }
  return out.empty() ? "/" : out;
}

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

Result<ScanReport> run_scan(const RecipeIndex& index, const ScanOptions& options, const ProgressCallback& progress)
{
  std::error_code ec;
  std::filesystem::path root = std::filesystem::canonical(options.root.empty() ? "/" : options.root, ec);
  if (ec) {
    return make_error(ErrorCode::not_found, "cannot use root: " + ec.message(), options.root);
  }
  ScanReport report;
  report.root = root.string();
  bool explicit_paths = !options.paths.empty();
  const std::vector<std::string>& requested = explicit_paths ? options.paths : default_scan_paths();

  std::vector<WalkRoot> roots;
  for (const auto& p : requested) {
    std::string reported;
    if (root == "/") {
      // No --root: relative paths are relative to the working directory, as users expect.
      reported = normalise_reported(std::filesystem::absolute(p, ec).string());
    } else {
      reported = normalise_reported(p.starts_with('/') ? p : "/" + p);
    }
    std::string real = root == "/" ? reported : (root.string() + (reported == "/" ? "" : reported));
    struct stat st{};
    if (::lstat(real.c_str(), &st) != 0) {
      if (explicit_paths) {
        report.problems.push_back({reported, std::strerror(errno)});
      }
      continue;  // default places that do not exist on this system are not problems
    }
    report.paths.push_back(reported);
    roots.push_back({real, reported});
  }

  WalkOptions walk_options{options.excludes, options.threads};
  unsigned threads = walk_threads(walk_options);
  std::vector<std::unique_ptr<ThreadState>> states;
  for (unsigned t = 0; t < threads; ++t) {
    states.push_back(std::make_unique<ThreadState>(options.size_cap));
  }
  std::mutex error_mutex;
  std::atomic<std::size_t> files_seen{0};
  WalkCounters counters;

  const Prefilter prefilter(index);
  auto on_file = [&](unsigned t, const std::string& real, const std::string& reported, std::size_t size) {
    ThreadState& state = *states[t];
    std::size_t seen = files_seen.fetch_add(1, std::memory_order_relaxed) + 1;
    if (progress && seen % 1024 == 0) {
      progress(seen);
    }
    Result<ReadOutcome> outcome = state.source.read(real.c_str(), size);
    if (!outcome) {
      state.problems.push_back({reported, outcome.error().message()});
      return;
    }
    switch (*outcome) {
    case ReadOutcome::binary: ++state.binary; return;
    case ReadOutcome::too_large: ++state.too_large; return;
    case ReadOutcome::text: break;
    }
    std::string_view content = state.source.content();
    ++state.files;
    state.bytes += content.size();
    if (!prefilter.may_contain_credentials(reported, content)) {
      return;
    }
    std::vector<Finding> found = detect(index, reported, content, state.stats);
    std::move(found.begin(), found.end(), std::back_inserter(state.findings));
  };
  auto on_error = [&](const std::string& reported, int error_number) {
    std::lock_guard lock(error_mutex);
    report.problems.push_back({reported, std::strerror(error_number)});
  };
  walk(roots, walk_options, on_file, on_error, counters);

  for (auto& state : states) {
    std::move(state->findings.begin(), state->findings.end(), std::back_inserter(report.findings));
    std::move(state->problems.begin(), state->problems.end(), std::back_inserter(report.problems));
    report.files_scanned += state->files;
    report.bytes_scanned += state->bytes;
    report.skipped_binary += state->binary;
    report.skipped_too_large += state->too_large;
    report.placeholders += state->stats.placeholders;
  }
  report.directories = counters.directories;
  report.skipped_symlinks = counters.skipped_symlinks;
  report.skipped_other_filesystem = counters.skipped_other_filesystem;
  report.skipped_excluded = counters.skipped_excluded;
  report.skipped_special = counters.skipped_special;
  report.skipped_heavy_dirs = counters.skipped_heavy_dirs;
  std::sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.setting.value_span.offset) < std::tie(b.path, b.setting.value_span.offset);
  });
  std::sort(report.problems.begin(), report.problems.end(),
            [](const ScanProblem& a, const ScanProblem& b) { return a.path < b.path; });
  return report;
}

} // namespace cfmigrate::scan
