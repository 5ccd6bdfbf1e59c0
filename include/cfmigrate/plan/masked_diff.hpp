#pragma once
// Unified diffs with every secret masked: old credential values show as their fingerprint,
// new tokens as a placeholder naming the planned token.

#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/scan/finding.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::plan {

struct Mask {
  scan::Span span;    // bytes of a credential in the original content
  std::string label;  // what to show instead ("<global key sha256:…>")
};

// `content` is the original file; `changes` its planned changes; `masks` the credential spans to
// hide on the old side (and wherever unchanged text would show them). `context` lines around
// each hunk. Empty when nothing changes.
std::string masked_unified_diff(const std::string& path, std::string_view content, const std::vector<Change>& changes,
                                const std::vector<Mask>& masks, int context = 3);

} // namespace cfmigrate::plan
