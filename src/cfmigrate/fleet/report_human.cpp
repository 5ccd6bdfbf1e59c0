// The fleet report for people: what `cfmigrate report` prints without --format json.
#include <cfmigrate/fleet/report.hpp>

#include <cfmigrate/util/join.hpp>

#include <iomanip>
#include <ostream>

namespace cfmigrate::fleet {

void write_human(std::ostream& out, const Fleet& fleet)
{
  const Totals& t = fleet.totals;
  out << "Fleet: " << t.hosts << " host(s): " << t.scanned << " scanned, " << t.planned << " planned, " << t.with_status
      << " with status\n";
  std::string states;
  for (const auto& [state, n] : t.states) {
    states += (states.empty() ? "" : ", ") + std::to_string(n) + " " + state;
  }
  out << "States: " << states << "\n\n";

  out << "Global API keys\n";
  if (fleet.keys.empty()) {
    out << "  (none found)\n";
  }
  for (const auto& k : fleet.keys) {
    out << "  " << k.fingerprint << "  " << (k.emails.empty() ? std::string("(no e-mail)") : join(k.emails)) << "  used on "
        << k.hosts_using() << " host(s)";
    if (!k.planned_hosts.empty()) {
      out << ", planned away on " << k.planned_hosts.size();
    }
    out << (k.can_roll ? "  -> can be rolled" : "") << "\n";
    std::size_t width = 4;
    for (const auto& h : k.hosts) {
      width = std::max(width, h.host.size());
    }
    for (const auto& h : k.hosts) {
      out << "    " << std::left << std::setw(static_cast<int>(width)) << h.host << "  " << join(h.programs) << "  ("
          << join(h.paths) << ")" << (h.active == 0 ? "  [commented out only]" : "") << "\n";
    }
  }
  out << "\nHosts\n";
  std::size_t width = 4;
  for (const auto& h : fleet.hosts) {
    width = std::max(width, h.host.size());
  }
  const int w = static_cast<int>(width);
  out << "  " << std::left << std::setw(w) << "host" << "  " << std::setw(13) << "state" << std::right << std::setw(9)
      << "key uses" << std::setw(16) << "tokens (live)" << std::setw(15) << "files changed" << std::setw(10) << "restored"
      << std::setw(10) << "failures" << std::setw(11) << "rollbacks" << "\n";
  for (const auto& h : fleet.hosts) {
    const MigrationTotals done = h.migration_totals();
    const std::string uses = h.scanned ? std::to_string(h.active_usages()) : std::string("?");
    const std::string tokens = std::to_string(done.tokens_created) + " (" + std::to_string(done.tokens_live) + ")";
    out << "  " << std::left << std::setw(w) << h.host << "  " << std::setw(13) << h.state() << std::right << std::setw(9) << uses
        << std::setw(16) << tokens << std::setw(15) << done.files_changed << std::setw(10) << done.files_restored
        << std::setw(10) << done.failures << std::setw(11) << done.rollbacks << "\n";
    for (const auto& m : h.migrations) {
      for (const auto& [step, message] : m.failures) {
        out << "    " << m.plan_id << " failed at " << step << ": " << message << "\n";
      }
    }
  }
  out << "\nTotals: " << t.tokens_created << " token(s) created (" << t.tokens_live << " live), " << t.files_changed
      << " file(s) changed, " << t.files_restored << " restored, " << t.failures << " failure(s), " << t.rollbacks
      << " rollback(s); " << t.global_key_usages << " Global key usage(s) on " << t.hosts_using_global_key << " host(s)\n";

  out << "\nCan the Global key be rolled now? " << (fleet.can_roll ? "YES" : "NO") << "\n";
  if (fleet.can_roll && !fleet.keys.empty()) {
    out << "  No host uses it and no migration is in progress or failed. Finalize the hosts (their\n"
           "  backups hold the key), then roll it: My Profile > API Tokens > Global API Key > Change.\n";
  }
  for (const auto& b : fleet.blockers) {
    out << "  - " << b << "\n";
  }
  if (!fleet.notes.empty()) {
    out << "\nNotes\n";
    for (const auto& n : fleet.notes) {
      out << "  - " << n << "\n";
    }
  }
  if (!fleet.warnings.empty()) {
    out << "\nWarnings\n";
    for (const auto& wn : fleet.warnings) {
      out << "  - " << wn << "\n";
    }
  }
}

} // namespace cfmigrate::fleet
