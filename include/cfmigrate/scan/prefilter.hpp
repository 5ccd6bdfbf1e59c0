#pragma once
// Cheap tests run on a file's bytes before the detector (docs/detection.md, "How a file is read",
// step 3; docs/performance.md). Both only drop files for which the detector reports nothing and
// counts no placeholder, so they change the speed of a scan, never its result.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::scan {

class RecipeIndex;

// True when the file has a run of 37+ key, token or base64 characters, or one of the letter pairs
// `cf`, `cl`, `x-` (any case): the scanner's documented one-pass prefilter.
bool may_contain_credentials(std::string_view content);

// The prefilter the scanner runs: may_contain_credentials(content), and then whether anything in the
// file could give the detector a finding or a placeholder with these recipes:
//  - a Cloudflare signal, a key or token name of a recipe that needs no context, a signal of one that
//    does, a `cfk_` / `cfut_` / `cfat_` prefix, a fill-in word or documentation example (ASCII case
//    folded, searched with an SSSE3 multi-literal filter where the CPU has it);
//  - a `<`, a run of 5+ equal characters that could be a whole value, a run of 46+ base64 characters
//    (part of a 48+ character value the detector decodes);
//  - a path matched by a recipe that needs context.
// Built once per scan, shared read-only by all threads.
class Prefilter {
public:
  explicit Prefilter(const RecipeIndex& index);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  bool may_contain_credentials(std::string_view reported_path, std::string_view content) const;

  // The content test alone (for tests and measurements).
  bool content_may_matter(std::string_view content) const;
  // The path test alone.
  bool path_may_matter(std::string_view reported_path) const;

  struct Tables;

private:
  struct PathGlob {
    std::string pattern;
    std::string literal;  // longest run without wildcards: a path must contain it to match
  };
  std::vector<std::string> m_needles;  // lower-cased
  std::vector<PathGlob> m_globs;
  std::unique_ptr<Tables> m_tables;
};

} // namespace cfmigrate::scan
