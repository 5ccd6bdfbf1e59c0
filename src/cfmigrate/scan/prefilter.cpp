#include <cfmigrate/scan/prefilter.hpp>

#include <cfmigrate/recipe/glob.hpp>
#include <cfmigrate/scan/detector.hpp>

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CFMIGRATE_PREFILTER_X86 1
#endif

namespace cfmigrate::scan {

namespace {

// Byte classes, ASCII only (the program runs in the "C" locale, like std::isalnum here).
constexpr std::uint8_t k_credential = 1;  // [A-Za-z0-9+/=_-]: may_contain_credentials' runs
constexpr std::uint8_t k_c = 2;           // c C
constexpr std::uint8_t k_f_or_l = 4;      // f F l L
constexpr std::uint8_t k_x = 8;           // x X
constexpr std::uint8_t k_dash = 16;       // -
constexpr std::uint8_t k_base64 = 32;     // [A-Za-z0-9+/]: decode_base64's alphabet ('=' only pads)
constexpr std::uint8_t k_alnum = 64;

constexpr std::array<std::uint8_t, 256> make_classes()
{
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    std::uint8_t v = 0;
    if (alnum) {
      v |= k_alnum | k_credential | k_base64;
    }
    if (c == '+' || c == '/') {
      v |= k_credential | k_base64;
    }
    if (c == '=') {
      v |= k_credential;
    }
    if (c == '-' || c == '_') {
      v |= k_credential;
    }
    if (c == 'c' || c == 'C') {
      v |= k_c;
    }
    if (c == 'f' || c == 'F' || c == 'l' || c == 'L') {
      v |= k_f_or_l;
    }
    if (c == 'x' || c == 'X') {
      v |= k_x;
    }
    if (c == '-') {
      v |= k_dash;
    }
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}

constexpr std::array<std::uint8_t, 256> k_classes = make_classes();

constexpr unsigned char ascii_lower(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

bool is_alnum(unsigned char c)
{
  return (k_classes[c] & k_alnum) != 0;
}

std::string lower(std::string_view s)
{
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(ascii_lower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Cloudflare signals (detector.cpp has_cloudflare_signal) and shapes reported without context.
constexpr std::array<std::string_view, 9> k_context_free = {
  "cloudflare", "x-auth-email", "x-auth-key", "cf_api", "cf_email", "cf_key", "cfk_", "cfut_", "cfat_",
};

// What value_shape.cpp's is_placeholder looks for, lower-cased ("<" is tested on its own).
constexpr std::array<std::string_view, 17> k_placeholder_words = {
  "your", "xxxx", "here", "example", "changeme", "change_me", "replace", "placeholder", "redacted", "dummy",
  "secret_key", "insert", "todo", "0123456789abcdef", "b9841238feb177a84330febba8a83208921177bffe733",
  "c2547eb745079dac9320b638f5e225cf483cc5cfdda41", "sn3lzjtbx6kkg7odcbuaxoo963geiygqqnftofyy",
};

// detector.cpp decodes values of 48+ base64 characters, at most two of them '=' padding at the end:
// such a value holds a run of 46+ characters of the alphabet.
constexpr std::size_t k_base64_run = 46;
constexpr std::size_t k_same_run = 5;     // is_placeholder: one repeated character, more than 4

bool needle_at(std::string_view content, std::size_t at, std::string_view needle)
{
  if (at + needle.size() > content.size()) {
    return false;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(content.data()) + at;
  for (std::size_t i = 0; i < needle.size(); ++i) {
    if (ascii_lower(p[i]) != static_cast<unsigned char>(needle[i])) {
      return false;
    }
  }
  return true;
}

// Where a value can start (settings_extractor.cpp): after a separator (= : => := ,), a quote, the
// start of a line or a comment leader (colon records), then blanks. '<' is not listed: a file with
// one passes anyway.
bool may_precede_value(unsigned char c)
{
  return c == '=' || c == ':' || c == '>' || c == ',' || c == '"' || c == '\'' || c == '`' || c == '#' || c == ';'
         || c == '/' || c == '*' || c == '\n' || c == 0xBF;  // 0xBF: the last byte of a UTF-8 BOM
}

// Where a value can end: a bare value's delimiters, a quote, the end of the line, blanks (trimmed),
// ':' (colon records).
bool may_follow_value(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '`' || c == ',' || c == ';'
         || c == ')' || c == '}' || c == ']' || c == '<' || c == '&' || c == '|' || c == '\\' || c == ':';
}

// A run of 5+ equal bytes starting at `at` that could be a whole value: never blanks (values are
// trimmed); a run of a letter or digit is a whole value only when it is a whole word that starts
// where a value can start and ends where a value can end.
bool same_run_at(std::string_view content, std::size_t at)
{
  if (at + k_same_run > content.size()) {
    return false;
  }
  auto c = static_cast<unsigned char>(content[at]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
    return false;
  }
  for (std::size_t i = 1; i < k_same_run; ++i) {
    if (static_cast<unsigned char>(content[at + i]) != c) {
      return false;
    }
  }
  if (!is_alnum(c)) {
    return true;
  }
  std::size_t start = at;
  while (start > 0 && static_cast<unsigned char>(content[start - 1]) == c) {
    --start;
  }
  std::size_t end = at + k_same_run;
  while (end < content.size() && static_cast<unsigned char>(content[end]) == c) {
    ++end;
  }
  if (end < content.size() && !may_follow_value(static_cast<unsigned char>(content[end]))) {
    return false;
  }
  while (start > 0 && (content[start - 1] == ' ' || content[start - 1] == '\t')) {
    --start;
  }
  return start == 0 || may_precede_value(static_cast<unsigned char>(content[start - 1]));
}

} // namespace

bool may_contain_credentials(std::string_view content)
{
  // One pass: a run of 37+ key, token or base64 characters, or the letters that start every name
  // and prefix we report ("cf", "cloudflare", "x-auth"). Table-driven, no per-byte tolower().
  std::size_t run = 0;
  std::uint8_t prev = 0;
  for (char ch : content) {
    std::uint8_t cls = k_classes[static_cast<unsigned char>(ch)];
    run = (cls & k_credential) != 0 ? run + 1 : 0;
    if (run >= 37) {
      return true;
    }
    if (((prev & k_c) != 0 && (cls & k_f_or_l) != 0) || ((prev & k_x) != 0 && (cls & k_dash) != 0)) {
      return true;
    }
    prev = cls;
  }
  return false;
}

// Teddy-style multi-literal filter (Hyperscan's "Teddy", as used by ripgrep): needles go to 8
// buckets by their first three bytes; for 16 positions at once, nibble look-ups (pshufb) give the
// buckets whose three-byte fingerprint may start there. Candidates are verified byte by byte.
struct Prefilter::Tables {
  alignas(16) std::uint8_t lo[3][16] = {};
  alignas(16) std::uint8_t hi[3][16] = {};
  std::array<std::vector<std::uint16_t>, 8> buckets;
  std::array<std::vector<std::uint16_t>, 256> by_first;  // scalar fallback: needles by first byte
  bool ssse3 = false;
};

Prefilter::Prefilter(const RecipeIndex& index) : m_tables(std::make_unique<Tables>())
{
  std::vector<std::string> needles;
  for (std::string_view s : k_context_free) {
    needles.emplace_back(s);
  }
  for (std::string_view s : k_placeholder_words) {
    needles.emplace_back(s);
  }
  bool pass_all = false;
  for (const auto& r : index.recipes()) {
    const auto& d = r.detect;
    auto add_names = [&] {
      for (const auto* list : {&d.key_names, &d.token_names}) {
        for (const auto& n : *list) {
          needles.push_back(lower(n));
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
      needles.push_back(lower(s));
    }
    if (empty_signal) {
      add_names();  // an empty signal is found in every file
    }
    for (const auto& p : d.paths) {
      PathGlob g{p, {}};
      std::size_t start = 0;
      for (std::size_t i = 0; i <= p.size(); ++i) {
        if (i == p.size() || p[i] == '*' || p[i] == '?') {
          if (i - start > g.literal.size()) {
            g.literal = p.substr(start, i - start);
          }
          start = i + 1;
        }
      }
      m_globs.push_back(std::move(g));
    }
  }
  // Drop empty and duplicate needles, and those containing a shorter one (it is found first).
  std::sort(needles.begin(), needles.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  needles.erase(std::unique(needles.begin(), needles.end()), needles.end());
  for (const auto& n : needles) {
    if (n.empty()) {
      pass_all = true;
      continue;
    }
    bool redundant = std::any_of(m_needles.begin(), m_needles.end(),
                                 [&](const std::string& shorter) { return n.find(shorter) != std::string::npos; });
    if (!redundant) {
      m_needles.push_back(n);
    }
  }
  if (pass_all || m_needles.size() > 60000) {
    m_needles = {""};  // matches everywhere: the content test passes every file
  }

  Tables& t = *m_tables;
  std::vector<std::uint16_t> order(m_needles.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<std::uint16_t>(i);
  }
  std::sort(order.begin(), order.end(), [&](std::uint16_t a, std::uint16_t b) {
    return m_needles[a].substr(0, 3) < m_needles[b].substr(0, 3);
  });
  for (std::size_t i = 0; i < order.size(); ++i) {
    std::size_t bucket = i * 8 / order.size();
    const std::string& n = m_needles[order[i]];
    t.buckets[bucket].push_back(order[i]);
    auto bit = static_cast<std::uint8_t>(1U << bucket);
    for (std::size_t j = 0; j < 3; ++j) {
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
#ifdef CFMIGRATE_PREFILTER_X86
  t.ssse3 = __builtin_cpu_supports("ssse3") != 0;
#endif
}

Prefilter::~Prefilter() = default;

namespace {

struct ScanState {
  std::string_view content;
  const std::vector<std::string>* needles;
  const Prefilter::Tables* tables;
  std::size_t base64_run = 0;
};

// Tracks runs of base64 characters over consecutive blocks; `inv` has a bit for every position of
// the block (of `valid` positions) that is not a base64 character. True on a run of k_base64_run.
bool base64_block(ScanState& s, unsigned inv, unsigned valid)
{
  if (inv == 0) {
    s.base64_run += valid;
    return s.base64_run >= k_base64_run;
  }
  auto lead = static_cast<unsigned>(__builtin_ctz(inv));
  if (s.base64_run + lead >= k_base64_run) {
    return true;
  }
  unsigned last = 31U - static_cast<unsigned>(__builtin_clz(inv));
  s.base64_run = valid - 1 - last;
  return false;
}

bool scalar_range(ScanState& s, std::size_t from, std::size_t to)
{
  const auto* p = reinterpret_cast<const unsigned char*>(s.content.data());
  for (std::size_t i = from; i < to; ++i) {
    unsigned char c = p[i];
    if (c == '<') {
      return true;
    }
    if ((k_classes[c] & k_base64) != 0) {
      if (++s.base64_run >= k_base64_run) {
        return true;
      }
    } else {
      s.base64_run = 0;
    }
    if (i + k_same_run <= s.content.size() && p[i + 1] == c && same_run_at(s.content, i)) {
      return true;
    }
    for (std::uint16_t n : s.tables->by_first[c]) {
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

// One block of 16 positions at `q` (20 readable bytes), the first at offset `base` of the content;
// only the first `valid` positions are part of the content.
__attribute__((target("ssse3"))) bool ssse3_block(ScanState& s, const unsigned char* q, std::size_t base,
                                                   unsigned valid)
{
  const Prefilter::Tables& t = *s.tables;
  unsigned valid_mask = valid >= 16 ? 0xFFFFU : (1U << valid) - 1U;
  __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 1));
  __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 2));

  // '<' anywhere: a value holding it is a placeholder.
  if ((static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v0, _mm_set1_epi8('<')))) & valid_mask) != 0) {
    return true;
  }

  // Base64 characters (signed compares: bytes >= 0x80 are negative and never in range).
  __m128i folded = _mm_or_si128(v0, _mm_set1_epi8(0x20));
  __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)), _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), folded));
  __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v0, _mm_set1_epi8('0' - 1)), _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v0));
  __m128i sym = _mm_or_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v0, _mm_set1_epi8('/')));
  auto b64 = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), sym)));
  if (base64_block(s, ~b64 & valid_mask, valid)) {
    return true;
  }

  // Five equal bytes in a row (not blanks): verified by same_run_at.
  __m128i v3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 3));
  __m128i v4 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 4));
  __m128i same = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v0, v1), _mm_cmpeq_epi8(v0, v2)),
                               _mm_and_si128(_mm_cmpeq_epi8(v0, v3), _mm_cmpeq_epi8(v0, v4)));
  __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v0, _mm_set1_epi8('\t'))),
                               _mm_or_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v0, _mm_set1_epi8('\n'))));
  auto runs = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(blank, same))) & valid_mask;
  while (runs != 0) {
    auto k = static_cast<unsigned>(__builtin_ctz(runs));
    runs &= runs - 1;
    if (same_run_at(s.content, base + k)) {
      return true;
    }
  }

  // Teddy: buckets whose 3-byte fingerprint may start at each position.
  __m128i hits = _mm_and_si128(_mm_and_si128(teddy_lookup(t, v0, 0), teddy_lookup(t, v1, 1)), teddy_lookup(t, v2, 2));
  auto candidates = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(hits, _mm_setzero_si128()))) & valid_mask;
  if (candidates == 0) {
    return false;
  }
  alignas(16) std::uint8_t bits[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(bits), hits);
  while (candidates != 0) {
    auto k = static_cast<unsigned>(__builtin_ctz(candidates));
    candidates &= candidates - 1;
    unsigned b = bits[k];
    while (b != 0) {
      auto bucket = static_cast<unsigned>(__builtin_ctz(b));
      b &= b - 1;
      for (std::uint16_t n : t.buckets[bucket]) {
        if (needle_at(s.content, base + k, (*s.needles)[n])) {
          return true;
        }
      }
    }
  }
  return false;
}

