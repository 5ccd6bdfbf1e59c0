// Regression tests for issue 12, findings 2, 3, 4, 6, 7 and 8: rollback (and, for FIFOs, apply)
// on a host where another user changes things between apply and rollback, where two migrations
// share a host name, where the tree moved, and where the journal was damaged. Each case drives the
// built binaries against the emulator and states what the code before commit 78c3c0a did (from
// the text); every case fails on that code.
// Helpers: apply_test_support.hpp. Secrets are compared with bools only, never printed.

#include "apply_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace cfmigrate::apply_test;
namespace test = cfmigrate::test;
namespace cli = cfmigrate::cli;

namespace {

std::string sh_quoted(const fs::path& p)
{
  return "'" + p.string() + "'";
}

// Runs `script` with /bin/sh as uid/gid 65534 when root (the "other user" of the issue), else as
// the caller: the checks under test are on identities, not on who changed them.
ProcessResult as_other_user(const std::string& script)
{
  if (running_as_root()) {
    return test::run_process(
        {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", script});
  }
  return test::run_process({"/bin/sh", "-c", script});
}

// Lets uid 65534 reach the world's tree (the test's temporary directory is 0700).
void open_world_to_other_user(const World& w)
{
  BOOST_REQUIRE(::chmod(w.dir().c_str(), 0711) == 0);
  BOOST_REQUIRE(::chmod(w.root().c_str(), 0755) == 0);
}

// A cfmigrate run that cannot hang the suite or eat the machine: killed after 30 s, and (except
// under a sanitizer, which reserves huge address ranges) limited to 2 GiB of address space.
struct BoundedRun {
  ProcessResult result;
  std::chrono::milliseconds took{0};
  bool timed_out() const { return result.exit_code == 124 || result.exit_code == 137; }
};

BoundedRun run_bounded(const World& w, const std::vector<std::string>& args)
{
  std::vector<std::string> argv;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  argv = {"/usr/bin/prlimit", "--as=2147483648", "--"};
#endif
  for (const char* a : {"/usr/bin/timeout", "-k", "5", "30", CFMIGRATE_BINARY}) {
    argv.emplace_back(a);
  }
  auto exec = w.exec_args(args);
  argv.insert(argv.end(), exec.begin(), exec.end());
  const auto start = std::chrono::steady_clock::now();
  BoundedRun run;
  run.result = test::run_process(argv);
  run.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return run;
}

std::set<std::string> token_ids(const Emulator& emulator)
{
  std::set<std::string> ids;
  for (const auto& t : emulator.tokens()) {
    ids.emplace(t.at("id").as_string());
  }
  return ids;
}

// How many of `values` (token values, secret) the emulator still verifies as active.
std::size_t still_verifying(const Emulator& emulator, const std::map<std::string, std::string>& values)
{
  std::size_t n = 0;
  for (const auto& [key, value] : values) {
    n += emulator.verify(value).empty() ? 0U : 1U;
  }
  return n;
}

std::string random_hex(std::size_t n)
{
  std::random_device rd;
  std::string out;
  while (out.size() < n) {
    out += "0123456789abcdef"[rd() % 16];
  }
  return out;
}

void replace_with_fifo(const fs::path& path)
{
  fs::remove(path);
  BOOST_REQUIRE(::mkfifo(path.c_str(), 0644) == 0);
}

void replace_with_dev_zero_link(const fs::path& path)
{
  fs::remove(path);
  fs::create_symlink("/dev/zero", path);
}

// Finding 7's common verdict: the run ended on its own, quickly, with an error (not a signal)
// that names the path. Returns its output for further checks.
std::string expect_refused_promptly(const BoundedRun& run, const char* command, const std::string& path)
{
  const std::string all = run.result.out + run.result.err;
  BOOST_TEST(!run.timed_out(), command << " was killed after " << run.took.count() << " ms");
  BOOST_TEST(run.took < std::chrono::seconds(15));
  BOOST_TEST(run.result.exit_code != cli::k_exit_ok, safe(all));
  BOOST_TEST(run.result.exit_code < 128, command << " died of signal " << run.result.exit_code - 128);
  BOOST_TEST(contains(all, path), safe(all));
  return all;
}

} // namespace

BOOST_AUTO_TEST_SUITE(rollback_hostile)

// Finding 2. Before: rollback restored by name, so a directory of the migrated path swapped for a
// symlink to a root-owned directory made root create a user-owned file there; with --force a
// root-only file was replaced (and chowned to the user) and the conflict diff printed its contents.
BOOST_AUTO_TEST_CASE(f2_directory_swapped_for_a_symlink_is_an_identity_conflict)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  // /srv and /srv/traefik belong to the other user, as a home directory would.
  if (running_as_root()) {
    for (const char* dir : {"srv", "srv/traefik"}) {
      BOOST_REQUIRE(::chown((w.root() / dir).c_str(), k_nobody, k_nobody) == 0);
    }
  }
  open_world_to_other_user(w);
  w.plan_or_fail();
  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
  const std::set<std::string> tokens = token_ids(emulator);

  // A root-owned directory outside the root, holding root-only files of the names rollback restores.
  const fs::path outside = w.dir() / "outside";
  const std::string canary = "root-only-canary-" + random_hex(12);
  fs::create_directories(outside);
  for (const char* name : {".env", "docker-compose.yml"}) {
    std::ofstream(outside / name) << canary << " " << name << "\n";
    BOOST_REQUIRE(::chmod((outside / name).c_str(), 0600) == 0);
  }
  const Snapshot outside_before = snapshot(outside);
  const fs::path traefik = w.root() / "srv/traefik";
  ProcessResult swapped = as_other_user("mv " + sh_quoted(traefik) + " " + sh_quoted(traefik.string() + ".away")
                                        + " && ln -s " + sh_quoted(outside) + " " + sh_quoted(traefik));
  BOOST_TEST_REQUIRE(swapped.exit_code == 0, swapped.err);

  for (const bool force : {false, true}) {
    BOOST_TEST_CONTEXT((force ? "rollback --force" : "rollback"))
    {
      ProcessResult r = w.rollback(force ? std::vector<std::string>{"--force"} : std::vector<std::string>{});
      const std::string all = r.out + r.err;
      BOOST_TEST(r.exit_code == cli::k_exit_found, safe(all));
      BOOST_TEST(contains(all, "identity changed"), safe(all));
      BOOST_TEST(contains(all, "/srv/traefik/.env"), safe(all));
      BOOST_TEST(contains(all, "/srv/traefik/docker-compose.yml"), safe(all));
      BOOST_TEST(!contains(all, canary), "rollback printed the outside directory's content");
      BOOST_TEST(!contains(all, k_key));
      BOOST_TEST(credential_shaped_runs(all) == 0U, safe(all));
      BOOST_TEST(differences(outside_before, snapshot(outside)) == "");
      BOOST_TEST(fs::is_symlink(traefik));
      // A conflict keeps every token: a file left alone may still use one.
      BOOST_TEST((token_ids(emulator) == tokens));
    }
  }
  // The files whose directories kept their identity were restored.
  const Snapshot now = w.now();
  for (const char* path : {"/etc/letsencrypt/cloudflare.ini", "/etc/letsencrypt/renewal/example.com.conf"}) {
    BOOST_TEST((now.at(path) == w.original().at(path)), path);
  }
}

// Finding 3. Before: rollback looked tokens up by name, so rolling back the second of two
// migrations with the same host name (one plan applied with two state dirs) deleted the first
// one's live tokens, in an explicit rollback and in apply's automatic rollback alike. (Commit
// c442a4b already used a journalled id when there was one; the name lookup for a create whose id
// was not journalled still matched every token of that name, and the names were the same.)
BOOST_AUTO_TEST_CASE(f3_rollback_deletes_only_its_own_tokens)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  w.use_state_dir(w.dir() / "state-first");
  ProcessResult first = w.apply();
  BOOST_TEST_REQUIRE(first.exit_code == cli::k_exit_ok, safe(first.out + first.err));
  const std::map<std::string, std::string> first_values = w.file_tokens();
  const std::set<std::string> first_ids = token_ids(emulator);
  BOOST_TEST_REQUIRE(first_values.size() == w.plan().tokens.size());

