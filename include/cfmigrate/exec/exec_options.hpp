#pragma once
// The options of apply and rollback: shared by the executor and the run context, so that neither
// header needs the other.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/cloudflare/credentials.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

namespace cfmigrate::exec {

struct ExecOptions {
  std::string state_dir = "/var/lib/cfmigrate";
  std::string host;              // this host's name; a plan for another host is refused
  std::string root;              // empty: the plan's root
  bool dry_run = false;          // same code path, nothing mutated
  bool no_rollback = false;      // keep a failed apply's partial state for --resume
  bool resume = false;           // continue an interrupted apply from its journal
  bool force = false;            // rollback: restore over files changed since apply (current one backed up)
  std::chrono::milliseconds verify_timeout{60000};
  cloudflare::ClientOptions client;
  std::optional<cloudflare::Credentials> credentials;  // from the environment, for env-sourced plans
  std::string post_hook;         // run once per program after success, CFMIGRATE_PROGRAM set
  std::ostream* log = nullptr;   // progress lines (never secrets)
};

} // namespace cfmigrate::exec
