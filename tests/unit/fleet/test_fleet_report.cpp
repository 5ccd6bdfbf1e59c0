// The fleet report: merging per-host scan, plan and status JSON, the per-key and per-host numbers,
// and the answer to "can the Global key be rolled now?".

#include <cfmigrate/fleet/report.hpp>
#include <cfmigrate/util/json_file.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <sstream>

namespace json = boost::json;
using namespace cfmigrate::fleet;

namespace {

const std::string k_fp = "sha256:d93624e5189d4d2f";
const std::string k_other_fp = "sha256:0123456789abcdef";

json::object finding(const std::string& path, const std::string& program, const std::string& fingerprint,
                     const std::string& state = "active", const std::string& credential = "global_key")
{
  return json::object{{"path", path},
                      {"line", 2},
                      {"program", program},
                      {"credential", credential},
                      {"state", state},
                      {"fingerprint", credential == "reference" ? json::value(nullptr) : json::value(fingerprint)},
                      {"email", "admin@example.com"}};
}

Document scan(const std::string& host, json::array findings, const std::string& source = "")
{
  json::object doc{{"format", "cfmigrate.scan/1"}, {"tool_version", "0.1.0"}, {"host", "machine"}, {"root", "/"},
                   {"findings", std::move(findings)}, {"problems", json::array{}}};
  return Document{source.empty() ? host + "/scan.json" : source, host, std::move(doc)};
}

Document plan(const std::string& host, const std::string& plan_id, std::size_t tokens, std::size_t files,
              const std::string& fingerprint = k_fp)
{
  json::array token_list;
  for (std::size_t i = 0; i < tokens; ++i) {
    token_list.push_back(json::object{{"key", "t" + std::to_string(i + 1)},
                                      {"name", "cfmigrate/" + host + "/certbot-dns-cloudflare/0000000" + std::to_string(i)},
                                      {"program", "certbot-dns-cloudflare"},
                                      {"credential", fingerprint}});
  }
  json::array edits;
  for (std::size_t i = 0; i < files; ++i) {
    edits.push_back(json::object{{"path", "/etc/f" + std::to_string(i)}, {"program", "certbot-dns-cloudflare"}, {"changes", json::array{}}});
  }
  json::object doc{{"format", "cfmigrate.plan/1"},
                   {"plan_id", plan_id},
                   {"host", host},
                   {"credentials", json::array{json::object{{"fingerprint", fingerprint}, {"kind", "global_key"},
                                                            {"email", "admin@example.com"}, {"source", "/etc/f0:2"}}}},
                   {"tokens", std::move(token_list)},
                   {"edits", std::move(edits)},
                   {"manual", json::array{}}};
  return Document{host + "/plan.json", "", std::move(doc)};
}

json::object migration(const std::string& host, const std::string& plan_id, const std::string& state,
                       json::array tokens, json::array files, json::array failures = {}, int rollbacks = 0)
{
  return json::object{{"plan_id", plan_id}, {"host", host},         {"created", "2025-03-01T12:00:00Z"},
                      {"state", state},     {"tokens", std::move(tokens)}, {"files", std::move(files)},
                      {"failures", std::move(failures)}, {"rollbacks", rollbacks}};
}

json::object token(const std::string& host, const std::string& key, const std::string& id, const std::string& state)
{
  return json::object{{"key", key}, {"name", "cfmigrate/" + host + "/certbot-dns-cloudflare/0000000" + key.substr(1)},
                      {"id", id}, {"state", state}};
}

json::object file(const std::string& path, const std::string& state)
{
  return json::object{{"path", path}, {"state", state}};
}

Document status(const std::string& host, json::array migrations, const std::string& override_host = "")
{
  json::object doc{{"format", "cfmigrate.status/1"}, {"host", host}, {"state_dir", "/var/lib/cfmigrate"},
                   {"migrations", std::move(migrations)}};
  return Document{host + "/status.json", override_host, std::move(doc)};
}

std::string id(int n)
{
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", n);
  return buf;
}

const HostView& host(const Fleet& f, const std::string& name)
{
  for (const auto& h : f.hosts) {
    if (h.host == name) {
      return h;
    }
  }
  BOOST_FAIL("no host " + name);
  throw 0;
}

bool contains(const std::vector<std::string>& lines, const std::string& part)
{
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fleet_report)

BOOST_AUTO_TEST_CASE(before_migration_every_host_uses_the_key)
{
  std::vector<Document> docs{
    scan("web-01", json::array{finding("/etc/letsencrypt/cloudflare.ini", "certbot-dns-cloudflare", k_fp),
                               finding("/etc/ddclient.conf", "ddclient", k_fp)}),
    scan("web-02", json::array{finding("/root/.acme.sh/account.conf", "acme-sh", k_fp),
                               finding("/etc/old.ini", "certbot-dns-cloudflare", k_fp, "commented")}),
    scan("db-01", json::array{}),
    plan("web-01", "p1", 2, 2),
    plan("web-02", "p2", 1, 1),
  };
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value(), fleet.error().describe());
  BOOST_TEST(fleet->hosts.size() == 3U);
  BOOST_TEST(fleet->hosts[0].host == "db-01");  // sorted
  BOOST_TEST(fleet->totals.hosts_using_global_key == 2U);
  BOOST_TEST(fleet->totals.global_key_usages == 3U);
  BOOST_TEST(fleet->totals.commented_usages == 1U);
  BOOST_TEST(fleet->totals.states.at("planned") == 2U);
  BOOST_TEST(fleet->totals.states.at("scanned") == 1U);
  BOOST_TEST_REQUIRE(fleet->keys.size() == 1U);
  const KeyView& k = fleet->keys[0];
  BOOST_TEST(k.fingerprint == k_fp);
  BOOST_TEST(k.hosts_using() == 2U);
  BOOST_TEST(k.planned_hosts.size() == 2U);
  BOOST_TEST(k.emails.contains("admin@example.com"));
  BOOST_TEST(k.hosts[0].host == "web-01");
  BOOST_TEST(k.hosts[0].programs == (std::set<std::string>{"certbot-dns-cloudflare", "ddclient"}));
  BOOST_TEST(k.hosts[1].active == 1U);
  BOOST_TEST(k.hosts[1].commented == 1U);
  BOOST_TEST(!k.can_roll);
  BOOST_TEST(!fleet->can_roll);
  BOOST_TEST(contains(fleet->blockers, "host web-01 still uses " + k_fp + " (certbot-dns-cloudflare, ddclient)"));
  BOOST_TEST(contains(fleet->blockers, "host web-02 still uses"));
  BOOST_TEST(contains(fleet->notes, "web-02: 1 commented-out"));
  BOOST_TEST(fleet->warnings.empty());
  BOOST_TEST(host(*fleet, "web-01").planned_tokens == 2U);
}