  // The same plan on a fresh copy of the tree, with another state dir, then rolled back.
  w.reset_tree();
  w.use_state_dir(w.dir() / "state-second");
  ProcessResult second = w.apply();
  BOOST_TEST_REQUIRE(second.exit_code == cli::k_exit_ok, safe(second.out + second.err));
  const std::map<std::string, std::string> second_values = w.file_tokens();
  BOOST_TEST_REQUIRE(token_ids(emulator).size() == 2 * first_ids.size());
  ProcessResult rolled = w.rollback();
  BOOST_TEST(rolled.exit_code == cli::k_exit_ok, safe(rolled.out + rolled.err));
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST((token_ids(emulator) == first_ids));
  BOOST_TEST(still_verifying(emulator, first_values) == first_values.size());
  BOOST_TEST(still_verifying(emulator, second_values) == 0U);

  // Applies whose journal loses a token's id (the write of "token_created", record 3, fails): the
  // token exists but only its intent is journalled, so rollback must look it up by name. Neither
  // apply's automatic rollback nor an explicit rollback may take the first run's tokens with it.
  for (const bool automatic : {true, false}) {
    BOOST_TEST_CONTEXT((automatic ? "automatic rollback" : "rollback after apply --no-rollback"))
    {
      w.reset_tree();
      w.use_state_dir(w.dir() / (automatic ? "state-third" : "state-fourth"));
      ProcessResult third = w.apply(automatic ? std::vector<std::string>{} : std::vector<std::string>{"--no-rollback"},
                                    {"CFMIGRATE_FAIL_AT=journal:3"});
      BOOST_TEST(third.exit_code == cli::k_exit_error, safe(third.out + third.err));
      if (!automatic) {
        BOOST_TEST_REQUIRE(token_ids(emulator).size() == first_ids.size() + 1); // the orphan
        ProcessResult r = w.rollback();
        BOOST_TEST(r.exit_code == cli::k_exit_ok, safe(r.out + r.err));
      } else {
        BOOST_TEST(contains(third.err, "rolled back"), safe(third.err));
      }
      BOOST_TEST(w.original_diff() == "");
      BOOST_TEST((token_ids(emulator) == first_ids)); // the orphan deleted, the first run's kept
      BOOST_TEST(still_verifying(emulator, first_values) == first_values.size());
    }
  }
}