bool ssse3_scan(ScanState& s)
{
  const auto* p = reinterpret_cast<const unsigned char*>(s.content.data());
  std::size_t n = s.content.size();
  std::size_t i = 0;
  for (; i + 20 <= n; i += 16) {
    if (ssse3_block(s, p + i, i, 16)) {
      return true;
    }
  }
  // The last bytes, from a zero-padded copy (a NUL is none of the bytes looked for).
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
#endif

} // namespace

bool Prefilter::content_may_matter(std::string_view content) const
{
  ScanState s{content, &m_needles, m_tables.get()};
  if (m_needles.size() == 1 && m_needles[0].empty()) {
    return true;
  }
#ifdef CFMIGRATE_PREFILTER_X86
  if (m_tables->ssse3) {
    return ssse3_scan(s);
  }
#endif
  return scalar_range(s, 0, content.size());
}

bool Prefilter::path_may_matter(std::string_view reported_path) const
{
  return std::any_of(m_globs.begin(), m_globs.end(), [&](const PathGlob& g) {
    return reported_path.find(g.literal) != std::string_view::npos && recipe::glob_match(g.pattern, reported_path);
  });
}

bool Prefilter::may_contain_credentials(std::string_view reported_path, std::string_view content) const
{
  return scan::may_contain_credentials(content) && (content_may_matter(content) || path_may_matter(reported_path));
}

} // namespace cfmigrate::scan
