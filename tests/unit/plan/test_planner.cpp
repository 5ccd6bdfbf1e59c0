// The planner against a scripted Cloudflare API (plain HTTP on 127.0.0.1, fixed answers): the
// certbot fixture tree plus a second file with the same key, planned with each --group-by.

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/plan/planner.hpp>

#include <cfmigrate/recipe/recipe_loader.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using namespace cfmigrate;
using namespace cfmigrate::plan;
namespace fs = std::filesystem;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

namespace {

const std::string k_zone_com = "023e105f4ecef8ad9ca31a8372d0c353";

// Answers GETs under /client/v4 from a table of `result` documents; records what was asked.
class FakeCloudflare {
public:
  FakeCloudflare() : m_acceptor(m_io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0))
  {
    m_results = {
      {"/user", R"({"id":"u1","email":"webmaster@example.com"})"},
      {"/accounts", R"([{"id":"acc1","name":"Example Account"}])"},
      {"/zones", R"([{"id":")" + k_zone_com + R"(","name":"example.com","status":"active","account":{"id":"acc1","name":"Example Account"}},
                     {"id":"1b5c6b1a2f3e4d5c6b7a8f9e0d1c2b3a","name":"example.org","status":"active","account":{"id":"acc1","name":"Example Account"}}])"},
      {"/user/tokens/permission_groups", R"([{"id":"g-dns","name":"DNS Write","scopes":["com.cloudflare.api.account.zone"]},
                                             {"id":"g-zone","name":"Zone Read","scopes":["com.cloudflare.api.account.zone"]}])"},
    };
    m_thread = std::thread([this] { serve(); });
  }
  ~FakeCloudflare()
  {
    m_stop = true;
    boost::system::error_code ec;
    tcp::socket wake(m_io);
    wake.connect(m_acceptor.local_endpoint(), ec);
    m_thread.join();
    for (auto& t : m_sessions) {
      t.join();
    }
  }
  FakeCloudflare(const FakeCloudflare&) = delete;
  FakeCloudflare& operator=(const FakeCloudflare&) = delete;

  std::string api_base() const { return "http://127.0.0.1:" + std::to_string(m_acceptor.local_endpoint().port()) + "/client/v4"; }
  std::vector<std::string> requests()
  {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

private:
  void serve()
  {
    while (!m_stop) {
      tcp::socket socket(m_io);
      boost::system::error_code ec;
      m_acceptor.accept(socket, ec);
      if (ec || m_stop) {
        return;
      }
      m_sessions.emplace_back([this, s = std::move(socket)]() mutable { session(std::move(s)); });
    }
  }

  void session(tcp::socket socket)
  {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      boost::system::error_code ec;
      http::read(socket, buffer, request, ec);
      if (ec) {
        return;
      }
      std::string target(request.target());
      std::string path = target.substr(0, target.find('?'));
      {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(std::string(request.method_string()) + " " + path);
      }
      path = path.starts_with("/client/v4") ? path.substr(10) : path;
      http::response<http::string_body> response{http::status::ok, request.version()};
      auto it = m_results.find(path);
      if (request.method() != http::verb::get || it == m_results.end()) {
        response.result(http::status::not_found);
        response.body() = R"({"success":false,"errors":[{"code":7003,"message":"No route"}],"messages":[],"result":null})";
      } else {
        response.body() = R"({"success":true,"errors":[],"messages":[],"result":)" + it->second
                          + R"(,"result_info":{"page":1,"per_page":50,"total_pages":1}})";
      }
      response.set(http::field::content_type, "application/json");
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !request.keep_alive()) {
        return;
      }
    }
  }

  boost::asio::io_context m_io;
  tcp::acceptor m_acceptor;
  std::map<std::string, std::string> m_results;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
  std::vector<std::thread> m_sessions;
  std::mutex m_mutex;
  std::vector<std::string> m_requests;
};

// The certbot fixture (key + e-mail in cloudflare.ini, example.com named by the renewal
// configuration) and other.ini holding the same key, which no renewal configuration names.
struct Tree {
  test::TempDir dir;
  Tree()
  {
    fs::copy(fs::path(CFMIGRATE_SOURCE_DIR) / "migrations/certbot-dns-cloudflare/fixtures/positive/root", dir.path(),
             fs::copy_options::recursive);
    std::string ini = test::read_file(dir.path() / "etc/letsencrypt/cloudflare.ini");
    dir.write("etc/letsencrypt/other.ini", ini);
  }
};

PlanResult plan_with(GroupBy group_by, FakeCloudflare& api, const Tree& tree)
{
  static const std::vector<recipe::Recipe> recipes = *recipe::load_recipes("");
  static const recipe::RecipeIndex index(recipes);
  PlanOptions options;
  options.scan.root = tree.dir.path().string();
  options.scan.paths = {"/etc/letsencrypt"};
  options.scan.threads = 2;
  options.host = "web-01";
  options.group_by = group_by;
  options.client.api_base = api.api_base();
  auto result = make_plan(index, options);
  BOOST_TEST_REQUIRE(result.has_value(), (result ? std::string() : result.error().message()));
  return std::move(*result);
}