// Finding 4. Before: `rollback --root NEWDIR` checked NEWDIR but restored into the old absolute
// paths, overwriting whatever tree lived there by then.
BOOST_AUTO_TEST_CASE(f4_rollback_root_restores_beneath_the_new_root)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  Scenario other = small_scenario();
  for (auto& f : other.files) {
    f.content = "another tree lives here now: " + f.path + "\n";
  }
  for (const std::string how : {"move", "copy"}) {
    BOOST_TEST_CONTEXT("tree " << how << "d after apply")
    {
      w.reset_tree();
      w.use_state_dir(w.dir() / ("state-" + how));
      ProcessResult applied = w.apply();
      BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
      const fs::path moved = w.dir() / ("root-" + how);
      if (how == "move") {
        fs::rename(w.root(), moved);
      } else {
        ProcessResult copied = test::run_process({"/bin/cp", "-a", w.root().string(), moved.string()});
        BOOST_TEST_REQUIRE(copied.exit_code == 0, copied.err);
      }
      materialize(other, w.root());
      const Snapshot other_before = w.now();

      ProcessResult r = w.rollback({"--root", moved.string()});
      BOOST_TEST(r.exit_code == cli::k_exit_ok, safe(r.out + r.err));
      BOOST_TEST(differences(w.original(), snapshot(moved)) == "");
      BOOST_TEST(differences(other_before, w.now()) == "");
      BOOST_TEST(no_tokens(emulator));
    }
  }
}