BOOST_AUTO_TEST_CASE(after_a_clean_migration_the_key_can_be_rolled)
{
  std::vector<Document> docs;
  for (const std::string h : {"web-01", "web-02", "web-03"}) {
    docs.push_back(plan(h, "p-" + h, 2, 3));
    docs.push_back(status(h, json::array{migration(h, "p-" + h, h == "web-03" ? "finalized" : "applied",
                                                   json::array{token(h, "t1", id(h.back() * 10 + 1), "verified"),
                                                               token(h, "t2", id(h.back() * 10 + 2), "verified")},
                                                   json::array{file("/etc/a", "verified"), file("/etc/b", "verified"),
                                                               file("/etc/c", "written")})}));
    docs.push_back(scan(h, json::array{finding("/etc/a", "certbot-dns-cloudflare", "", "active", "scoped_token")}));
  }
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value(), fleet.error().describe());
  BOOST_TEST(fleet->can_roll);
  BOOST_TEST(fleet->blockers.empty());
  BOOST_TEST(fleet->totals.tokens_created == 6U);
  BOOST_TEST(fleet->totals.tokens_live == 6U);
  BOOST_TEST(fleet->totals.files_changed == 9U);
  BOOST_TEST(fleet->totals.hosts_using_global_key == 0U);
  BOOST_TEST(fleet->totals.states.at("applied") == 2U);
  BOOST_TEST(fleet->totals.states.at("finalized") == 1U);
  // The key is known from the plans and now unused: it can be rolled.
  BOOST_TEST_REQUIRE(fleet->keys.size() == 1U);
  BOOST_TEST(fleet->keys[0].can_roll);
  BOOST_TEST(fleet->keys[0].hosts_using() == 0U);
  BOOST_TEST(fleet->keys[0].planned_hosts.size() == 3U);
  // Applied but not finalized: backups still hold the key.
  BOOST_TEST(contains(fleet->notes, "web-01: migration p-web-01 is applied but not finalized"));
  BOOST_TEST(!contains(fleet->notes, "web-03: migration"));
  BOOST_TEST(host(*fleet, "web-02").scoped_tokens == 1U);
  BOOST_TEST(fleet->warnings.empty());

  json::value j = to_json(*fleet);
  BOOST_TEST(j.at("format").as_string() == "cfmigrate.fleet/1");
  BOOST_TEST(j.at("can_roll_global_key").as_bool());
  BOOST_TEST(j.at("totals").at("tokens_created").to_number<int>() == 6);
  BOOST_TEST(j.at("hosts").at(0).at("host").as_string() == "web-01");
  BOOST_TEST(j.at("hosts").at(0).at("plan").at("applied").as_bool());
  std::ostringstream human;
  write_human(human, *fleet);
  BOOST_TEST(human.str().find("Can the Global key be rolled now? YES") != std::string::npos, human.str());
}