std::vector<std::string> permission_ids(const PlannedToken& t)
{
  std::vector<std::string> out;
  for (const auto& p : t.permissions) {
    out.push_back(p.id + ":" + p.name + ":" + p.scope);
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(planner)

BOOST_AUTO_TEST_CASE(one_token_per_file_with_minimal_permissions_and_zone_scope)
{
  Tree tree;
  FakeCloudflare api;
  const Plan plan = plan_with(GroupBy::file, api, tree).plan;

  BOOST_TEST_REQUIRE(plan.credentials.size() == 1U);
  BOOST_TEST(plan.credentials[0].kind == "global_key");
  BOOST_TEST(plan.credentials[0].email == "webmaster@example.com");
  BOOST_TEST(plan.credentials[0].user_id == "u1");
  BOOST_TEST(plan.credentials[0].account_id == "acc1");

  BOOST_TEST_REQUIRE(plan.tokens.size() == 2U);
  const PlannedToken& scoped = plan.tokens[0];
  BOOST_TEST(scoped.key == "t1");
  BOOST_TEST(scoped.program == "certbot-dns-cloudflare");
  BOOST_TEST(scoped.name.starts_with("cfmigrate/web-01/certbot-dns-cloudflare/"));
  BOOST_TEST(permission_ids(scoped) == std::vector<std::string>{"g-dns:DNS Write:zone"}, boost::test_tools::per_element());
  BOOST_TEST(!scoped.account_wide);
  BOOST_TEST(scoped.zones == std::vector<std::string>{"example.com"}, boost::test_tools::per_element());
  BOOST_TEST(scoped.zone_ids == std::vector<std::string>{k_zone_com}, boost::test_tools::per_element());
  BOOST_TEST(scoped.files == std::vector<std::string>{"/etc/letsencrypt/cloudflare.ini"}, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(scoped.policies.size() == 1U);
  BOOST_TEST(scoped.policies[0].permission_group_ids == std::vector<std::string>{"g-dns"}, boost::test_tools::per_element());
  BOOST_TEST(scoped.policies[0].resources.count("com.cloudflare.api.account.zone." + k_zone_com) == 1U);

  const PlannedToken& broad = plan.tokens[1];
  BOOST_TEST(broad.key == "t2");
  BOOST_TEST(broad.account_wide);
  BOOST_TEST(broad.zones.empty());
  BOOST_TEST(broad.files == std::vector<std::string>{"/etc/letsencrypt/other.ini"}, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(broad.policies.size() == 1U);
  BOOST_TEST(broad.policies[0].resources.count("com.cloudflare.api.account.acc1") == 1U);
  BOOST_TEST(std::any_of(plan.warnings.begin(), plan.warnings.end(), [](const Warning& w) { return w.code == "broad_scope"; }));

  BOOST_TEST(plan.edits.size() == 2U);
  BOOST_TEST(plan.files.size() == 2U);
  BOOST_TEST(plan.manual.empty());
  BOOST_TEST(plan.reload == std::vector<std::string>{"certbot-dns-cloudflare: certbot renew --dry-run"},
             boost::test_tools::per_element());
  // Planning only reads: every request was a GET.
  for (const auto& r : api.requests()) {
    BOOST_TEST(r.starts_with("GET "), r);
  }
}

BOOST_AUTO_TEST_CASE(grouping_by_program_or_host_makes_one_token_for_both_files)
{
  Tree tree;
  FakeCloudflare api;
  for (GroupBy group_by : {GroupBy::program, GroupBy::host}) {
    const Plan plan = plan_with(group_by, api, tree).plan;
    BOOST_TEST_REQUIRE(plan.tokens.size() == 1U);
    const PlannedToken& t = plan.tokens[0];
    BOOST_TEST(t.program == (group_by == GroupBy::host ? "all" : "certbot-dns-cloudflare"));
    BOOST_TEST(t.files.size() == 2U);
    BOOST_TEST(permission_ids(t) == std::vector<std::string>{"g-dns:DNS Write:zone"}, boost::test_tools::per_element());
    BOOST_TEST(t.account_wide);  // one of its files names no zone
    BOOST_TEST(plan.edits.size() == 2U);
  }
}

BOOST_AUTO_TEST_CASE(zones_given_on_the_command_line_narrow_every_token)
{
  Tree tree;
  FakeCloudflare api;
  static const std::vector<recipe::Recipe> recipes = *recipe::load_recipes("");
  static const recipe::RecipeIndex index(recipes);
  PlanOptions options;
  options.scan.root = tree.dir.path().string();
  options.scan.paths = {"/etc/letsencrypt"};
  options.host = "web-01";
  options.group_by = GroupBy::program;
  options.zones = {"example.org", "nope.example"};
  options.client.api_base = api.api_base();
  auto result = make_plan(index, options);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST_REQUIRE(result->plan.tokens.size() == 1U);
  BOOST_TEST(!result->plan.tokens[0].account_wide);
  BOOST_TEST(result->plan.tokens[0].zones == std::vector<std::string>{"example.org"}, boost::test_tools::per_element());
  BOOST_TEST(std::any_of(result->plan.warnings.begin(), result->plan.warnings.end(),
                         [](const Warning& w) { return w.code == "unknown_zone"; }));
}

BOOST_AUTO_TEST_SUITE_END()