// Finding 6. Before: the conflict diff of a file someone edited after apply printed it as it is,
// including the live token apply had written into it.
BOOST_AUTO_TEST_CASE(f6_conflict_diff_masks_a_live_token)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  ProcessResult applied = w.apply();
  BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
  const std::map<std::string, std::string> values = w.file_tokens();
  BOOST_TEST_REQUIRE(!values.empty());

  // Someone copies the live token into a note of a format no recipe knows, in place.
  const fs::path env = w.root() / "srv/traefik/.env";
  std::string note;
  for (const auto& [key, value] : values) {
    note += "# kept for the old deploy script: " + value + " (ask ops)\n";
  }
  std::ofstream(env, std::ios::binary | std::ios::app) << note;

  ProcessResult r = w.rollback();
  const std::string all = r.out + r.err;
  BOOST_TEST(r.exit_code == cli::k_exit_found, safe(all));
  BOOST_TEST(contains(all, "/srv/traefik/.env"), safe(all));
  BOOST_TEST(contains(all, "kept for the old deploy script"), safe(all));   // the diff is shown...
  BOOST_TEST(contains(all, "<hidden credential-shaped value>"), safe(all)); // ...masked
  for (const auto& [key, value] : values) {
    BOOST_TEST(!contains(all, value), "the conflict diff shows the live token for " << key);
  }
  BOOST_TEST(!contains(all, k_key), "the conflict diff shows the Global key");
  BOOST_TEST(credential_shaped_runs(all) == 0U, safe(all));
  BOOST_TEST(still_verifying(emulator, values) == values.size());

  // --force overrides a content conflict (and still shows no secret).
  ProcessResult forced = w.rollback({"--force"});
  BOOST_TEST(forced.exit_code == cli::k_exit_ok, safe(forced.out + forced.err));
  BOOST_TEST(credential_shaped_runs(forced.out + forced.err) == 0U);
  BOOST_TEST(w.original_diff() == "");
  BOOST_TEST(no_tokens(emulator));
}

// Finding 7, rollback. Before: a migrated file replaced by a FIFO hung rollback forever (holding
// the state lock); a symlink to /dev/zero made it read without bound.
BOOST_AUTO_TEST_CASE(f7_rollback_refuses_a_fifo_or_device_link_promptly)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  const fs::path target = w.root() / "etc/letsencrypt/cloudflare.ini";
  int runs = 0;
  for (const std::string kind : {"fifo", "/dev/zero link"}) {
    BOOST_TEST_CONTEXT("file replaced by a " << kind)
    {
      w.reset_tree();
      w.use_state_dir(w.dir() / ("state-" + std::to_string(++runs)));
      ProcessResult applied = w.apply();
      BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
      kind == "fifo" ? replace_with_fifo(target) : replace_with_dev_zero_link(target);

      BoundedRun run = run_bounded(w, {"rollback", "--last", "--yes"});
      const std::string all = expect_refused_promptly(run, "rollback", "/etc/letsencrypt/cloudflare.ini");
      BOOST_TEST(credential_shaped_runs(all) == 0U, safe(all));
      // The FIFO is left as it is (snapshots would block on it: look at its type only).
      struct stat st {};
      BOOST_TEST(::lstat(target.c_str(), &st) == 0);
      BOOST_TEST((kind == "fifo" ? S_ISFIFO(st.st_mode) : S_ISLNK(st.st_mode)));
      fs::remove(target);
    }
  }
}

