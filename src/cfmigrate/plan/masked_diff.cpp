#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/plan/masked_diff.hpp>

#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <algorithm>

namespace cfmigrate::plan {

namespace {

// The new text with masks applied to unchanged regions and token placeholders in changes.
std::string new_text(std::string_view content, const std::vector<Change>& changes, const std::vector<Mask>& masks)
{
  std::string out;
  std::size_t at = 0;
  auto copy_masked = [&](std::size_t from, std::size_t to) {
    std::vector<Mask> inside;
    for (const auto& m : masks) {
      if (m.span.offset >= from && m.span.end() <= to) {
        inside.push_back(Mask{{m.span.offset - from, m.span.length}, m.label});
      }
    }
    out += mask_text(content.substr(from, to - from), inside);
  };
  for (const auto& c : changes) {
    copy_masked(at, c.offset);
    for (const auto& part : c.replacement) {
      out += part.token_key.empty() ? part.text : "<new token " + part.token_key + (part.base64 ? ", base64" : "") + ">";
    }
    at = c.offset + c.length;
  }
  copy_masked(at, content.size());
  return out;
}

std::vector<std::string> split_lines(const std::string& text)
{
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(at) + "\n\\ No newline at end of file");
      break;
    }
    std::string line = text.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();  // shown without the CR; the file keeps it
    }
    lines.push_back(line);
    at = nl + 1;
  }
  return lines;
}

struct Op {
  char kind;  // ' ', '-', '+'
  std::size_t a;
  std::size_t b;
};

// LCS line diff; config files are small, so O(n*m) is fine (capped by the caller's sizes).
std::vector<Op> diff_lines(const std::vector<std::string>& a, const std::vector<std::string>& b)
{
  std::size_t n = a.size();
  std::size_t m = b.size();
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Op> ops;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ops.push_back({' ', i++, j++});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push_back({'-', i++, j});  // deletions before insertions, as diff(1) shows them
    } else {
      ops.push_back({'+', i, j++});
    }
  }
  return ops;
}

} // namespace

std::optional<Mask> credential_mask(const scan::Finding& finding)
{
  if (finding.credential == scan::Credential::reference) {
    return std::nullopt;
  }
  return Mask{finding.setting.value_span, "<" + std::string(scan::to_string(finding.credential)) + " " + finding.fingerprint + ">"};
}

std::vector<Mask> credential_masks(const recipe::RecipeIndex& index, const std::string& path, std::string_view content)
{
  scan::DetectStats stats;
  std::vector<Mask> masks;
  for (const auto& finding : scan::detect(index, path, content, stats)) {
    if (auto mask = credential_mask(finding)) {
      masks.push_back(std::move(*mask));
    }
  }
  return masks;
}

std::string mask_text(std::string_view content, std::vector<Mask> masks)
{
  std::sort(masks.begin(), masks.end(), [](const Mask& a, const Mask& b) { return a.span.offset < b.span.offset; });
  std::string out;
  std::size_t at = 0;
  for (const auto& m : masks) {
    if (m.span.offset < at || m.span.end() > content.size()) {
      continue;
    }
    out.append(content.substr(at, m.span.offset - at));
    out += m.label;
    at = m.span.end();
  }
  out.append(content.substr(at));
  return out;
}

std::string masked_unified_diff(const std::string& path, std::string_view content, const std::vector<Change>& changes,
                                const std::vector<Mask>& masks, int context)
{
  std::vector<std::string> old_lines = split_lines(mask_text(content, masks));
  std::vector<std::string> new_lines = split_lines(new_text(content, changes, masks));
  std::vector<Op> ops = diff_lines(old_lines, new_lines);
  if (std::all_of(ops.begin(), ops.end(), [](const Op& o) { return o.kind == ' '; })) {
    return {};
  }
  // The path is a user-chosen file name: escaped, as in every other human output.
  const std::string shown = escape_for_terminal(path);
  std::string out = "--- " + shown + "\n+++ " + shown + " (planned)\n";
  std::size_t k = 0;
  auto ctx = static_cast<std::size_t>(context);
  while (k < ops.size()) {
    if (ops[k].kind == ' ') {
      ++k;
      continue;
    }
    std::size_t start = k >= ctx ? k - ctx : 0;
    std::size_t end = k;
    std::size_t quiet = 0;
    while (end < ops.size() && quiet <= 2 * ctx) {
      quiet = ops[end].kind == ' ' ? quiet + 1 : 0;
      ++end;
    }
    end = std::min(ops.size(), end - (quiet > ctx ? quiet - ctx : 0));
    std::size_t a_start = ops[start].a;
    std::size_t b_start = ops[start].b;
    std::size_t a_count = 0;
    std::size_t b_count = 0;
    for (std::size_t x = start; x < end; ++x) {
      a_count += ops[x].kind != '+' ? 1U : 0U;
      b_count += ops[x].kind != '-' ? 1U : 0U;
    }
    out += "@@ -" + std::to_string(a_start + 1) + "," + std::to_string(a_count) + " +" + std::to_string(b_start + 1) + ","
           + std::to_string(b_count) + " @@\n";
    for (std::size_t x = start; x < end; ++x) {
      const std::string& line = ops[x].kind == '+' ? new_lines[ops[x].b] : old_lines[ops[x].a];
      out += ops[x].kind;
      out += line;
      out += '\n';
    }
    k = end;
  }
  return out;
}

} // namespace cfmigrate::plan
