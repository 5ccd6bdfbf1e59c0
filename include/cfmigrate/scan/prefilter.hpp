#pragma once
// A cheap test run on a file before the detector (docs/detection.md, "How a file is read", step 3;
// docs/performance.md). It only drops files for which the detector reports nothing and counts no
// placeholder, so it changes the speed of a scan, never its result.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::recipe {
class RecipeIndex;
} // namespace cfmigrate::recipe

namespace cfmigrate::scan {

// The scanner's prefilter: whether anything in a file could give the detector a finding or a
// placeholder to count, with these recipes. A file passes when it has
//  - a Cloudflare signal, a key or token name of a recipe that needs no context, a signal of one that
//    does, a `cfk_` / `cfut_` / `cfat_` prefix or its base64 form (ASCII case folded, searched with
//    a multi-literal filter with AVX2 or SSSE3 where the CPU has them), or
//  - a path matched by a recipe that needs context.
// Each is a necessary condition of some branch of detect(), so dropping the others cannot change a
// report (tests/unit/scan/test_prefilter.cpp checks it on every fixture).
// Built once per scan, shared read-only by all threads.
class Prefilter {
public:
  // Which search the content test uses: the fastest the CPU has, or (tests) a given one.
  enum class Engine { best, avx2, ssse3, scalar };

  explicit Prefilter(const recipe::RecipeIndex& index, Engine engine = Engine::best);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  bool may_matter(std::string_view reported_path, std::string_view content) const;

  // The same test for a file read in overlapping pieces (FileSource::stream with overlap()): feed
  // each piece with the same state; true from the piece on which the whole file would pass.
  struct PieceState {
    int path = -1;  // path_may_matter, once known
  };
  bool piece_may_matter(std::string_view reported_path, std::string_view piece, PieceState& state) const;
  // Overlap that keeps every needle whole.
  std::size_t overlap() const;

  // The content test alone (for tests and measurements).
  bool content_may_matter(std::string_view content) const;
  // The path test alone.
  bool path_may_matter(std::string_view reported_path) const;

  struct Tables;

private:
  // Globs grouped by their longest run without wildcards: a path must contain it to match, and
  // several globs share one ("/roles/", "/external-dns"), so each is searched for once.
  struct PathGlobs {
    std::string literal;
    std::vector<std::string> patterns;
  };
  std::vector<std::string> m_needles;  // lower-cased
  std::vector<PathGlobs> m_globs;
  std::unique_ptr<Tables> m_tables;
};

} // namespace cfmigrate::scan
