// The hostile-user suite (issue 12, "Tests"): runs as root, migrates a file a local user owns
// (/home/alice/.acme.sh/account.conf, alice = uid 65534), pauses apply and rollback at every step
// through the test-only pause hook (tests/support/pause_hook.hpp; cfmigrate-with-faults) and, while
// root waits, lets that user (setpriv --reuid=65534) swap the file or its directory: for a symlink
// to a root-only "victim" file outside the root, its directory for a link to the victim's
// directory, a FIFO, a link to /dev/zero, a hard link to the victim (where fs.protected_hardlinks
// allows it) or another regular file. No race: every step is attacked exactly once.
//
// For every (step, attack): the run ends (no hang), by itself, with exit 0 or a clear error (never
// a signal); the victim and its directory are unchanged and nothing appears next to them; no
// victim content, key or token is printed; and, once the test has put the user's original back,
// the tree is consistently migrated (with working tokens) or original, and a plain `rollback`
// brings everything back with no token left. Skipped (with a message) unless root with setpriv.
// Helpers: hostile_user_support.hpp, apply_test_support.hpp.

#include "hostile_user_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace cfmigrate::apply_test;
using namespace cfmigrate::hostile_test;
namespace test = cfmigrate::test;
namespace cli = cfmigrate::cli;

namespace {

const std::string k_file = "/home/alice/.acme.sh/account.conf";
constexpr int k_rollback_conflicts = cli::k_exit_found;  // rollback: files left in conflict

Scenario acme_scenario()
{
  const std::string conf = "ACCOUNT_EMAIL='" + k_email + "'\nSAVED_CF_Key='" + k_key + "'\nSAVED_CF_Email='" + k_email + "'\n";
  return Scenario{{{k_file, conf, 0600, true, ""}}};
}

bool can_run()
{
  if (!running_as_root()) {
    BOOST_TEST_MESSAGE("hostile_user: skipped, not running as root");
    return false;
  }
  if (!fs::exists(k_setpriv)) {
    BOOST_TEST_MESSAGE("hostile_user: skipped, " << k_setpriv << " is missing");
    return false;
  }
  return true;
}

enum class Phase { apply, rollback };

const char* to_string(Phase p) { return p == Phase::apply ? "apply" : "rollback"; }

// One emulator, one planned one-file world and a victim; each attack gets a fresh tree (the same
// plan, its inodes refreshed) and a fresh state dir.
struct Rig {
  Rig() : world(emulator, acme_scenario()), victim("account.conf")
  {
    hand_home_to_alice();
    world.plan_or_fail();
    hard_links = hard_links_to_victim_allowed(victim, file().parent_path());
  }

  fs::path file() const { return world.root() / k_file.substr(1); }

  // alice (uid 65534) owns her home and ~/.acme.sh, and can reach them from /.
  void hand_home_to_alice() const
  {
    BOOST_REQUIRE(::chmod(world.dir().c_str(), 0755) == 0);
    for (const fs::path& d : {world.root() / "home/alice", world.root() / "home/alice/.acme.sh"}) {
      BOOST_REQUIRE(::chown(d.c_str(), k_nobody, k_nobody) == 0);
      BOOST_REQUIRE(::chmod(d.c_str(), 0755) == 0);
    }
  }

  void fresh()
  {
    world.reset_tree();
    hand_home_to_alice();
    world.use_state_dir(world.dir() / ("state-" + std::to_string(++runs)));
  }

  std::vector<std::string> args(Phase phase) const
  {
    if (phase == Phase::apply) {
      return world.exec_args({"apply", world.plan_path().string(), "--yes", "--verify-timeout", "20"});
    }
    return world.exec_args({"rollback", "--last", "--yes"});
  }

