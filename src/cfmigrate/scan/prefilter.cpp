#include <cfmigrate/scan/prefilter.hpp>

#include <cfmigrate/util/glob.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/text.hpp>

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CFMIGRATE_PREFILTER_X86 1
#endif

namespace cfmigrate::scan {

namespace {

// Cloudflare signals (detector.cpp has_cloudflare_signal) and shapes reported without context:
// the new key and token prefixes, and how they start in base64 (a Secret's `data:` value is decoded,
// and a key or token inside needs no name). "cfk" is "Y2Zr" in base64 and the "_" after it starts
// with "X"; "cfut_" and "cfat_" start "Y2Z1dF" and "Y2ZhdF". Searched case-folded.
constexpr std::array<std::string_view, 12> k_context_free = {
  "cloudflare", "x-auth-email", "x-auth-key", "cf_api", "cf_email", "cf_key", "cfk_", "cfut_", "cfat_",
  "y2zrx",      "y2z1df",       "y2zhdf",
};

bool needle_at(std::string_view content, std::size_t at, std::string_view needle)
{
  if (at + needle.size() > content.size()) {
    return false;
  }
  for (std::size_t i = 0; i < needle.size(); ++i) {
    if (ascii_lower(content[at + i]) != needle[i]) {
      return false;
    }
  }
  return true;
}

} // namespace

// Teddy-style multi-literal filter (Hyperscan's "Teddy", as used by ripgrep): needles go to 8
// buckets by their first four bytes; for 16 positions at once, nibble look-ups (pshufb) give the
// buckets whose four-byte fingerprint may start there. Candidates are checked on their first four
// bytes (one compare per needle), then byte by byte. Four bytes, not three: three-byte prefixes
// such as "cli" (of "cli4 ") or "ext" (of "externaldns") start common words, and verifying those
// candidates took most of the prefilter's time.
struct Prefilter::Tables {
  static constexpr std::size_t k_width = 4;
  alignas(16) std::uint8_t lo[k_width][16] = {};
  alignas(16) std::uint8_t hi[k_width][16] = {};
  alignas(32) std::uint8_t lo2[k_width][32] = {};  // the same, twice: AVX2 shuffles each 16-byte lane
  alignas(32) std::uint8_t hi2[k_width][32] = {};
  std::vector<std::uint32_t> prefix;       // per needle: its first four bytes (lower-case) ...
  std::vector<std::uint32_t> prefix_mask;  // ... and which of them it has
  std::array<std::vector<std::uint16_t>, 8> buckets;
  std::array<std::vector<std::uint16_t>, 256> by_first;  // scalar fallback: needles by first byte
  Prefilter::Engine engine = Prefilter::Engine::scalar;
};

namespace {

// The longest run of a glob without '*' or '?': a file whose path lacks it cannot match.
std::string longest_literal(const std::string& glob)
{
  std::string literal;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= glob.size(); ++i) {
    if (i == glob.size() || glob[i] == '*' || glob[i] == '?') {
      if (i - start > literal.size()) {
        literal = glob.substr(start, i - start);
      }
      start = i + 1;
    }
  }
  return literal;
}

// Drops empty and duplicate needles, and those containing a shorter one (it is found first).
// True when an empty needle was asked for: then every file must pass.
bool keep_shortest_needles(std::vector<std::string>& needles, std::vector<std::string>& kept)
{
  bool pass_all = false;
  std::sort(needles.begin(), needles.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  needles.erase(std::unique(needles.begin(), needles.end()), needles.end());
  for (const auto& n : needles) {
    if (n.empty()) {
      pass_all = true;
      continue;
    }
    bool redundant = std::any_of(kept.begin(), kept.end(),
                                 [&](const std::string& shorter) { return n.find(shorter) != std::string::npos; });
    if (!redundant) {
      kept.push_back(n);
    }
  }
  return pass_all;
}

} // namespace

Prefilter::Prefilter(const recipe::RecipeIndex& index, Engine engine) : m_tables(std::make_unique<Tables>())
{
  std::vector<std::string> needles;
  for (std::string_view s : k_context_free) {
    needles.emplace_back(s);
  }
  bool pass_all = false;
  for (const auto& r : index.recipes()) {
    const auto& d = r.detect;
    auto add_names = [&] {
      for (const auto* list : {&d.key_names, &d.token_names}) {
        for (const auto& n : *list) {
          needles.push_back(to_lower(n));
        }
      }
    };
    if (d.context == recipe::Context::optional) {
      add_names();  // a key or token name claims a setting anywhere
      continue;
    }
    bool empty_signal = false;
    for (const auto& s : d.signals) {
      empty_signal = empty_signal || s.empty();
      needles.push_back(to_lower(s));
    }
    if (empty_signal) {
      add_names();  // an empty signal is found in every file
    }
    for (const auto& p : d.paths) {
      const std::string literal = longest_literal(p);
      auto same = std::find_if(m_globs.begin(), m_globs.end(), [&](const PathGlobs& g) { return g.literal == literal; });
      if (same == m_globs.end()) {
        m_globs.push_back({literal, {p}});
      } else {
        same->patterns.push_back(p);
      }
    }
  }
  pass_all = keep_shortest_needles(needles, m_needles) || pass_all;
  if (pass_all || m_needles.size() > 60000) {
    m_needles = {""};  // matches everywhere: the content test passes every file
  }

  Tables& t = *m_tables;
  for (const auto& n : m_needles) {
    std::uint32_t prefix = 0;
    std::uint32_t mask = 0;
    for (std::size_t j = 0; j < std::min(n.size(), Tables::k_width); ++j) {
      prefix |= static_cast<std::uint32_t>(static_cast<unsigned char>(n[j])) << (8 * j);
      mask |= 0xFFU << (8 * j);
    }
    t.prefix.push_back(prefix);
    t.prefix_mask.push_back(mask);
  }
  std::vector<std::uint16_t> order(m_needles.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<std::uint16_t>(i);
  }
  std::sort(order.begin(), order.end(), [&](std::uint16_t a, std::uint16_t b) {
    return m_needles[a].substr(0, Tables::k_width) < m_needles[b].substr(0, Tables::k_width);
  });
  for (std::size_t i = 0; i < order.size(); ++i) {
    std::size_t bucket = i * 8 / order.size();
    const std::string& n = m_needles[order[i]];
    t.buckets[bucket].push_back(order[i]);
    auto bit = static_cast<std::uint8_t>(1U << bucket);
    for (std::size_t j = 0; j < Tables::k_width; ++j) {
      if (j >= n.size()) {
        for (int k = 0; k < 16; ++k) {
          t.lo[j][k] |= bit;
          t.hi[j][k] |= bit;
        }
        continue;
      }
      auto c = static_cast<unsigned char>(n[j]);
      for (unsigned char v : {c, static_cast<unsigned char>(c >= 'a' && c <= 'z' ? c - 32 : c)}) {
        t.lo[j][v & 15U] |= bit;
        t.hi[j][v >> 4U] |= bit;
      }
    }
    if (n.empty()) {
      for (auto& list : t.by_first) {
        list.push_back(order[i]);
      }
    } else {
      auto c = static_cast<unsigned char>(n[0]);
      t.by_first[c].push_back(order[i]);
      if (c >= 'a' && c <= 'z') {
        t.by_first[c - 32U].push_back(order[i]);
      }
    }
  }
  for (std::size_t j = 0; j < Tables::k_width; ++j) {
    for (std::size_t k = 0; k < 32; ++k) {
      t.lo2[j][k] = t.lo[j][k % 16];
      t.hi2[j][k] = t.hi[j][k % 16];
    }
  }
  Engine fastest = Engine::scalar;
#ifdef CFMIGRATE_PREFILTER_X86
  fastest = __builtin_cpu_supports("avx2") != 0 ? Engine::avx2 : __builtin_cpu_supports("ssse3") != 0 ? Engine::ssse3 : Engine::scalar;
#endif
  // A requested engine the CPU lacks falls back to the next slower one.
  t.engine = engine == Engine::best ? fastest : std::max(engine, fastest);
}

Prefilter::~Prefilter() = default;

namespace {

struct ScanState {
  std::string_view content;
  const std::vector<std::string>* needles;
  const Prefilter::Tables* tables;
};

bool scalar_range(const ScanState& s, std::size_t from, std::size_t to)
{
  const auto* p = reinterpret_cast<const unsigned char*>(s.content.data());
  for (std::size_t i = from; i < to; ++i) {
    for (std::uint16_t n : s.tables->by_first[p[i]]) {
      if (needle_at(s.content, i, (*s.needles)[n])) {
        return true;
      }
    }
  }
  return false;
}

#ifdef CFMIGRATE_PREFILTER_X86
// The buckets whose j-th fingerprint byte may be each byte of v.
__attribute__((target("ssse3"))) inline __m128i teddy_lookup(const Prefilter::Tables& t, __m128i v, int j)
{
  const __m128i nibble = _mm_set1_epi8(0x0f);
  __m128i lo = _mm_shuffle_epi8(_mm_load_si128(reinterpret_cast<const __m128i*>(t.lo[j])), _mm_and_si128(v, nibble));
  __m128i hi = _mm_shuffle_epi8(_mm_load_si128(reinterpret_cast<const __m128i*>(t.hi[j])),
                                _mm_and_si128(_mm_srli_epi16(v, 4), nibble));
  return _mm_and_si128(lo, hi);
}

// Verifies the candidate positions of one block: `bits` has, per position, the buckets whose
// fingerprint matched there.
bool verify_block(const ScanState& s, const std::uint8_t* bits, std::uint32_t candidates, std::size_t base)
{
  const Prefilter::Tables& t = *s.tables;
  while (candidates != 0) {
    auto k = static_cast<unsigned>(__builtin_ctz(candidates));
    candidates &= candidates - 1;
    std::size_t at = base + k;
    // The first four bytes here, lower-cased (fewer at the very end: needle_at checks those).
    std::uint32_t word = 0;
    std::uint32_t present = 0;
    for (std::size_t j = 0; j < Prefilter::Tables::k_width && at + j < s.content.size(); ++j) {
      word |= static_cast<std::uint32_t>(static_cast<unsigned char>(ascii_lower(s.content[at + j]))) << (8 * j);
      present |= 0xFFU << (8 * j);
    }
    unsigned b = bits[k];
    while (b != 0) {
      auto bucket = static_cast<unsigned>(__builtin_ctz(b));
      b &= b - 1;
      for (std::uint16_t n : t.buckets[bucket]) {
        std::uint32_t mask = t.prefix_mask[n];
        if ((mask & ~present) == 0 && (word & mask) != t.prefix[n]) {
          continue;
        }
        if (needle_at(s.content, at, (*s.needles)[n])) {
          return true;
        }
      }
    }
  }
  return false;
}

// One block of 16 positions at `q` (19 readable bytes), the first at offset `base` of the content;
// only the first `valid` positions are part of the content.
__attribute__((target("ssse3"))) bool ssse3_block(const ScanState& s, const unsigned char* q, std::size_t base,
                                                   unsigned valid)
{
  const Prefilter::Tables& t = *s.tables;
  __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 1));
  __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 2));
  __m128i v3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 3));
  __m128i hits = _mm_and_si128(_mm_and_si128(teddy_lookup(t, v0, 0), teddy_lookup(t, v1, 1)),
                               _mm_and_si128(teddy_lookup(t, v2, 2), teddy_lookup(t, v3, 3)));
  unsigned valid_mask = valid >= 16 ? 0xFFFFU : (1U << valid) - 1U;
  auto candidates = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(hits, _mm_setzero_si128()))) & valid_mask;
  if (candidates == 0) {
    return false;
  }
  alignas(16) std::uint8_t bits[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(bits), hits);
  return verify_block(s, bits, candidates, base);
}

