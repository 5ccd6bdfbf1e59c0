// Drives `cfmigrate apply`, `rollback`, `status` and `finalize` against the emulator over TLS on
// scenario trees: a full multi-file, multi-token migration and its rollback byte for byte, modes,
// owners, a symlinked and a read-only config, stale plans, other hosts and versions, lock
// contention, rollback conflicts, dry runs, slow token propagation, finalize, and a canary test that
// no key or token value reaches any output, plan, journal or state file.
// Helpers: apply_test_support.hpp. Secrets are compared with bools only, never printed.

#include <cfmigrate/cli/exit_codes.hpp>

#include "apply_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace cfmigrate::apply_test;
namespace test = cfmigrate::test;
using cfmigrate::cli::k_exit_error;
using cfmigrate::cli::k_exit_found;
using cfmigrate::cli::k_exit_incompatible;
using cfmigrate::cli::k_exit_locked;
using cfmigrate::cli::k_exit_ok;
using cfmigrate::cli::k_exit_stale;

namespace {

// "effect|group-id|resource=value" for every (group, resource) pair of a policy list: plan and
// emulator policies compare equal when their signatures do.
std::set<std::string> policy_signature(const json::array& policies)
{
  std::set<std::string> out;
  for (const auto& p : policies) {
    std::string effect(p.at("effect").as_string());
    for (const auto& g : p.at("permission_groups").as_array()) {
      for (const auto& [resource, value] : p.at("resources").as_object()) {
        out.insert(effect + "|" + std::string(g.at("id").as_string()) + "|" + std::string(resource) + "=" + json::serialize(value));
      }
    }
  }
  return out;
}

// Holds <state>/lock through a child `flock -o LOCK sleep 30` until destroyed.
class LockHolder {
public:
  explicit LockHolder(const fs::path& lock)
  {
    std::vector<std::string> args{"/usr/bin/flock", "-o", lock.string(), "sleep", "30"};
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    BOOST_TEST_REQUIRE(posix_spawn(&m_pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
    // Wait until the child holds it.
    for (int i = 0; i < 500; ++i) {
      int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
      if (fd >= 0) {
        bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
        ::close(fd);
        if (!free) {
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_FAIL("the flock child never took the lock");
  }
  ~LockHolder()
  {
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;

private:
  pid_t m_pid = -1;
};

std::string random_hex(std::size_t n)
{
  std::random_device rd;
  std::string out;
  while (out.size() < n) {
    out += "0123456789abcdef"[rd() % 16];
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(apply_cli)

BOOST_AUTO_TEST_CASE(full_apply_status_reapply_rollback)
{
  Emulator emulator;
  World w(emulator, full_scenario());
  w.plan_or_fail();
  BOOST_TEST_REQUIRE(w.plan().tokens.size() == 4U);
  BOOST_TEST_REQUIRE(w.plan().edits.size() == 5U);
  // The planner follows the symlink: the target is what the plan edits.
  BOOST_TEST(w.plan().file("/opt/secrets/ddclient.conf") != nullptr);

  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  BOOST_TEST(contains(applied.out, "Created 4 token(s), rewrote 5 file(s)."), safe(applied.out));
  BOOST_TEST(contains(applied.out, "ddclient: systemctl restart ddclient"));

  // Every planned file: no Global key, its token in place, the rest of the bytes as planned, the
  // unplanned file and the symlink untouched; modes and owners kept.
  Snapshot now = w.now();
  MigratedCheck check = check_migrated(w.plan(), w.original(), now);
  BOOST_TEST(check.ok(), check.why);
  BOOST_TEST(check.tokens.size() == 4U);
  for (const auto& e : w.plan().edits) {
    BOOST_TEST(!contains(now[e.path].content, k_key), e.path << " still holds the Global key");
  }
  BOOST_TEST(now["/etc/letsencrypt/cloudflare.ini"].mode == 0600U);
  BOOST_TEST(now["/srv/traefik/.env"].mode == 0640U);
  BOOST_TEST(now["/usr/local/bin/purge-cache.sh"].mode == 0750U);
  BOOST_TEST(now["/opt/secrets/ddclient.conf"].mode == 0444U);  // read-only, rewritten, still read-only
  BOOST_TEST(now["/etc/ddclient.conf"].symlink);
  BOOST_TEST(now["/etc/ddclient.conf"].link == "../opt/secrets/ddclient.conf");
  BOOST_TEST(test::read_file(w.root() / "etc/ddclient.conf") == now["/opt/secrets/ddclient.conf"].content);
  if (running_as_root()) {
    BOOST_TEST(now["/srv/traefik/.env"].uid == k_nobody);
    BOOST_TEST(now["/srv/traefik/.env"].gid == k_nobody);
    BOOST_TEST(now["/srv/traefik/docker-compose.yml"].uid == k_nobody);
  } else {
    BOOST_TEST_MESSAGE("not root: ownership preservation is only checked for the caller's own uid");
  }

  // The emulator: exactly the planned tokens (names and policies), each verified by its file.
  BOOST_TEST(w.migrated_diff() == "");
  auto tokens = emulator.tokens();
  BOOST_TEST_REQUIRE(tokens.size() == 4U);
  json::value plan_json = json::parse(w.plan_text());
  for (const auto& planned : plan_json.at("tokens").as_array()) {
    const json::object* found = nullptr;
    for (const auto& t : tokens) {
      if (is_run_of(t.at("name").as_string(), planned.at("name").as_string())) {
        found = &t;
      }
    }
    BOOST_TEST_REQUIRE(found != nullptr, "no token named " << planned.at("name").as_string());
    BOOST_TEST(policy_signature(found->at("policies").as_array()) == policy_signature(planned.at("policies").as_array()),
               "policies of " << planned.at("name").as_string());
  }

  // status: applied, every token verified, every file verified.
  ProcessResult status = w.status_json();
  BOOST_TEST_REQUIRE(status.exit_code == k_exit_ok, status.err);
  json::value s = json::parse(status.out);
  BOOST_TEST_REQUIRE(s.at("migrations").as_array().size() == 1U);
  const auto& m = s.at("migrations").at(0);
  BOOST_TEST(m.at("plan_id").as_string() == w.plan().plan_id);
  BOOST_TEST(m.at("state").as_string() == "applied");
  BOOST_TEST(m.at("tokens").as_array().size() == 4U);
  for (const auto& t : m.at("tokens").as_array()) {
    BOOST_TEST(t.at("state").as_string() == "verified");
  }
  BOOST_TEST(m.at("files").as_array().size() == 5U);
  for (const auto& f : m.at("files").as_array()) {
    BOOST_TEST(f.at("state").as_string() == "verified");
  }

  // apply again: nothing to do, nothing changes, no new token.
  ProcessResult again = w.apply();
  BOOST_TEST(again.exit_code == k_exit_ok, safe(again.err));
  BOOST_TEST(contains(again.out, "already applied"), safe(again.out));
  BOOST_TEST(differences(now, w.now()) == "");
  BOOST_TEST(token_names(emulator.tokens()) == token_names(tokens), boost::test_tools::per_element());

  // rollback: every file byte for byte (content, mode, owner, link), no token left.
  ProcessResult rolled = w.rollback();
  BOOST_TEST_REQUIRE(rolled.exit_code == k_exit_ok, safe(rolled.out + rolled.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
  BOOST_TEST(w.migration_state() == "rolled_back");

  // rollback again: a no-op.
  ProcessResult twice = w.rollback();
  BOOST_TEST(twice.exit_code == k_exit_ok, safe(twice.out + twice.err));
  BOOST_TEST(contains(twice.out, "already rolled back"), safe(twice.out));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

BOOST_AUTO_TEST_CASE(stale_plan_changes_nothing)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();

  // Content changed after planning.
  fs::path env = w.root() / "srv/traefik/.env";
  std::string original_env = test::read_file(env);
  {
    std::ofstream out(env, std::ios::app);
    out << "# added after planning\n";
  }
  Snapshot modified = w.now();
  ProcessResult r = w.apply();
  BOOST_TEST(r.exit_code == k_exit_stale, safe(r.out + r.err));
  BOOST_TEST(contains(r.err, "/srv/traefik/.env"), safe(r.err));
  BOOST_TEST(contains(r.err, "stale"));
  BOOST_TEST(differences(modified, w.now()) == "");
  BOOST_TEST(no_tokens(emulator));

  // Same bytes, but another inode (an editor's save-by-rename): stale too.
  fs::path replacement = w.root() / "srv/traefik/.env.new";
  {
    std::ofstream out(replacement, std::ios::binary);
    out << original_env;
  }
  fs::permissions(replacement, fs::perms(0640));
  if (running_as_root()) {
    BOOST_REQUIRE(::chown(replacement.c_str(), k_nobody, k_nobody) == 0);
  }
  fs::rename(replacement, env);
  BOOST_TEST(w.original_diff() == "");
  ProcessResult inode = w.apply();
  BOOST_TEST(inode.exit_code == k_exit_stale, safe(inode.out + inode.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

// Issue 12, finding 9: a file name that is not UTF-8 (byte 0xff) is kept losslessly in the plan
// (display "path" plus base64 "path_bytes"), and apply of that plan accepts it and edits the file.
BOOST_AUTO_TEST_CASE(non_utf8_path_round_trips_through_plan_and_apply)
{
  const std::string dir = std::string("/srv/traefik-\xff");
  Emulator emulator;
  World w(emulator, Scenario{{
    {dir + "/docker-compose.yml", traefik_compose("shop.example.com"), 0644, false, ""},
    {dir + "/.env", traefik_env(k_key), 0640, false, ""},
  }});
  w.plan_or_fail();
  BOOST_TEST(json::parse(w.plan_text()).is_object());  // still valid JSON
  BOOST_TEST(contains(w.plan_text(), "\"path_bytes\""), safe(w.plan_text()));
  BOOST_TEST_REQUIRE(w.plan().file(dir + "/.env") != nullptr);

  // apply accepts the plan: validation, the stale check (by the raw bytes) and the run-through.
  ProcessResult dry = w.apply({"--dry-run"});
  BOOST_TEST(dry.exit_code == k_exit_ok, safe(dry.out + dry.err));
  BOOST_TEST(contains(dry.out, "nothing was changed"), safe(dry.out));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));

  // The real apply backs the file up (sidecar "original_path_bytes"), journals it ("path_bytes")
  // and rewrites it; rollback finds it again by its raw bytes.
  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  BOOST_TEST(!contains(test::read_file(w.root() / (dir.substr(1) + "/.env")), k_key));
  ProcessResult rolled = w.rollback();
  BOOST_TEST(rolled.exit_code == k_exit_ok, safe(rolled.out + rolled.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

BOOST_AUTO_TEST_CASE(plan_for_another_host_or_version_is_refused)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  ProcessResult other = w.apply({}, {}, "other");
  BOOST_TEST(other.exit_code == k_exit_incompatible, safe(other.out + other.err));
  BOOST_TEST(contains(other.err, "web-01"), safe(other.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));

  // A plan from another minor version.
  json::value plan = json::parse(w.plan_text());
  plan.as_object()["tool_version"] = "9.9.0";
  fs::path old_plan = w.dir() / "old-plan.json";
  std::ofstream(old_plan) << json::serialize(plan);
  ProcessResult version = w.run(w.exec_args({"apply", old_plan.string(), "--yes", "--trust-plan"}));
  BOOST_TEST(version.exit_code == k_exit_incompatible, safe(version.out + version.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

BOOST_AUTO_TEST_CASE(lock_contention_exits_4)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  fs::create_directories(w.state());
  fs::permissions(w.state(), fs::perms(0700));
  {
    LockHolder holder(w.state() / "lock");
    ProcessResult r = w.apply();
    BOOST_TEST(r.exit_code == k_exit_locked, safe(r.out + r.err));
    BOOST_TEST(w.original_diff() == "");
    BOOST_TEST(no_tokens(emulator));
  }
  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  {
    LockHolder holder(w.state() / "lock");
    Snapshot migrated = w.now();
    ProcessResult rollback = w.rollback();
    BOOST_TEST(rollback.exit_code == k_exit_locked, safe(rollback.out + rollback.err));
    ProcessResult finalize = w.run({"finalize", w.plan().plan_id, "--state-dir", w.state().string()});
    BOOST_TEST(finalize.exit_code == k_exit_locked, safe(finalize.out + finalize.err));
    BOOST_TEST(differences(migrated, w.now()) == "");
    BOOST_TEST(emulator.tokens().size() == 2U);
  }
  ProcessResult rollback = w.rollback();
  BOOST_TEST(rollback.exit_code == k_exit_ok, safe(rollback.out + rollback.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

BOOST_AUTO_TEST_CASE(rollback_conflict_reports_masked_diff_then_force)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  auto values = w.file_tokens();
  BOOST_TEST_REQUIRE(values.size() == 2U);

  // The user edits a migrated file.
  fs::path env = w.root() / "srv/traefik/.env";
  {
    std::ofstream out(env, std::ios::app);
    out << "TZ=Europe/Paris # edited by hand\n";
  }
  Snapshot edited = w.now();
  ProcessResult r = w.rollback();
  BOOST_TEST(r.exit_code == k_exit_found, safe(r.out + r.err));
  BOOST_TEST(contains(r.out, "--- /srv/traefik/.env"), safe(r.out));
  BOOST_TEST(contains(r.out, "+TZ=Europe/Paris # edited by hand"), safe(r.out));
  BOOST_TEST(contains(r.out, "--force"), safe(r.out));
  // The diff is masked: neither the key nor a token value.
  BOOST_TEST(!contains(r.out + r.err, k_key), "the Global key is in rollback's output");
  for (const auto& [key, value] : values) {
    BOOST_TEST(!contains(r.out + r.err, value), "token " << key << " is in rollback's output");
  }
  // The edited file is left alone, the other files are restored, the tokens are kept.
  Snapshot after = w.now();
  BOOST_TEST((edited["/srv/traefik/.env"] == after["/srv/traefik/.env"]), "the edited file was changed");
  BOOST_TEST((after["/etc/letsencrypt/cloudflare.ini"] == w.original().at("/etc/letsencrypt/cloudflare.ini")),
             "the unedited file was not restored");
  BOOST_TEST(emulator.tokens().size() == 2U);

  ProcessResult forced = w.rollback({"--force"});
  BOOST_TEST(forced.exit_code == k_exit_ok, safe(forced.out + forced.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

BOOST_AUTO_TEST_CASE(dry_run_then_apply_then_finalize)
{
  Emulator emulator;
  World w(emulator, full_scenario());
  w.plan_or_fail();

  ProcessResult dry = w.apply({"--dry-run"});
  BOOST_TEST(dry.exit_code == k_exit_ok, safe(dry.out + dry.err));
  BOOST_TEST(contains(dry.out, "[dry run] create token"), safe(dry.out));
  BOOST_TEST(contains(dry.out, "[dry run] rewrite /srv/traefik/.env"), safe(dry.out));
  BOOST_TEST(contains(dry.out, "nothing was changed"), safe(dry.out));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
  BOOST_TEST(!fs::exists(w.state() / "migrations" / w.plan().plan_id / "journal.jsonl"));

  // The dry run left the plan applicable (same inodes).
  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  BOOST_TEST(w.migrated_diff() == "");
  fs::path backups = w.state() / "migrations" / w.plan().plan_id / "backups";
  BOOST_TEST(!files_under(backups).empty());

  // finalize: backups deleted, no usage left.
  ProcessResult fin = w.run({"finalize", w.plan().plan_id, "--state-dir", w.state().string()});
  BOOST_TEST(fin.exit_code == k_exit_ok, safe(fin.out + fin.err));
  BOOST_TEST(contains(fin.out, "No usage of the migrated Global key(s) remains"), safe(fin.out));
  BOOST_TEST(files_under(backups).empty());
  BOOST_TEST(w.migration_state() == "finalized");
  BOOST_TEST(w.migrated_diff() == "");

  // A key left in a file the plan did not cover: reported (path, never the key), exit 2.
  fs::path extra = w.root() / "etc/letsencrypt/extra.ini";
  std::ofstream(extra) << certbot_ini(k_email, k_key);
  ProcessResult left = w.run({"finalize", w.plan().plan_id, "--state-dir", w.state().string()});
  BOOST_TEST(left.exit_code == k_exit_found, safe(left.out + left.err));
  BOOST_TEST(contains(left.out, "/etc/letsencrypt/extra.ini"), safe(left.out));
  BOOST_TEST(!contains(left.out + left.err, k_key));

  // A finalized migration cannot be rolled back (its backups are gone): an error, nothing touched.
  Snapshot before = w.now();
  ProcessResult rollback = w.rollback();
  BOOST_TEST(rollback.exit_code == k_exit_error, safe(rollback.out + rollback.err));
  BOOST_TEST(differences(before, w.now()) == "");
  BOOST_TEST(emulator.tokens().size() == 4U);
}

BOOST_AUTO_TEST_CASE(slow_token_propagation_still_succeeds)
{
  Emulator emulator({"--token-propagation-seconds", "2"});
  World w(emulator, small_scenario());
  w.plan_or_fail();
  auto start = std::chrono::steady_clock::now();
  ProcessResult applied = w.apply();
  auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  BOOST_TEST(w.migrated_diff() == "");
  // Each token had to wait for propagation before any file used it.
  BOOST_TEST(took >= std::chrono::seconds(2));
}

// A unique Global key for a second emulator user; every command's output, the plan files, the
// journal and every state file except the backups' content must hold neither it nor any token.
BOOST_AUTO_TEST_CASE(canary_key_and_tokens_appear_nowhere)
{
  const std::string canary = random_hex(37);
  const std::string canary_email = "canary@example.net";
  const std::string canary_user = "c0ffee00c0ffee00c0ffee00c0ffee00";
  const std::string canary_account = "ca11ab1eca11ab1eca11ab1eca11ab1e";
  Emulator emulator({}, [&](json::object& seed) {
    seed["users"].as_array().push_back(json::object{
      {"id", canary_user}, {"email", canary_email}, {"global_key", canary}, {"accounts", json::array{canary_account}}});
    seed["accounts"].as_array().push_back(json::object{{"id", canary_account}, {"name", "Canary Account"}});
    seed["zones"].as_array().push_back(
      json::object{{"id", "0ddba11c0ffee0ddba11c0ffee000001"}, {"name", "example.net"}, {"account", canary_account}});
  });
  Scenario scenario{{
    {"/etc/letsencrypt/cloudflare.ini", certbot_ini(canary_email, canary), 0600, false, ""},
    {"/etc/letsencrypt/renewal/example.net.conf", certbot_renewal("example.net"), 0644, false, ""},
    {"/srv/traefik/docker-compose.yml", traefik_compose("shop.example.net", canary_email), 0644, false, ""},
    {"/srv/traefik/.env", traefik_env(canary), 0640, false, ""},
  }};
  World w(emulator, scenario);
  std::vector<std::pair<std::string, std::string>> captured;  // what, text
  auto keep = [&](const std::string& what, const ProcessResult& r) {
    captured.emplace_back(what + " stdout", r.out);
    captured.emplace_back(what + " stderr", r.err);
  };
  std::string root = w.root().string();

  for (const std::string format : {"human", "json", "sarif"}) {
    ProcessResult scan = w.run({"scan", "--root", root, "--format", format});
    BOOST_TEST(scan.exit_code == k_exit_found, "scan --format " << format << ": " << safe(scan.err));
    keep("scan " + format, scan);
  }
  fs::path scan_file = w.dir() / "scan.json";
  keep("scan -o", w.run({"scan", "--root", root, "--format", "json", "-o", scan_file.string()}));
  captured.emplace_back("scan file", test::read_file(scan_file));

  ProcessResult plan_json = w.run_plan("web-01", {"--format", "json"});
  keep("plan --format json", plan_json);
  BOOST_TEST_REQUIRE(plan_json.exit_code == k_exit_found, safe(plan_json.err));
  keep("plan", w.run_plan());
  captured.emplace_back("plan file 1", w.plan_text());
  keep("show", w.run({"show", w.plan_path().string()}));
  keep("dry run", w.apply({"--dry-run"}));

  // A failing apply (rolled back): its error paths print too.
  ProcessResult failed = w.apply({}, {"CFMIGRATE_FAIL_AT=verify_file:2"});
  BOOST_TEST(failed.exit_code == k_exit_error, safe(failed.err));
  keep("failed apply", failed);
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));

  // Plan again (the rollback gave the files new inodes) and apply for real.
  keep("plan 2", w.run_plan());
  captured.emplace_back("plan file 2", w.plan_text());
  ProcessResult applied = w.apply();
  keep("apply", applied);
  BOOST_TEST_REQUIRE(applied.exit_code == k_exit_ok, safe(applied.out + applied.err));
  BOOST_TEST(w.migrated_diff() == "");
  const auto values = w.file_tokens();
  BOOST_TEST_REQUIRE(values.size() == 2U);
  keep("status", w.run({"status", "--state-dir", w.state().string()}));
  keep("status json", w.status_json());
  keep("scan after apply", w.run({"scan", "--root", root, "--format", "json"}));

  // Conflicts print masked diffs of files that hold the tokens.
  for (const char* path : {"srv/traefik/.env", "etc/letsencrypt/cloudflare.ini"}) {
    std::ofstream(w.root() / path, std::ios::app) << "# edited\n";
  }
  ProcessResult conflict = w.rollback();
  BOOST_TEST(conflict.exit_code == k_exit_found, safe(conflict.out + conflict.err));
  keep("rollback with conflicts", conflict);
  ProcessResult forced = w.rollback({"--force"});
  BOOST_TEST(forced.exit_code == k_exit_ok, safe(forced.out + forced.err));
  keep("rollback --force", forced);
  BOOST_TEST(no_tokens(emulator));
  keep("status after rollback", w.run({"status", "--state-dir", w.state().string()}));

  // Everything under the state dir except the backups' content (which legitimately hold the
  // original files): journals, plans, backup sidecars, the lock.
  std::size_t state_files = 0;
  for (const auto& file : files_under(w.state())) {
    if (file.extension() == ".bak") {
      continue;
    }
    ++state_files;
    captured.emplace_back("state file " + fs::relative(file, w.state()).string(), test::read_file(file));
  }
  BOOST_TEST(state_files >= 4U);

  for (const auto& [what, text] : captured) {
    BOOST_TEST(!contains(text, canary), "the canary key is in " << what);
    for (const auto& [key, value] : values) {
      BOOST_TEST(!contains(text, value), "token " << key << " is in " << what);
    }
    BOOST_TEST(credential_shaped_runs(text) == 0U, "a credential-shaped string is in " << what);
  }
}

BOOST_AUTO_TEST_SUITE_END()