// Finding 7, apply. Before: a planned file replaced by a FIFO hung apply forever (holding the
// state lock); a symlink to /dev/zero made it read without bound.
BOOST_AUTO_TEST_CASE(f7_apply_refuses_a_fifo_or_device_link_promptly)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  const fs::path target = w.root() / "etc/letsencrypt/cloudflare.ini";
  int runs = 0;
  for (const std::string kind : {"fifo", "/dev/zero link"}) {
    BOOST_TEST_CONTEXT("planned file replaced by a " << kind)
    {
      w.reset_tree();
      w.use_state_dir(w.dir() / ("state-" + std::to_string(++runs)));
      kind == "fifo" ? replace_with_fifo(target) : replace_with_dev_zero_link(target);

      BoundedRun run = run_bounded(w, {"apply", w.plan_path().string(), "--yes", "--verify-timeout", "20"});
      expect_refused_promptly(run, "apply", "/etc/letsencrypt/cloudflare.ini");
      BOOST_TEST(no_tokens(emulator));
      fs::remove(target);
      Snapshot expected = w.original();
      expected.erase("/etc/letsencrypt/cloudflare.ini");
      BOOST_TEST(differences(expected, w.now()) == "");
    }
  }
}

// Finding 8. Before: with the journal emptied or cut short, rollback said "rolled back", exit 0,
// restored nothing, and deleted every token with a matching name (the name lookup of a create
// whose id the journal lacks).
BOOST_AUTO_TEST_CASE(f8_damaged_journal_keeps_every_token_and_exits_1)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  int runs = 0;
  // Cut after the first token's create intent, the journal asks for a lookup by name.
  for (const std::string damage : {"emptied", "cut to its first line", "cut after its first token intent"}) {
    BOOST_TEST_CONTEXT("journal " << damage)
    {
      w.reset_tree();
      w.use_state_dir(w.dir() / ("state-" + std::to_string(++runs)));
      ProcessResult applied = w.apply();
      BOOST_TEST_REQUIRE(applied.exit_code == cli::k_exit_ok, safe(applied.out + applied.err));
      const std::map<std::string, std::string> values = w.file_tokens();
      const std::set<std::string> ids = token_ids(emulator);
      const fs::path journal = fs::path(w.migration_dir()) / "journal.jsonl";
      std::string text = test::read_file(journal);
      BOOST_TEST_REQUIRE(text.find('\n') != std::string::npos);
      const std::size_t first_line = text.find('\n') + 1;
      if (damage == "emptied") {
        text.clear();
      } else if (damage == "cut to its first line") {
        text.resize(first_line);
      } else {
        BOOST_TEST_REQUIRE(text.substr(first_line).find("token_create_intent") != std::string::npos);
        text.resize(text.find('\n', text.find("token_create_intent")) + 1);
      }
      std::ofstream(journal, std::ios::binary | std::ios::trunc) << text;

      ProcessResult r = w.rollback();
      const std::string all = r.out + r.err;
      BOOST_TEST(r.exit_code == cli::k_exit_error, safe(all));
      BOOST_TEST(contains(all, "damaged"), safe(all));
      BOOST_TEST(contains(all, "no token was deleted"), safe(all));
      BOOST_TEST(!contains(all, "plan " + w.plan().plan_id + " rolled back"), safe(all));
      BOOST_TEST(credential_shaped_runs(all) == 0U, safe(all));
      // Every token kept and alive; no file restored that the journal does not attribute, and
      // each such file named.
      BOOST_TEST((token_ids(emulator) == ids));
      BOOST_TEST(still_verifying(emulator, values) == values.size());
      BOOST_TEST(check_migrated(w.plan(), w.original(), w.now()).why == "");
      for (const auto& e : w.plan().edits) {
        BOOST_TEST(contains(all, e.path), e.path << " is not named: " << safe(all));
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