  Emulator emulator;
  World world;
  Victim victim;
  bool hard_links = false;
  unsigned runs = 0;
};

// Every "<point>:<n>" a clean run of `phase` visits, from the pause hook's log (no pause). For
// rollback, the world is applied first. Leaves the world rolled back.
std::vector<std::string> enumerate_points(Rig& rig, Phase phase)
{
  rig.fresh();
  if (phase == Phase::rollback) {
    ProcessResult applied = rig.world.apply();
    BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
  }
  PausedRun run(rig.args(phase), "");
  BOOST_TEST_REQUIRE(run.start());
  ProcessResult r = run.finish();
  BOOST_TEST_REQUIRE(r.exit_code == cli::k_exit_ok, safe(r.out + r.err));
  std::vector<std::string> points;
  for (const std::string& line : run.visits()) {
    const std::size_t sp = line.rfind(' ');
    points.push_back(line.substr(0, sp) + ":" + line.substr(sp + 1));
  }
  if (phase == Phase::apply) {
    ProcessResult rolled = rig.world.rollback();
    BOOST_TEST_REQUIRE(rolled.exit_code == cli::k_exit_ok, safe(rolled.out + rolled.err));
  }
  BOOST_TEST_REQUIRE(no_tokens(rig.emulator));
  return points;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// After the run: the user's original back in place, then the tree must be a consistent result of
// the run, and a plain rollback must bring back the original with no token left.
void check_recoverable(Rig& rig, Phase phase, Attack attack, int exit_code)
{
  undo_attack(attack, rig.file());
  const bool original = rig.world.original_diff().empty();
  if (exit_code == cli::k_exit_ok && phase == Phase::apply) {
    BOOST_TEST(rig.world.migrated_diff() == "", "exit 0, yet not consistently migrated");
  } else if (exit_code == cli::k_exit_ok) {
    BOOST_TEST(original, "rollback exit 0, yet: " << rig.world.original_diff());
    BOOST_TEST(no_tokens(rig.emulator), "rollback exit 0, yet tokens are left");
  } else {
    BOOST_TEST((original || rig.world.migrated_diff().empty()), "neither original nor migrated: " << rig.world.original_diff());
  }
  const std::string state = rig.world.migration_state();
  if (state != "rolled_back" && state != "") {
    ProcessResult rolled = rig.world.rollback();
    BOOST_TEST(rolled.exit_code == cli::k_exit_ok, "the rollback after " << state << ": " << safe(rolled.out + rolled.err));
  }
  BOOST_TEST(rig.world.original_diff() == "");
  BOOST_TEST(no_tokens(rig.emulator), rig.emulator.tokens().size() << " token(s) left");
}

// `phase` paused at `point` ("" = attacked before it starts), `attack` made as alice meanwhile.
void attack_at(Rig& rig, Phase phase, const std::string& point, Attack attack)
{
  BOOST_TEST_CONTEXT(to_string(phase) << " paused at " << (point.empty() ? "(before the run)" : point) << ", attack "
                                      << to_string(attack))
  {
    rig.fresh();
    if (phase == Phase::rollback) {
      ProcessResult applied = rig.world.apply();
      BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
    }
    const Stat victim_before = stat_of(rig.victim.file());
    const Stat dev_zero_before = stat_of("/dev/zero");
    const std::string script = attack_script(attack, rig.file(), rig.victim);
    PausedRun run(rig.args(phase), point);
    bool attacked = false;
    if (point.empty()) {
      attacked = run_as_nobody(script);
      BOOST_TEST_REQUIRE(run.start());
    } else {
      BOOST_TEST_REQUIRE(run.start());
      BOOST_TEST_REQUIRE(run.wait_paused(), "the run never reached " << point);
      attacked = run_as_nobody(script);
      run.resume();
    }
    ProcessResult r = run.finish();
    BOOST_TEST(attacked, "the attack itself failed: " << script);
    BOOST_TEST(!run.hung(), "the run did not end within 60 s");
    // rollback exits 2 when it left files in conflict alone (docs/exit-codes.md), and says so on stdout.
    const bool clear_exit = r.exit_code == cli::k_exit_ok || r.exit_code == cli::k_exit_error
                            || (phase == Phase::apply && r.exit_code == cli::k_exit_stale)
                            || (phase == Phase::rollback && r.exit_code == k_rollback_conflicts);
    BOOST_TEST(clear_exit, "exit " << r.exit_code << ": " << safe(r.out + r.err));
    BOOST_TEST((r.exit_code == cli::k_exit_ok || !(r.out + r.err).empty()), "failed without a word");
    BOOST_TEST((stat_of(rig.victim.file()) == victim_before), "the victim changed");
    BOOST_TEST(rig.victim.changes() == "");
    BOOST_TEST((stat_of("/dev/zero") == dev_zero_before));
    BOOST_TEST(!contains(r.out + r.err, rig.victim.marker()), "root-only content printed");
    BOOST_TEST(!contains(r.out + r.err, k_key), "the Global key printed");
    BOOST_TEST(credential_shaped_runs(r.out + r.err) == 0U, "a credential-shaped value printed: " << safe(r.out + r.err));
    check_recoverable(rig, phase, attack, r.exit_code);
  }
}

// Every attack at the start (before the run) and at every step of `phase`.
void attack_every_step(Phase phase)
{
  Rig rig;
  std::vector<std::string> points = enumerate_points(rig, phase);
  if (phase == Phase::apply) {
    for (const char* p : {"journal:1", "token_create:1", "backup:1", "write:open_temp:1", "write:rename:1", "write:fsync_dir:1", "verify_file:1"}) {
      BOOST_TEST_REQUIRE(has(points, p), "apply never visits " << p);
    }
  } else {
    for (const char* p : {"restore:1", "restore_write:open_temp:1", "restore_write:rename:1", "token_delete:1"}) {
      BOOST_TEST_REQUIRE(has(points, p), "rollback never visits " << p);
    }
  }
  points.insert(points.begin(), "");
  unsigned combinations = 0;
  for (Attack attack : k_all_attacks) {
    if (attack == Attack::file_hard_link_to_victim && !rig.hard_links) {
      BOOST_TEST_MESSAGE("hostile_user: " << to_string(attack) << " skipped: fs.protected_hardlinks refuses the link");
      continue;
    }
    for (const std::string& point : points) {
      attack_at(rig, phase, point, attack);
      ++combinations;
    }
  }
  BOOST_TEST_MESSAGE("hostile_user: " << to_string(phase) << ": " << points.size() << " points (incl. before the run) x attacks = "
                                      << combinations << " runs");
}

} // namespace

BOOST_AUTO_TEST_SUITE(hostile_user)

// Finding 1 of issue 12: alice swaps ~/.acme.sh/account.conf for a symlink to a root-owned file
// between apply's stale check and the replace (right after the check, and right before the
// rename). The root-owned file is unchanged, apply says why and exits non-zero.
BOOST_AUTO_TEST_CASE(finding1_symlink_swap_between_stale_check_and_replace)
{
  if (!can_run()) {
    return;
  }
  Rig rig;
  for (const char* point : {"journal:1", "write:rename:1"}) {
    BOOST_TEST_CONTEXT("paused at " << point)
    {
      rig.fresh();
      const Stat victim_before = stat_of(rig.victim.file());
      PausedRun run(rig.args(Phase::apply), point);
      BOOST_TEST_REQUIRE(run.start());
      BOOST_TEST_REQUIRE(run.wait_paused());
      BOOST_TEST_REQUIRE(run_as_nobody(attack_script(Attack::file_symlink_to_victim, rig.file(), rig.victim)));
      run.resume();
      ProcessResult r = run.finish();
      BOOST_TEST((stat_of(rig.victim.file()) == victim_before), "the root-owned file changed");
      BOOST_TEST(r.exit_code == cli::k_exit_error, safe(r.out + r.err));
      BOOST_TEST(contains(r.err, k_file), "the error does not name the file: " << safe(r.err));
      BOOST_TEST(!contains(r.out + r.err, rig.victim.marker()));
      check_recoverable(rig, Phase::apply, Attack::file_symlink_to_victim, r.exit_code);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_step_of_apply)
{
  if (can_run()) {
    attack_every_step(Phase::apply);
  }
}

BOOST_AUTO_TEST_CASE(every_step_of_rollback)
{
  if (can_run()) {
    attack_every_step(Phase::rollback);
  }
}

BOOST_AUTO_TEST_SUITE_END()