BOOST_AUTO_TEST_CASE(a_failed_host_blocks_and_its_numbers_show)
{
  std::vector<Document> docs{
    scan("web-01", json::array{}),
    status("web-01", json::array{migration("web-01", "p1", "applied", json::array{token("web-01", "t1", id(1), "verified")},
                                           json::array{file("/etc/a", "verified")})}),
    // web-02 failed at the token create and was not rolled back yet.
    scan("web-02", json::array{finding("/etc/a", "certbot-dns-cloudflare", k_fp)}),
    status("web-02", json::array{migration("web-02", "p2", "failed",
                                           json::array{token("web-02", "t1", id(2), "verified"), token("web-02", "t2", "", "create_intent")},
                                           json::array{file("/etc/a", "written")},
                                           json::array{json::object{{"step", "token_create"}, {"message", "injected failure"}}})}),
    // web-03 failed, then was rolled back: restored, tokens deleted; it still uses the key.
    scan("web-03", json::array{finding("/etc/a", "ddclient", k_fp)}),
    status("web-03", json::array{migration("web-03", "p3", "rolled_back",
                                           json::array{token("web-03", "t1", id(3), "deleted")},
                                           json::array{file("/etc/a", "restored")},
                                           json::array{json::object{{"step", "token_create"}, {"message", "injected failure"}}}, 1)}),
  };
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value(), fleet.error().describe());
  BOOST_TEST(!fleet->can_roll);
  BOOST_TEST(host(*fleet, "web-02").state() == "failed");
  BOOST_TEST(host(*fleet, "web-03").state() == "rolled_back");
  BOOST_TEST(contains(fleet->blockers, "host web-02: migration p2 is failed"));
  BOOST_TEST(contains(fleet->blockers, "host web-03 still uses"));
  BOOST_TEST(fleet->totals.failures == 2U);
  BOOST_TEST(fleet->totals.rollbacks == 1U);
  BOOST_TEST(fleet->totals.tokens_created == 3U);
  BOOST_TEST(fleet->totals.tokens_live == 2U);
  BOOST_TEST(fleet->totals.files_changed == 2U);
  BOOST_TEST(fleet->totals.files_restored == 1U);
  BOOST_TEST(host(*fleet, "web-02").migrations[0].tokens_unknown == 1U);
  std::ostringstream human;
  write_human(human, *fleet);
  BOOST_TEST(human.str().find("p2 failed at token_create: injected failure") != std::string::npos, human.str());
  BOOST_TEST(human.str().find("Can the Global key be rolled now? NO") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(in_progress_and_unscanned_hosts_block)
{
  std::vector<Document> docs{
    scan("web-01", json::array{}),
    status("web-01", json::array{migration("web-01", "p1", "in_progress", json::array{}, json::array{})}),
    plan("web-02", "p2", 1, 1),  // no scan from web-02
  };
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value());
  BOOST_TEST(!fleet->can_roll);
  BOOST_TEST(contains(fleet->blockers, "host web-01: migration p1 is in_progress"));
  BOOST_TEST(contains(fleet->blockers, "host web-02: no scan report"));
  BOOST_TEST_REQUIRE(fleet->keys.size() == 1U);
  BOOST_TEST(!fleet->keys[0].can_roll);  // unknown hosts block every key
}

