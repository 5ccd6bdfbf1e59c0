#include <cfmigrate/util/process_hygiene.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cfmigrate;
using cfmigrate::test::read_file;
using cfmigrate::test::TempDir;

BOOST_AUTO_TEST_SUITE(process_hygiene)

BOOST_AUTO_TEST_CASE(credential_variables_are_recognised)
{
  for (const char* name : {"CLOUDFLARE_API_KEY", "CF_API_EMAIL", "CFMIGRATE_API_TOKEN", "MY_SECRET", "dns_token"}) {
    BOOST_TEST(is_credential_variable(name), name);
  }
  for (const char* name : {"PATH", "HOME", "LANG", "TERM"}) {
    BOOST_TEST(!is_credential_variable(name), name);
  }
}

BOOST_AUTO_TEST_CASE(the_scrubbed_environment_keeps_the_rest_and_adds_the_extras)
{
  std::string a = "PATH=/usr/bin";
  std::string b = "CLOUDFLARE_API_KEY=0123456789abcdef0123456789abcdef01234";
  std::string c = "CFMIGRATE_PROGRAM=stale";
  char* env[] = {a.data(), b.data(), c.data(), nullptr};
  auto out = scrubbed_environment(env, {{"CFMIGRATE_PROGRAM", "certbot"}});
  BOOST_TEST(out.size() == 2U);
  BOOST_TEST(out[0] == "PATH=/usr/bin");
  BOOST_TEST(out[1] == "CFMIGRATE_PROGRAM=certbot");
}

BOOST_AUTO_TEST_CASE(a_hook_sees_no_credential_and_no_inherited_descriptor)
{
  TempDir tmp;
  const std::string out = (tmp.path() / "hook.out").string();
  // A descriptor without O_CLOEXEC, as a careless library might leave one.
  const int leaked = ::open("/dev/null", O_RDONLY);
  BOOST_REQUIRE(leaked >= 3);
  ::setenv("CLOUDFLARE_API_KEY", "0123456789abcdef0123456789abcdef01234", 1);
  auto status = run_hook("env > '" + out + ".env'; ls /proc/self/fd > '" + out + ".fd'; exit 3",
                         {{"CFMIGRATE_PROGRAM", "certbot"}});
  ::unsetenv("CLOUDFLARE_API_KEY");
  ::close(leaked);
  BOOST_REQUIRE(status);
  BOOST_TEST(*status == 3);
  const std::string env = read_file(out + ".env");
  BOOST_TEST(env.find("CLOUDFLARE_API_KEY") == std::string::npos);
  BOOST_TEST(env.find("CFMIGRATE_PROGRAM=certbot") != std::string::npos);
  // 0, 1, 2 and the descriptor `ls` itself opens for /proc/self/fd.
  const std::string fds = read_file(out + ".fd");
  std::size_t lines = 0;
  for (char ch : fds) {
    lines += ch == '\n' ? 1U : 0U;
  }
  BOOST_TEST(lines <= 4U);
}

BOOST_AUTO_TEST_CASE(core_dumps_are_forbidden_in_a_child)
{
  const pid_t pid = ::fork();
  if (pid == 0) {
    forbid_core_dumps();
    rlimit r{};
    ::getrlimit(RLIMIT_CORE, &r);
    ::_exit(::prctl(PR_GET_DUMPABLE) == 0 && r.rlim_cur == 0 && r.rlim_max == 0 ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
