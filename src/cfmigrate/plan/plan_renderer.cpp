#include <cfmigrate/plan/plan_renderer.hpp>

#include <cfmigrate/plan/permission_names.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <ostream>

namespace cfmigrate::plan {

namespace {

// A plan is read back from a file anyone may have edited, and its paths are file names users
// chose: everything taken from it is escaped so it cannot drive the operator's terminal.
std::string esc(std::string_view text)
{
  return escape_for_terminal(text);
}


std::string join(const std::vector<std::string>& items, const char* separator = ", ")
{
  std::string out;
  for (const auto& i : items) {
    out += (out.empty() ? "" : separator) + i;
  }
  return out;
}

const CreatorCredential* creator(const Plan& plan, const std::string& fingerprint)
{
  for (const auto& c : plan.credentials) {
    if (c.fingerprint == fingerprint) {
      return &c;
    }
  }
  return nullptr;
}

} // namespace

void render_plan(std::ostream& out, const RenderInput& input)
{
  const Plan& plan = *input.plan;
  out << "Plan " << esc(plan.plan_id) << " for host " << esc(plan.host) << " (root " << esc(plan.root) << "), created "
      << esc(plan.created) << "\n\n";
  out << "Tokens to create: " << plan.tokens.size() << "\n";
  for (const auto& t : plan.tokens) {
    out << "  + " << esc(t.name) << "   [" << esc(t.key) << "]\n";
    std::vector<std::string> permissions;
    for (const auto& p : t.permissions) {
      permissions.push_back(dashboard_name(p));
    }
    out << "      permissions: " << join(permissions) << "\n";
    if (t.account_wide) {
      const CreatorCredential* c = creator(plan, t.credential);
      out << "      zones: all zones of account " << (c != nullptr && !c->account_name.empty() ? esc(c->account_name) : "?") << "\n";
    } else {
      out << "      zones: " << esc(join(t.zones)) << "\n";
    }
    out << "      why this scope: " << esc(t.scope_reason) << "\n";
    if (!t.allow_ips.empty()) {
      out << "      client IPs: " << esc(join(t.allow_ips)) << "\n";
    }
    if (t.expires_on) {
      out << "      expires: " << esc(*t.expires_on) << "\n";
    }
    if (const CreatorCredential* c = creator(plan, t.credential)) {
      out << "      created with: " << (c->kind == "global_key" ? "Global API Key " : "API token ") << c->fingerprint
          << (c->email.empty() ? "" : " (" + esc(c->email) + ")") << "\n";
    }
    out << "      used by: " << esc(join(t.files)) << "\n";
  }
  out << "\nFiles to change: " << plan.edits.size() << "\n";
  for (const auto& e : plan.edits) {
    out << "  ~ " << esc(e.path) << "  (" << esc(e.program) << ", " << e.changes.size() << " change(s))\n";
  }
  for (const auto& e : plan.edits) {
    out << "\n";
    auto content = input.contents != nullptr ? input.contents->find(e.path) : decltype(input.contents->end()){};
    if (input.contents == nullptr || content == input.contents->end()) {
      auto why = input.missing_reason.find(e.path);
      out << esc(e.path) << ": no diff (" << (why != input.missing_reason.end() ? esc(why->second) : "content unavailable") << ")\n";
      continue;
    }
    std::vector<Mask> masks;
    if (input.masks != nullptr) {
      if (auto m = input.masks->find(e.path); m != input.masks->end()) {
        masks = m->second;
      }
    }
    out << masked_unified_diff(e.path, content->second, e.changes, masks);
  }
  if (!plan.manual.empty()) {
    out << "\nManual steps: " << plan.manual.size() << "\n";
    for (const auto& m : plan.manual) {
      out << "  ! " << esc(m.program) << "  " << esc(m.path) << (m.line != 0 ? ":" + std::to_string(m.line) : "") << "\n";
      out << "      why: " << esc(m.why) << "\n";
      for (const auto& s : m.steps) {
        out << "      - " << esc(s) << "\n";
      }
      if (!m.permissions.empty()) {
        std::vector<std::string> names;
        for (const auto& p : m.permissions) {
          names.push_back(dashboard_name(p));
        }
        out << "      a token for it needs: " << join(names) << "\n";
      }
    }
  }
  if (!plan.warnings.empty()) {
    out << "\nWarnings: " << plan.warnings.size() << "\n";
    for (const auto& w : plan.warnings) {
      out << "  ? [" << esc(w.code) << "] " << esc(w.message) << "\n";
    }
  }
  if (!plan.reload.empty()) {
    out << "\nAfter apply, reload or check:\n";
    for (const auto& r : plan.reload) {
      out << "  " << esc(r) << "\n";
    }
  }
  out << "\n"
      << (plan.has_changes() ? "Nothing has been changed. Apply with: cfmigrate apply PLAN-FILE\n"
                             : "Nothing to change.\n");
}

} // namespace cfmigrate::plan