// From `i` on: blocks of 16, then the last bytes.
bool ssse3_scan(const ScanState& s, std::size_t i)
{
  const auto* p = reinterpret_cast<const unsigned char*>(s.content.data());
  std::size_t n = s.content.size();
  for (; i + 19 <= n; i += 16) {
    if (ssse3_block(s, p + i, i, 16)) {
      return true;
    }
  }
  // The last bytes, from a zero-padded copy (a NUL starts no needle).
  alignas(16) unsigned char tail[48] = {};
  std::memcpy(tail, p + i, n - i);
  for (std::size_t j = 0; i + j < n; j += 16) {
    auto valid = static_cast<unsigned>(std::min<std::size_t>(16, n - i - j));
    if (ssse3_block(s, tail + j, i + j, valid)) {
      return true;
    }
  }
  return false;
}

__attribute__((target("avx2"))) inline __m256i teddy_lookup_avx2(const Prefilter::Tables& t, __m256i v, int j)
{
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  __m256i lo = _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(t.lo2[j])), _mm256_and_si256(v, nibble));
  __m256i hi = _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(t.hi2[j])),
                                   _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
  return _mm256_and_si256(lo, hi);
}

// 32 positions at a time (35 readable bytes), then SSSE3 for the rest.
__attribute__((target("avx2"))) bool avx2_scan(const ScanState& s)
{
  const Prefilter::Tables& t = *s.tables;
  const auto* p = reinterpret_cast<const unsigned char*>(s.content.data());
  std::size_t n = s.content.size();
  std::size_t i = 0;
  for (; i + 35 <= n; i += 32) {
    const unsigned char* q = p + i;
    __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 1));
    __m256i v2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 2));
    __m256i v3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 3));
    __m256i hits = _mm256_and_si256(_mm256_and_si256(teddy_lookup_avx2(t, v0, 0), teddy_lookup_avx2(t, v1, 1)),
                                    _mm256_and_si256(teddy_lookup_avx2(t, v2, 2), teddy_lookup_avx2(t, v3, 3)));
    auto candidates = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hits, _mm256_setzero_si256())));
    if (candidates == 0) {
      continue;
    }
    alignas(32) std::uint8_t bits[32];
    _mm256_store_si256(reinterpret_cast<__m256i*>(bits), hits);
    if (verify_block(s, bits, candidates, i)) {
      return true;
    }
  }
  return ssse3_scan(s, i);
}
#endif

} // namespace

