#pragma once
// Helpers for the hostile_user suite (test_hostile_user.cpp): a cfmigrate-with-faults run paused at
// one step (tests/support/pause_hook.hpp), commands run as an unprivileged uid through setpriv, a
// root-only "victim" outside the migrated root, and the attacks a local user can make on their own
// files and directories while root works on them.
//
// Secrets: nothing here prints program output; callers pass it through safe().

#include "apply_test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace cfmigrate::hostile_test {

namespace fs = std::filesystem;
using apply_test::k_nobody;
using test::ProcessResult;

inline const char* const k_setpriv = "/usr/bin/setpriv";

// Runs `script` with /bin/sh as uid/gid 65534 with no supplementary groups; true on exit 0.
inline bool run_as_nobody(const std::string& script)
{
  const std::string uid = "--reuid=" + std::to_string(k_nobody);
  const std::string gid = "--regid=" + std::to_string(k_nobody);
  ProcessResult r = test::run_process({k_setpriv, uid, gid, "--clear-groups", "/bin/sh", "-c", script});
  return r.exit_code == 0;
}

// Single-quoted for /bin/sh (the test's temp paths hold no quote, but never rely on it).
inline std::string sh_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

// What a file looks like from outside: enough to tell any change to it.
struct Stat {
  bool exists = false;
  unsigned mode = 0;
  unsigned uid = 0;
  unsigned gid = 0;
  std::uint64_t ino = 0;
  std::uint64_t rdev = 0;
  std::string content;  // regular files only
  bool operator==(const Stat&) const = default;
};

inline Stat stat_of(const fs::path& path)
{
  Stat s;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return s;
  }
  s.exists = true;
  s.mode = st.st_mode;
  s.uid = st.st_uid;
  s.gid = st.st_gid;
  s.ino = st.st_ino;
  s.rdev = st.st_rdev;
  if (S_ISREG(st.st_mode)) {
    s.content = test::read_file(path);
  }
  return s;
}

// A root-only directory outside every root with a 0600 file of known content, named like the
// migrated file so that a write that followed a planted directory link would land on it.
class Victim {
public:
  explicit Victim(const std::string& file_name)
  {
    ::chmod(m_dir.path().c_str(), 0755);  // nobody may point links at it, not write in it
    m_file = m_dir.path() / file_name;
    m_marker = "ROOT-ONLY-VICTIM-" + std::to_string(::getpid()) + "-never-print-me";
    m_dir.write(file_name, "secret=" + m_marker + "\n");
    ::chmod(m_file.c_str(), 0600);
    m_before = listing();
  }

  const fs::path& dir() const { return m_dir.path(); }
  const fs::path& file() const { return m_file; }
  const std::string& marker() const { return m_marker; }

  // Every entry of the victim's directory and its state ("" when unchanged since construction).
  std::string changes() const { return listing() == m_before ? std::string() : std::string("the victim's directory changed"); }

private:
  std::map<std::string, Stat> listing() const
  {
    std::map<std::string, Stat> out;
    for (const auto& e : fs::directory_iterator(m_dir.path())) {
      out[e.path().filename().string()] = stat_of(e.path());
    }
    return out;
  }

  test::TempDir m_dir;
  fs::path m_file;
  std::string m_marker;
  std::map<std::string, Stat> m_before;
};

// ---------------------------------------------------------------------------------------------
// A run of cfmigrate-with-faults that pauses at CFMIGRATE_PAUSE_AT: start(), wait_paused(), change
// the world, resume() and finish().
class PausedRun {
public:
  PausedRun(std::vector<std::string> args, const std::string& pause_at) : m_args(std::move(args))
  {
    ::chmod(m_dir.path().c_str(), 0700);
    m_env.push_back("CFMIGRATE_PAUSE_DIR=" + m_dir.path().string());
    if (!pause_at.empty()) {
      m_env.push_back("CFMIGRATE_PAUSE_AT=" + pause_at);
    }
  }
  ~PausedRun()
  {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      int status = 0;
      ::waitpid(m_pid, &status, 0);
    }
  }
  PausedRun(const PausedRun&) = delete;
  PausedRun& operator=(const PausedRun&) = delete;

  bool start()
  {
    std::vector<std::string> argv{CFMIGRATE_FAULTS_BINARY};
    argv.insert(argv.end(), m_args.begin(), m_args.end());
    std::vector<std::string> environment;
    for (char** e = environ; *e != nullptr; ++e) {
      environment.emplace_back(*e);
    }
    environment.insert(environment.end(), m_env.begin(), m_env.end());
    std::vector<char*> c_argv;
    std::vector<char*> c_env;
    for (auto& a : argv) {
      c_argv.push_back(a.data());
    }
    for (auto& e : environment) {
      c_env.push_back(e.data());
    }
    c_argv.push_back(nullptr);
    c_env.push_back(nullptr);
    const std::string out = (m_dir.path() / "stdout").string();
    const std::string err = (m_dir.path() / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const bool ok = posix_spawn(&m_pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data()) == 0;
    posix_spawn_file_actions_destroy(&actions);
    if (!ok) {
      m_pid = -1;
    }
    return ok;
  }

  // True once the process waits at its pause point; false when it ended (or took 30 s) first.
  bool wait_paused()
  {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(m_dir.path() / "paused")) {
        return true;
      }
      if (reap(false)) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  void resume() const { std::ofstream(m_dir.path() / "go") << "go\n"; }

  // Waits for the end (killing the process after `limit`: a hang is a failure, never a stuck test).
  ProcessResult finish(std::chrono::seconds limit = std::chrono::seconds(60))
  {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (m_pid > 0 && !reap(false)) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(m_pid, SIGKILL);
        reap(true);
        m_hung = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_result.out = test::read_file(m_dir.path() / "stdout");
    m_result.err = test::read_file(m_dir.path() / "stderr");
    return m_result;
  }

  bool hung() const { return m_hung; }

  // The "<point> <n>" lines of every visit, in order.
  std::vector<std::string> visits() const
  {
    std::vector<std::string> out;
    std::istringstream in(test::read_file(m_dir.path() / "visits"));
    for (std::string line; std::getline(in, line);) {
      out.push_back(line);
    }
    return out;
  }

private:
  bool reap(bool block)
  {
    int status = 0;
    const pid_t r = ::waitpid(m_pid, &status, block ? 0 : WNOHANG);
    if (r != m_pid) {
      return false;
    }
    m_result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    m_pid = -1;
    return true;
  }

  test::TempDir m_dir;
  std::vector<std::string> m_args;
  std::vector<std::string> m_env;
  pid_t m_pid = -1;
  bool m_hung = false;
  ProcessResult m_result;
};

