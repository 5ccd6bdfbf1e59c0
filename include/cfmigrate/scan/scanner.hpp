#pragma once
// The scanner: walks the requested paths, reads each text file and runs the detector on it.
// Results are merged per thread at the end and sorted by path and position, so output never
// interleaves and is the same from run to run.

#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/scan/finding.hpp>
#include <cfmigrate/util/result.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cfmigrate::scan {

// The places Global-key consumers keep their configuration (consumers.md §5, "Where to look").
const std::vector<std::string>& default_scan_paths();

struct ScanOptions {
  std::string root = "/";                  // the scanned system's root on this machine
  std::vector<std::string> paths;          // as on the scanned system; empty: default_scan_paths()
  std::vector<std::string> excludes;       // globs on reported paths
  std::size_t size_cap = 16 * 1024 * 1024; // larger files are skipped and counted
  unsigned threads = 0;                    // 0: one per core (at least 2)
};

struct ScanProblem {
  std::string path;     // reported path
  std::string message;  // e.g. "permission denied"; never file content
};

struct ScanReport {
  std::string root;
  std::vector<std::string> paths;      // what was asked for (reported form)
  std::vector<Finding> findings;       // sorted by path, then offset
  std::size_t files_scanned = 0;       // text files the detector looked at
  std::size_t bytes_scanned = 0;
  std::size_t directories = 0;
  std::size_t skipped_binary = 0;
  std::size_t skipped_too_large = 0;
  std::size_t skipped_symlinks = 0;
  std::size_t skipped_other_filesystem = 0;
  std::size_t skipped_excluded = 0;
  std::size_t skipped_special = 0;
  std::size_t skipped_heavy_dirs = 0;
  std::size_t placeholders = 0;
  std::vector<ScanProblem> problems;   // unreadable files and directories, missing paths

  std::size_t global_keys() const;     // active or commented Global-key findings
};

// Called now and then from a walking thread with the number of files scanned so far.
using ProgressCallback = std::function<void(std::size_t files)>;

// Scans; problems with single files are recorded in the report, not returned as errors. An error
// is returned only when the root itself cannot be used.
Result<ScanReport> run_scan(const recipe::RecipeIndex& index, const ScanOptions& options,
                            const ProgressCallback& progress = {});

} // namespace cfmigrate::scan
