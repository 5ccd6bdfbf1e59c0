#pragma once
// A small plan with every field set, shared by the plan_file and plan_renderer tests.

#include <cfmigrate/plan/plan.hpp>

namespace cfmigrate::plan_test {

inline plan::Plan sample_plan()
{
  using namespace cfmigrate::plan;
  Plan p;
  p.plan_id = "2026-12-05-a1b2c3d4e5f6";
  p.tool_version = "0.1.0";
  p.host = "web-01";
  p.root = "/srv/root";
  p.created = "2026-12-05T09:00:00Z";
  p.api_base = "https://api.cloudflare.com/client/v4";
  p.credentials.push_back(CreatorCredential{"sha256:abc", "global_key", "ops@example.com", "/etc/cf.ini:3", "u1", "acc1",
                                            "Example Account"});
  p.files.push_back(FileState{"/etc/cf.ini", 120, 1733389200123456789LL, 42, 0600, 0, 0, std::string(64, 'e')});
  PlannedToken t;
  t.key = "t1";
  t.name = "cfmigrate/web-01/certbot-dns-cloudflare/1a2b3c4d";
  t.program = "certbot-dns-cloudflare";
  t.credential = "sha256:abc";
  t.permissions = {PermissionRef{"g-dns", "DNS Write", "zone"}, PermissionRef{"g-zone", "Zone Read", "zone"}};
  t.zones = {"example.com"};
  t.zone_ids = {"023e105f4ecef8ad9ca31a8372d0c353"};
  t.scope_reason = "zones named in the configuration";
  cloudflare::Policy policy;
  policy.permission_group_ids = {"g-dns", "g-zone"};
  policy.resources["com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353"] = std::string("*");
  t.policies.push_back(policy);
  t.allow_ips = {"192.0.2.0/24"};
  t.expires_on = "2027-01-01T00:00:00Z";
  t.files = {"/etc/cf.ini"};
  p.tokens.push_back(t);
  p.edits.push_back(FileEdit{"/etc/cf.ini", "certbot-dns-cloudflare",
                             {Change{5, 3, {ReplacementPart{"new", {}, false}}, "rename"},
                              Change{13, 9, {ReplacementPart{{}, "t1", true}}, "the API token"}}});
  p.manual.push_back(ManualItem{"traefik", "/etc/traefik.env", 3, "the key comes from CF_API_KEY",
                                {"Store the token", "Remove the key"}, {PermissionRef{"", "DNS Write", "zone"}}, {"example.org"}});
  p.warnings.push_back(Warning{"broad_scope", "no zone found"});
  p.reload = {"certbot-dns-cloudflare: certbot renew --dry-run"};
  return p;
}

} // namespace cfmigrate::plan_test