// ---------------------------------------------------------------------------------------------
// The attacks: what the owner of the file and its directory does to them while root is paused.
// Each moves the original aside (so the test can put it back and judge what root left there) and
// plants something in its place.
enum class Attack { file_symlink_to_victim, dir_symlink_to_victim_dir, file_fifo, file_symlink_to_dev_zero, file_hard_link_to_victim, file_other_regular };

inline constexpr Attack k_all_attacks[] = {Attack::file_symlink_to_victim, Attack::dir_symlink_to_victim_dir,
                                           Attack::file_fifo,              Attack::file_symlink_to_dev_zero,
                                           Attack::file_hard_link_to_victim, Attack::file_other_regular};

inline const char* to_string(Attack a)
{
  switch (a) {
  case Attack::file_symlink_to_victim: return "file->symlink to victim";
  case Attack::dir_symlink_to_victim_dir: return "parent dir->symlink to victim's dir";
  case Attack::file_fifo: return "file->FIFO";
  case Attack::file_symlink_to_dev_zero: return "file->symlink to /dev/zero";
  case Attack::file_hard_link_to_victim: return "file->hard link to victim";
  case Attack::file_other_regular: return "file->another regular file";
  }
  return "?";
}

inline std::string saved_name(const fs::path& p) { return p.string() + ".attacker-saved"; }

// The shell script uid 65534 runs for `attack` on `file` (its directory is file.parent_path()).
inline std::string attack_script(Attack attack, const fs::path& file, const Victim& victim)
{
  const std::string f = sh_quote(file.string());
  const std::string saved = sh_quote(saved_name(file));
  const std::string aside = "mv -f " + f + " " + saved + " && ";
  switch (attack) {
  case Attack::file_symlink_to_victim: return aside + "ln -s " + sh_quote(victim.file().string()) + " " + f;
  case Attack::dir_symlink_to_victim_dir: {
    const std::string d = sh_quote(file.parent_path().string());
    return "mv -f " + d + " " + sh_quote(saved_name(file.parent_path())) + " && ln -s " + sh_quote(victim.dir().string()) + " " + d;
  }
  case Attack::file_fifo: return aside + "mkfifo -m 600 " + f;
  case Attack::file_symlink_to_dev_zero: return aside + "ln -s /dev/zero " + f;
  case Attack::file_hard_link_to_victim: return aside + "ln " + sh_quote(victim.file().string()) + " " + f;
  case Attack::file_other_regular: return aside + "cp " + saved + " " + f;
  }
  return "false";
}

// Undoes the attack as root: whatever is planted goes, the original comes back to its name. A
// plain copy (file_other_regular) is a legitimate file of the user's: it stays, and what root
// made of it is judged; the original it replaced is dropped.
inline void undo_attack(Attack attack, const fs::path& file)
{
  const fs::path target = attack == Attack::dir_symlink_to_victim_dir ? file.parent_path() : file;
  const fs::path saved = saved_name(target);
  std::error_code ec;
  if (attack == Attack::file_other_regular) {
    fs::remove(saved, ec);
    return;
  }
  if (!fs::exists(fs::symlink_status(saved, ec))) {
    return;
  }
  if (fs::is_symlink(fs::symlink_status(target, ec)) || !fs::is_directory(fs::symlink_status(target, ec))) {
    fs::remove(target, ec);  // a link, FIFO or file: never followed
  }
  fs::rename(saved, target, ec);
}

// Whether an unprivileged user may hard-link a root-only file here (fs.protected_hardlinks = 0).
inline bool hard_links_to_victim_allowed(const Victim& victim, const fs::path& scratch_dir)
{
  const fs::path probe = scratch_dir / "hard-link-probe";
  const bool allowed = run_as_nobody("ln " + sh_quote(victim.file().string()) + " " + sh_quote(probe.string()));
  std::error_code ec;
  fs::remove(probe, ec);
  return allowed;
}

} // namespace cfmigrate::hostile_test
