// Fault injection against the test-only binary cfmigrate-with-faults (CFMIGRATE_FAIL_AT, see
// tests/support/fault_injector_from_environment.hpp) and a
// real kill -9 loop: whatever fails and wherever the process dies, apply's automatic rollback,
// `apply --resume` or `rollback` must end with every file byte-identical to its original or to its
// fully migrated form, modes and owners intact, and no token on the emulator that no file uses.
// Scenario: small_scenario() (certbot + traefik: 2 tokens, 3 rewritten files, 1 untouched file).
// Helpers: apply_test_support.hpp. Secrets are never printed.

#include "apply_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace cfmigrate::apply_test;
namespace test = cfmigrate::test;
namespace cli = cfmigrate::cli;
namespace utf = boost::unit_test;

namespace {

// One emulator, one planned small scenario; each run gets a fresh tree (the same plan, its inodes
// refreshed) and a fresh state dir.
struct Rig {
  explicit Rig(std::vector<std::string> emulator_args = {}) : emulator(std::move(emulator_args)), world(emulator, small_scenario())
  {
    world.plan_or_fail();
    tokens = static_cast<unsigned>(world.plan().tokens.size());
    files = static_cast<unsigned>(world.plan().edits.size());
  }

  void fresh(const std::string& label)
  {
    world.reset_tree();
    world.use_state_dir(world.dir() / ("state-" + std::to_string(++runs) + "-" + label));
  }

  // How many times one apply of the plan reaches each fault point.
  std::vector<std::pair<std::string, unsigned>> apply_points() const
  {
    std::vector<std::pair<std::string, unsigned>> points{
      // apply_started, per token intent/created/verified, per file backup/intent/written/verified;
      // the last record ("completed") is apply_journal_completed_failure below.
      {"journal", 1 + 3 * tokens + 4 * files},
      {"token_create", tokens},
      {"token_verify", tokens},
      {"token_check", tokens},
      {"backup", files},
      {"verify_file", files},
    };
    for (const char* step : {"open_temp", "write", "set_owner", "set_xattrs", "set_mode", "fsync_file", "rename", "fsync_dir"}) {
      points.emplace_back(std::string("write:") + step, files);
    }
    return points;
  }

