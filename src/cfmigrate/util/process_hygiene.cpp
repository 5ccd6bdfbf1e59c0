#include <cfmigrate/util/process_hygiene.hpp>

#include <cfmigrate/util/errno_text.hpp>
#include <cfmigrate/util/text.hpp>

#include <cerrno>

#include <csignal>

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cfmigrate {

namespace {

bool starts_with(const std::string& s, std::string_view prefix)
{
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Closes every descriptor from 3 up in a freshly forked child; close_range where the kernel has
// it, a loop up to the descriptor limit otherwise. Only async-signal-safe calls.
void close_inherited_descriptors()
{
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0) {
    return;
  }
#endif
  const long max = ::sysconf(_SC_OPEN_MAX);
  for (long fd = 3; fd < (max > 0 ? max : 65536); ++fd) {
    (void)::close(static_cast<int>(fd));
  }
}

} // namespace

void forbid_core_dumps()
{
  (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  rlimit none{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &none);
}

bool is_credential_variable(const std::string& name)
{
  const std::string lower = to_lower(name);
  if (starts_with(lower, "cloudflare_") || starts_with(lower, "cf_") || starts_with(lower, "cfmigrate_")) {
    return true;
  }
  for (const char* word : {"key", "token", "secret", "password", "passwd", "credential", "auth"}) {
    if (lower.find(word) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> scrubbed_environment(char** environ_in, const std::map<std::string, std::string>& extra)
{
  std::vector<std::string> out;
  for (char** e = environ_in; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (!is_credential_variable(name) && extra.count(name) == 0) {
      out.push_back(entry);
    }
  }
  for (const auto& [name, value] : extra) {
    out.push_back(name + "=" + value);
  }
  return out;
}

Result<int> run_hook(const std::string& command, const std::map<std::string, std::string>& extra)
{
  // Everything the child needs is built before fork: after it only async-signal-safe calls.
  std::vector<std::string> env = scrubbed_environment(environ, extra);
  std::vector<char*> envp;
  for (auto& e : env) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string cmd = command;
  char* argv[] = {shell.data(), dash_c.data(), cmd.data(), nullptr};

  const pid_t pid = ::fork();
  if (pid < 0) {
    return make_error(ErrorCode::io, "cannot start the hook: " + errno_text(errno));
  }
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      (void)::dup2(null_fd, 0);
    }
    close_inherited_descriptors();
    // cfmigrate ignores SIGPIPE (to report EPIPE); the ignored disposition would survive exec.
    (void)::signal(SIGPIPE, SIG_DFL);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return make_error(ErrorCode::io, "cannot wait for the hook: " + errno_text(errno));
    }
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

} // namespace cfmigrate