BOOST_AUTO_TEST_CASE(keys_are_judged_separately)
{
  std::vector<Document> docs{
    scan("web-01", json::array{finding("/etc/a", "certbot-dns-cloudflare", k_other_fp)}),
    plan("web-01", "p1", 1, 1, k_other_fp),
    scan("web-02", json::array{}),
    plan("web-02", "p2", 1, 1, k_fp),
    status("web-02", json::array{migration("web-02", "p2", "finalized", json::array{token("web-02", "t1", id(7), "verified")},
                                           json::array{file("/etc/f0", "verified")})}),
  };
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value());
  BOOST_TEST(!fleet->can_roll);
  BOOST_TEST_REQUIRE(fleet->keys.size() == 2U);
  BOOST_TEST(fleet->keys[0].fingerprint == k_other_fp);
  BOOST_TEST(!fleet->keys[0].can_roll);
  BOOST_TEST(fleet->keys[1].fingerprint == k_fp);
  BOOST_TEST(fleet->keys[1].can_roll);
}

BOOST_AUTO_TEST_CASE(later_documents_replace_earlier_ones_and_hosts_come_from_the_caller)
{
  std::vector<Document> docs{
    scan("web-01", json::array{finding("/etc/a", "certbot-dns-cloudflare", k_fp)}, "web-01/scan-before.json"),
    scan("web-01", json::array{}, "web-01/scan-after.json"),
  };
  // A status whose document and migrations name other hosts, counted for the caller's host.
  docs.push_back(status("machine", json::array{migration("web-01", "p1", "applied", json::array{}, json::array{})}, "web-01"));
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value());
  BOOST_TEST(fleet->hosts.size() == 1U);
  BOOST_TEST(fleet->totals.global_key_usages == 0U);
  BOOST_TEST(contains(fleet->warnings, "host web-01: several scan documents; using web-01/scan-after.json"));
  BOOST_TEST(fleet->can_roll);

  // Without an override, a status's migrations go to the host each names.
  auto split = build_fleet({status("machine", json::array{migration("web-07", "p7", "applied", json::array{}, json::array{})})});
  BOOST_TEST_REQUIRE(split.has_value());
  BOOST_TEST(split->hosts.at(0).host == "web-07");
}

BOOST_AUTO_TEST_CASE(shared_or_misnamed_tokens_are_warned_about)
{
  std::vector<Document> docs{
    scan("web-01", json::array{}),
    scan("web-02", json::array{}),
    status("web-01", json::array{migration("web-01", "p1", "applied", json::array{token("web-01", "t1", id(9), "verified")}, json::array{})}),
    status("web-02", json::array{migration("web-02", "p2", "applied", json::array{token("web-01", "t1", id(9), "verified")}, json::array{})}),
  };
  auto fleet = build_fleet(docs);
  BOOST_TEST_REQUIRE(fleet.has_value());
  BOOST_TEST(contains(fleet->warnings, "token " + id(9) + " is shared by several hosts (web-01, web-02)"));
  BOOST_TEST(contains(fleet->warnings, "is used on several hosts"));
  BOOST_TEST(contains(fleet->warnings, "host web-02: token 'cfmigrate/web-01/"));
}