  Emulator emulator;
  World world;
  unsigned tokens = 0;
  unsigned files = 0;
  unsigned runs = 0;
};

std::string fail_at(const std::string& spec) { return "CFMIGRATE_FAIL_AT=" + spec; }

// The run failed where it was told to, printed no secret, and left everything as it was.
void expect_rolled_back(Rig& rig, const std::string& spec, const ProcessResult& r)
{
  BOOST_TEST_CONTEXT("CFMIGRATE_FAIL_AT=" << spec)
  {
    BOOST_TEST(r.exit_code == cli::k_exit_error, safe(r.out + r.err));
    BOOST_TEST(contains(r.err, "injected failure"), safe(r.err));
    BOOST_TEST(!contains(r.out + r.err, k_key));
    BOOST_TEST(rig.world.original_diff() == "");
    BOOST_TEST(no_tokens(rig.emulator));
    if (spec == "journal:1") {
      // The first record failed: nothing was started, so there is nothing to roll back.
      BOOST_TEST(rig.world.migration_state() != "applied");
    } else {
      BOOST_TEST(contains(r.err, "rolled back"), safe(r.err));
      BOOST_TEST(rig.world.migration_state() == "rolled_back");
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(apply_faults)

// Every fault point, every occurrence: apply exits 1 and its automatic rollback restores everything.
BOOST_AUTO_TEST_CASE(every_fault_point_rolls_back)
{
  Rig rig;
  unsigned runs = 0;
  for (const auto& [point, count] : rig.apply_points()) {
    for (unsigned n = 1; n <= count; ++n) {
      std::string spec = point + ":" + std::to_string(n);
      rig.fresh(point);
      expect_rolled_back(rig, spec, rig.world.apply({}, {fail_at(spec)}));
      ++runs;
    }
  }
  // "write" alone is the family of every atomic-write step: its n-th visit across all files.
  unsigned all_steps = 8 * rig.files;
  for (unsigned n : {1U, 9U, all_steps}) {
    std::string spec = "write:" + std::to_string(n);
    rig.fresh("write");
    expect_rolled_back(rig, spec, rig.world.apply({}, {fail_at(spec)}));
    ++runs;
  }
  BOOST_TEST_MESSAGE("apply_faults: " << runs << " injected failures, each rolled back");
}

// --no-rollback keeps the partial state; `apply --resume` then finishes the migration: every file
// in its migrated form, one working token per planned token, none left over.
BOOST_AUTO_TEST_CASE(no_rollback_then_resume_completes)
{
  Rig rig;
  const unsigned t = rig.tokens;
  const std::vector<std::string> specs{
    "token_create:2", "token_verify:1", "token_check:2",
    "journal:3",                   // t1 created, token_created not journalled: looked up by name
    "journal:" + std::to_string(1 + 3 * t + 2),  // first file: write intent not journalled
    "journal:" + std::to_string(1 + 3 * t + 3),  // first file written, file_written not journalled
    "backup:2", "write:write:1" /* a full disk */, "write:rename:2", "write:fsync_dir:3", "verify_file:3",
  };
  for (const auto& spec : specs) {
    BOOST_TEST_CONTEXT("CFMIGRATE_FAIL_AT=" << spec << " --no-rollback, then apply --resume")
    {
      rig.fresh("resume");
      ProcessResult failed = rig.world.apply({"--no-rollback"}, {fail_at(spec)});
      BOOST_TEST(failed.exit_code == cli::k_exit_error, safe(failed.out + failed.err));
      BOOST_TEST(contains(failed.err, "partial state kept"), safe(failed.err));
      BOOST_TEST(rig.world.migration_state() == "failed");
      // Without --resume a second apply refuses to start over.
      ProcessResult refused = rig.world.apply();
      BOOST_TEST(refused.exit_code == cli::k_exit_error, safe(refused.err));
      BOOST_TEST(contains(refused.err, "--resume"), safe(refused.err));

      ProcessResult resumed = rig.world.apply({"--resume"});
      BOOST_TEST(resumed.exit_code == cli::k_exit_ok, safe(resumed.out + resumed.err));
      BOOST_TEST(!contains(resumed.out + resumed.err, k_key));
      BOOST_TEST(rig.world.migrated_diff() == "");
      BOOST_TEST(rig.world.migration_state() == "applied");
      // Clean up for the next round (and check that this rollback works too).
      ProcessResult rolled = rig.world.rollback();
      BOOST_TEST(rolled.exit_code == cli::k_exit_ok, safe(rolled.out + rolled.err));
      BOOST_TEST(rig.world.original_diff() == "");
      BOOST_TEST(no_tokens(rig.emulator));
    }
  }
}

// --no-rollback, then `rollback --last`: back to the original, no token.
BOOST_AUTO_TEST_CASE(no_rollback_then_rollback_restores)
{
  Rig rig;
  const unsigned t = rig.tokens;
  const std::vector<std::string> specs{
    "token_check:1", "journal:6" /* t2 created, not journalled */, "journal:" + std::to_string(1 + 3 * t + 3),
    "write:set_mode:2", "write:fsync_dir:1", "verify_file:2", "journal:" + std::to_string(1 + 3 * t + 4 * rig.files),
  };
  for (const auto& spec : specs) {
    BOOST_TEST_CONTEXT("CFMIGRATE_FAIL_AT=" << spec << " --no-rollback, then rollback --last")
    {
      rig.fresh("rollback");
      ProcessResult failed = rig.world.apply({"--no-rollback"}, {fail_at(spec)});
      BOOST_TEST(failed.exit_code == cli::k_exit_error, safe(failed.out + failed.err));
      ProcessResult rolled = rig.world.rollback();
      BOOST_TEST(rolled.exit_code == cli::k_exit_ok, safe(rolled.out + rolled.err));
      BOOST_TEST(rig.world.original_diff() == "");
      BOOST_TEST(no_tokens(rig.emulator));
      BOOST_TEST(rig.world.migration_state() == "rolled_back");
    }
  }
}

// Faults in rollback itself (restore, token_delete): it exits 1, and running it again finishes.
BOOST_AUTO_TEST_CASE(rollback_fault_points_then_rollback_again)
{
  Rig rig;
  std::vector<std::string> specs;
  for (unsigned n = 1; n <= rig.files; ++n) {
    specs.push_back("restore:" + std::to_string(n));
  }
  for (unsigned n = 1; n <= rig.tokens; ++n) {
    specs.push_back("token_delete:" + std::to_string(n));
  }
  for (const auto& spec : specs) {
    BOOST_TEST_CONTEXT("apply, then rollback with CFMIGRATE_FAIL_AT=" << spec << ", then rollback")
    {
      rig.fresh("rbfault");
      ProcessResult applied = rig.world.apply();
      BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
      ProcessResult failed = rig.world.rollback({}, {fail_at(spec)});
      BOOST_TEST(failed.exit_code == cli::k_exit_error, safe(failed.out + failed.err));
      BOOST_TEST(contains(failed.err, "injected failure"), safe(failed.err));
      // No program points at a deleted token: while any file is still migrated, its token works.
      if (spec.starts_with("restore")) {
        BOOST_TEST(rig.emulator.tokens().size() == rig.tokens);
      }
      ProcessResult rolled = rig.world.rollback();
      BOOST_TEST(rolled.exit_code == cli::k_exit_ok, safe(rolled.out + rolled.err));
      BOOST_TEST(rig.world.original_diff() == "");
      BOOST_TEST(no_tokens(rig.emulator));
    }
  }
}

// Regression: a failure to journal "completed" used to be ignored (apply exited 0 with the journal
// in_progress). It must fail and roll back like every other journal failure.
BOOST_AUTO_TEST_CASE(apply_journal_completed_failure)
{
  Rig rig;
  std::string spec = "journal:" + std::to_string(2 + 3 * rig.tokens + 4 * rig.files);
  rig.fresh("completed");
  ProcessResult r = rig.world.apply({}, {fail_at(spec)});
  bool consistent = r.exit_code == cli::k_exit_error ? rig.world.original_diff().empty() && no_tokens(rig.emulator)
                                     : rig.world.migration_state() == "applied";
  BOOST_TEST(consistent, "exit " << r.exit_code << ", journal state " << rig.world.migration_state());
}

// Regression: a resumed apply that created a replacement token and failed before journalling
// `token_created` used to orphan it (rollback deleted the old id only). Rollback and resume now
// clear the id on a new create and also look tokens up by name.
BOOST_AUTO_TEST_CASE(resume_token_created_not_journalled_orphans_token)
{
  Rig rig;
  rig.fresh("orphan");
  ProcessResult failed = rig.world.apply({"--no-rollback"}, {fail_at("write:rename:1")});
  BOOST_TEST_REQUIRE(failed.exit_code == cli::k_exit_error, safe(failed.err));
  // Resume: apply_started, then per token delete_intent + deleted, then t1's create_intent and
  // (failing) token_created.
  std::string spec = "journal:" + std::to_string(1 + 2 * rig.tokens + 2);
  ProcessResult resumed = rig.world.apply({"--resume"}, {fail_at(spec)});
  BOOST_TEST_REQUIRE(resumed.exit_code == cli::k_exit_error, safe(resumed.err));
  BOOST_TEST_REQUIRE(rig.world.original_diff() == "");
  BOOST_TEST(no_tokens(rig.emulator), rig.emulator.tokens().size() << " orphaned token(s) left after the rollback");
}

// The shipped binary never reads CFMIGRATE_FAIL_AT: with it set, apply still succeeds.
BOOST_AUTO_TEST_CASE(shipped_binary_ignores_fail_at)
{
  Rig rig;
  rig.fresh("shipped");
  std::vector<std::string> args = rig.world.exec_args({"apply", rig.world.plan_path().string(), "--yes", "--verify-timeout", "20"});
  args.insert(args.begin(), CFMIGRATE_BINARY);
  ProcessResult applied = test::run_process(args, {fail_at("token_create")});
  BOOST_TEST(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
  BOOST_TEST(!contains(applied.err, "injected failure"));
  BOOST_TEST(rig.world.migrated_diff() == "");
  BOOST_TEST(rig.world.rollback().exit_code == cli::k_exit_ok);
}

// A real kill -9 at random points of a slow apply (every API answer delayed), then alternately
// `apply --resume` and `rollback --last`: the end state is fully migrated or fully original.
BOOST_AUTO_TEST_CASE(kill_9_loop)
{
  Rig rig({"--delay-ms", "50"});
  // Reference run: how long an apply takes here.
  rig.fresh("reference");
  auto start = std::chrono::steady_clock::now();
  ProcessResult reference = rig.world.apply();
  auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  BOOST_TEST_REQUIRE(reference.exit_code == cli::k_exit_ok, safe(reference.out + reference.err));
  BOOST_TEST_REQUIRE(rig.world.migrated_diff() == "");
  BOOST_TEST_REQUIRE(rig.world.rollback().exit_code == cli::k_exit_ok);
  BOOST_TEST_MESSAGE("kill_9_loop: a reference apply takes " << duration.count() << " ms");

  std::mt19937 rng(20261128);
  const int iterations = 10;
  std::uniform_int_distribution<long> jitter(0, duration.count() / iterations);
  unsigned leftovers = 0;
  for (int i = 0; i < iterations; ++i) {
    // Spread over the run: slot i of `iterations`, plus jitter within the slot.
    auto delay = std::chrono::milliseconds(duration.count() * i / iterations + jitter(rng));
    bool resume = i % 2 == 0;
    BOOST_TEST_CONTEXT("kill -9 after " << delay.count() << " ms, then " << (resume ? "apply --resume" : "rollback --last"))
    {
      rig.fresh("kill");
      std::vector<std::string> args{CFMIGRATE_BINARY, "apply", rig.world.plan_path().string(), "--yes", "--verify-timeout", "20"};
      auto exec = rig.world.exec_args({});
      args.insert(args.end(), exec.begin(), exec.end());
      std::vector<char*> argv;
      for (auto& a : args) {
        argv.push_back(a.data());
      }
      argv.push_back(nullptr);
      std::string out_path = (rig.world.dir() / "killed.out").string();
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
      posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      posix_spawn_file_actions_addopen(&actions, 2, out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      pid_t pid = -1;
      int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      BOOST_TEST_REQUIRE(rc == 0);
      std::this_thread::sleep_for(delay);
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      bool killed = WIFSIGNALED(status);
      BOOST_TEST_MESSAGE("iteration " << i << ": " << (killed ? "killed" : "finished before the kill") << " after "
                                      << delay.count() << " ms");
      BOOST_TEST(!contains(test::read_file(out_path), k_key));

      Snapshot after_kill = rig.world.now();
      std::vector<std::string> temps = temp_leftovers(after_kill);
      leftovers += static_cast<unsigned>(temps.size());
      if (resume) {
        ProcessResult resumed = rig.world.apply({"--resume"});
        BOOST_TEST(resumed.exit_code == cli::k_exit_ok, safe(resumed.out + resumed.err));
        BOOST_TEST(rig.world.migrated_diff(true) == "");
        BOOST_TEST(rig.world.migration_state() == "applied");
        // Back to the original for the next iteration.
        ProcessResult rolled = rig.world.rollback();
        BOOST_TEST(rolled.exit_code == cli::k_exit_ok, safe(rolled.out + rolled.err));
      } else {
        ProcessResult rolled = rig.world.rollback();
        // Killed before the journal existed: there is nothing to roll back.
        bool nothing = rolled.exit_code == cli::k_exit_error && contains(rolled.err, "no migration to roll back");
        BOOST_TEST((rolled.exit_code == cli::k_exit_ok || nothing), safe(rolled.out + rolled.err));
      }
      BOOST_TEST(rig.world.original_diff(true) == "");
      BOOST_TEST(no_tokens(rig.emulator));
      // An atomic write interrupted between creating its temp file and the rename leaves the temp
      // file (0600, next to its target); resume and rollback do not remove it.
      BOOST_WARN_MESSAGE(temp_leftovers(rig.world.now()).empty(), "temp file(s) left next to a target after the kill");
    }
  }
  BOOST_TEST_MESSAGE("kill_9_loop: " << leftovers << " temp file(s) seen right after the kills");
}

BOOST_AUTO_TEST_SUITE_END()