bool Prefilter::content_may_matter(std::string_view content) const
{
  ScanState s{content, &m_needles, m_tables.get()};
  if (m_needles.size() == 1 && m_needles[0].empty()) {
    return true;
  }
#ifdef CFMIGRATE_PREFILTER_X86
  switch (m_tables->engine) {
  case Engine::avx2: return avx2_scan(s);
  case Engine::ssse3: return ssse3_scan(s, 0);
  default: break;
  }
#endif
  return scalar_range(s, 0, content.size());
}

bool Prefilter::path_may_matter(std::string_view reported_path) const
{
  return std::any_of(m_globs.begin(), m_globs.end(), [&](const PathGlobs& g) {
    return reported_path.find(g.literal) != std::string_view::npos
           && std::any_of(g.patterns.begin(), g.patterns.end(),
                          [&](const std::string& pattern) { return glob_match(pattern, reported_path); });
  });
}

bool Prefilter::may_matter(std::string_view reported_path, std::string_view content) const
{
  return content_may_matter(content) || path_may_matter(reported_path);
}

bool Prefilter::piece_may_matter(std::string_view reported_path, std::string_view piece, PieceState& state) const
{
  if (state.path < 0) {
    state.path = path_may_matter(reported_path) ? 1 : 0;
  }
  return state.path == 1 || content_may_matter(piece);
}

std::size_t Prefilter::overlap() const
{
  std::size_t longest = 1;
  for (const auto& n : m_needles) {
    longest = std::max(longest, n.size());
  }
  return longest;
}

} // namespace cfmigrate::scan