BOOST_AUTO_TEST_CASE(references_are_noted_not_blocking)
{
  auto fleet = build_fleet({scan("web-01", json::array{finding("/srv/traefik/docker-compose.yml", "traefik", "", "active", "reference")})});
  BOOST_TEST_REQUIRE(fleet.has_value());
  BOOST_TEST(fleet->can_roll);
  BOOST_TEST(fleet->totals.references == 1U);
  BOOST_TEST(contains(fleet->notes, "/srv/traefik/docker-compose.yml:2 (traefik) reads a credential from elsewhere"));
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_errors)
{
  BOOST_TEST(!build_fleet({}).has_value());
  auto unknown = build_fleet({Document{"x.json", "h", json::parse(R"({"format":"cfmigrate.scan/9"})")}});
  BOOST_TEST_REQUIRE(!unknown.has_value());
  BOOST_TEST(unknown.error().message().find("cfmigrate.scan/9") != std::string::npos);
  BOOST_TEST(unknown.error().path() == "x.json");
  BOOST_TEST(!build_fleet({Document{"y.json", "h", json::parse(R"({"findings":[]})")}}).has_value());
  BOOST_TEST(!build_fleet({Document{"z.json", "", json::parse(R"({"format":"cfmigrate.scan/1","findings":[]})")}}).has_value());
  BOOST_TEST(!build_fleet({Document{"a.json", "h", json::parse("[1,2]")}}).has_value());
  BOOST_TEST(!cfmigrate::read_json_file("/nonexistent/cfmigrate-fleet.json").has_value());
}

// Mistyped fields in any input document are errors naming the document, the field and the file;
// fields left out keep their defaults.
BOOST_AUTO_TEST_CASE(mistyped_inputs_are_errors_naming_the_field)
{
  const auto message = [](const char* text) {
    auto fleet = build_fleet({Document{"in.json", "h", json::parse(text)}});
    BOOST_TEST((fleet.has_value() || fleet.error().path() == "in.json"));
    return fleet ? std::string("(accepted)") : fleet.error().message();
  };
  BOOST_TEST(message(R"({"format":"cfmigrate.scan/1","findings":{}})") == "scan: findings: expected an array, got an object");
  BOOST_TEST(message(R"({"format":"cfmigrate.scan/1","findings":[1]})") == "scan: findings[0]: expected an object, got 1");
  BOOST_TEST(message(R"({"format":"cfmigrate.scan/1","findings":[{"line":"2"}]})") ==
             "scan: findings[0].line: expected an integer from -9223372036854775808 to 9223372036854775807, got a string");
  BOOST_TEST(message(R"({"format":"cfmigrate.scan/1","findings":[{"line":1e40}]})").find("findings[0].line: expected an integer") !=
             std::string::npos);
  BOOST_TEST(message(R"({"format":"cfmigrate.scan/1","host":7,"findings":[]})") == "scan: host: expected a string, got 7");
  BOOST_TEST(message(R"({"format":"cfmigrate.plan/1","tokens":[{"name":null}],"credentials":[{"kind":[]}]})") ==
             "plan: credentials[0].kind: expected a string, got an array");
  BOOST_TEST(message(R"({"format":"cfmigrate.plan/1","edits":"none"})") == "plan: edits: expected an array, got a string");
  BOOST_TEST(message(R"({"format":"cfmigrate.status/1","migrations":[{"tokens":[{"state":3}]}]})") ==
             "status: migrations[0].tokens[0].state: expected a string, got 3");
  BOOST_TEST(message(R"({"format":"cfmigrate.status/1","migrations":[{"rollbacks":-1.5}]})").find("migrations[0].rollbacks") !=
             std::string::npos);
  BOOST_TEST(message(R"({"format":"cfmigrate.status/1","migrations":null})") == "(accepted)");
  BOOST_TEST(message(R"({"format":"cfmigrate.scan/1"})") == "(accepted)");
  BOOST_TEST(message(R"({"format":"cfmigrate.plan/1","tokens":[{}],"host":null})") == "(accepted)");
}

BOOST_AUTO_TEST_SUITE_END()
