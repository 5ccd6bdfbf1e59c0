#include <cfmigrate/emulator/state.hpp>

#include <cfmigrate/util/rfc3339.hpp>
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/json_file.hpp>
#include <cfmigrate/util/sha256.hpp>
#include <cfmigrate/util/text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>

#include <arpa/inet.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view k_zone_scope = "com.cloudflare.api.account.zone";
constexpr std::string_view k_account_scope = "com.cloudflare.api.account";
constexpr std::string_view k_user_scope = "com.cloudflare.api.user";
constexpr std::string_view k_zone_prefix = "com.cloudflare.api.account.zone.";
constexpr std::string_view k_account_prefix = "com.cloudflare.api.account.";
constexpr std::string_view k_user_prefix = "com.cloudflare.api.user.";

Result<std::string> req_string(const json::object& o, std::string_view key, std::string_view where)
{
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return make_error(ErrorCode::parse, "seed: " + std::string(where) + " needs a string '" + std::string(key) + "'");
  }
  return std::string(v->as_string());
}

bool key_matches_zone(std::string_view key, const json::value& value, const ZoneRecord& zone)
{
  if (key.substr(0, k_zone_prefix.size()) == k_zone_prefix) {
    const std::string_view rest = key.substr(k_zone_prefix.size());
    return value.is_string() && (rest == "*" || rest == zone.id);
  }
  if (key.substr(0, k_account_prefix.size()) == k_account_prefix && value.is_object()) {
    const std::string_view acc = key.substr(k_account_prefix.size());
    if (acc != "*" && acc != zone.account_id) {
      return false;
    }
    for (const auto& kv : value.as_object()) {
      const std::string_view inner = kv.key();
      if (inner.substr(0, k_zone_prefix.size()) == k_zone_prefix) {
        const std::string_view rest = inner.substr(k_zone_prefix.size());
        if (rest == "*" || rest == zone.id) {
          return true;
        }
      }
    }
  }
  return false;
}

bool key_matches_account(std::string_view key, const json::value& value, std::string_view account_id)
{
  if (key.substr(0, k_zone_prefix.size()) == k_zone_prefix || key.substr(0, k_account_prefix.size()) != k_account_prefix) {
    return false;
  }
  const std::string_view acc = key.substr(k_account_prefix.size());
  return value.is_string() && (acc == "*" || acc == account_id);
}

bool key_matches_user(std::string_view key, std::string_view user_id)
{
  return key.substr(0, k_user_prefix.size()) == k_user_prefix && key.substr(k_user_prefix.size()) == user_id;
}

bool parse_ip(std::string_view text, std::array<unsigned char, 16>& out, int& family)
{
  const std::string s(text);
  in6_addr a6{};
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    family = 4;
    std::memcpy(out.data(), &a4, 4);
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    family = 6;
    std::memcpy(out.data(), &a6, 16);
    return true;
  }
  return false;
}

} // namespace

std::string hash_secret(const Secret& value)
{
  return sha256_hex(value.expose_secret_value_for_use_in_credential_slot());
}

Secret random_token_value()
{
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::array<unsigned char, 40> buf{};
  RAND_bytes(buf.data(), static_cast<int>(buf.size()));
  std::string value(40, 'x');
  for (std::size_t i = 0; i < buf.size(); ++i) {
    value[i] = k_alphabet[buf[i] % 64];
  }
  Secret s(value);
  std::fill(value.begin(), value.end(), '\0');
  return s;
}

bool is_valid_cidr(std::string_view cidr)
{
  const std::size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return false;
  }
  std::array<unsigned char, 16> addr{};
  int family = 0;
  if (!parse_ip(cidr.substr(0, slash), addr, family)) {
    return false;
  }
  const std::string_view bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return false;
  }
  const int n = std::stoi(std::string(bits));
  return n >= 0 && n <= (family == 4 ? 32 : 128);
}

bool ip_in_cidr(std::string_view ip, std::string_view cidr)
{
  if (!is_valid_cidr(cidr)) {
    return false;
  }
  const std::size_t slash = cidr.find('/');
  std::array<unsigned char, 16> net{}, addr{};
  int fnet = 0, faddr = 0;
  if (!parse_ip(cidr.substr(0, slash), net, fnet) || !parse_ip(ip, addr, faddr) || fnet != faddr) {
    return false;
  }
  int bits = std::stoi(std::string(cidr.substr(slash + 1)));
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffU : (0xffU << (8 - bits)) & 0xffU;
    if ((net[i] & mask) != (addr[i] & mask)) {
      return false;
    }
  }
  return true;
}

Result<State> State::load(const std::string& seed_path, const std::string& permission_groups_path)
{
  CFM_TRY(json::value seed, read_json_file(seed_path));
  CFM_TRY(json::value groups, read_json_file(permission_groups_path));
  auto state = from_json(seed, groups);
  if (!state) {
    Error e = state.error();
    return make_error(e.code(), e.message(), seed_path);
  }
  return state;
}

Result<State> State::from_json(const json::value& seed, const json::value& groups_doc)
{
  State st;
  const json::array* groups = nullptr;
  if (groups_doc.is_array()) {
    groups = &groups_doc.as_array();
  } else if (groups_doc.is_object() && groups_doc.as_object().contains("permission_groups")
             && groups_doc.as_object().at("permission_groups").is_array()) {
    groups = &groups_doc.as_object().at("permission_groups").as_array();
  }
  if (groups == nullptr) {
    return make_error(ErrorCode::parse, "permission groups: expected an array or {\"permission_groups\": [...]}");
  }
  for (const json::value& g : *groups) {
    if (!g.is_object()) {
      continue;
    }
    const json::object& o = g.as_object();
    PermissionGroupRecord rec;
    CFM_TRY(rec.id, req_string(o, "id", "permission group"));
    rec.name = o.contains("name") && o.at("name").is_string() ? std::string(o.at("name").as_string()) : rec.id;
    if (o.contains("scope") && o.at("scope").is_string()) {
      rec.scope = std::string(o.at("scope").as_string());
    } else if (o.contains("scopes") && o.at("scopes").is_array() && !o.at("scopes").as_array().empty()
               && o.at("scopes").as_array()[0].is_string()) {
      rec.scope = std::string(o.at("scopes").as_array()[0].as_string());
    }
    st.permission_groups.push_back(std::move(rec));
  }
  if (!seed.is_object()) {
    return make_error(ErrorCode::parse, "seed: expected a JSON object with users, accounts and zones");
  }
  const json::object& s = seed.as_object();
  auto array_of = [&s](std::string_view key) -> const json::array* {
    const json::value* v = s.if_contains(key);
    return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
  };
  if (const json::array* accounts = array_of("accounts")) {
    for (const json::value& a : *accounts) {
      if (!a.is_object()) {
        return make_error(ErrorCode::parse, "seed: accounts[] entries must be objects");
      }
      AccountRecord rec;
      CFM_TRY(rec.id, req_string(a.as_object(), "id", "account"));
      CFM_TRY(rec.name, req_string(a.as_object(), "name", "account " + rec.id));
      st.accounts.push_back(std::move(rec));
    }
  }
  if (const json::array* users = array_of("users")) {
    for (const json::value& u : *users) {
      if (!u.is_object()) {
        return make_error(ErrorCode::parse, "seed: users[] entries must be objects");
      }
      const json::object& o = u.as_object();
      UserRecord rec;
      CFM_TRY(rec.id, req_string(o, "id", "user"));
      CFM_TRY(rec.email, req_string(o, "email", "user " + rec.id));
      CFM_TRY(std::string key, req_string(o, "global_key", "user " + rec.id));
      rec.global_key = Secret(key);
      std::fill(key.begin(), key.end(), '\0');
      if (const json::value* acc = o.if_contains("accounts"); acc != nullptr && acc->is_array()) {
        for (const json::value& id : acc->as_array()) {
          if (!id.is_string() || st.find_account(id.as_string()) == nullptr) {
            return make_error(ErrorCode::invalid_argument, "seed: user " + rec.id + " names an unknown account");
          }
          rec.accounts.emplace_back(id.as_string());
        }
      }
      st.users.push_back(std::move(rec));
    }
  }
  if (const json::array* zones = array_of("zones")) {
    for (const json::value& z : *zones) {
      if (!z.is_object()) {
        return make_error(ErrorCode::parse, "seed: zones[] entries must be objects");
      }
      ZoneRecord rec;
      CFM_TRY(rec.id, req_string(z.as_object(), "id", "zone"));
      CFM_TRY(rec.name, req_string(z.as_object(), "name", "zone " + rec.id));
      CFM_TRY(rec.account_id, req_string(z.as_object(), "account", "zone " + rec.id));
      if (st.find_account(rec.account_id) == nullptr) {
        return make_error(ErrorCode::invalid_argument, "seed: zone " + rec.name + " names an unknown account");
      }
      if (const json::value* status = z.as_object().if_contains("status"); status != nullptr && status->is_string()) {
        rec.status = std::string(status->as_string());
      }
      st.zones.push_back(std::move(rec));
    }
  }
  if (const json::array* tokens = array_of("tokens")) {
    for (const json::value& t : *tokens) {
      if (!t.is_object()) {
        return make_error(ErrorCode::parse, "seed: tokens[] entries must be objects");
      }
      const json::object& o = t.as_object();
      TokenRecord rec;
      CFM_TRY(rec.name, req_string(o, "name", "token"));
      CFM_TRY(rec.owner_user, req_string(o, "user", "token " + rec.name));
      if (st.find_user(rec.owner_user) == nullptr) {
        return make_error(ErrorCode::invalid_argument, "seed: token " + rec.name + " names an unknown user");
      }
      CFM_TRY(std::string value, req_string(o, "value", "token " + rec.name));
      rec.value_sha256 = sha256_hex(value);
      std::fill(value.begin(), value.end(), '\0');
      rec.id = o.contains("id") && o.at("id").is_string() ? std::string(o.at("id").as_string()) : random_hex(16);
      if (o.contains("account") && o.at("account").is_string()) {
        rec.owner_account = std::string(o.at("account").as_string());
      }
      if (const json::value* policies = o.if_contains("policies"); policies != nullptr && policies->is_array()) {
        for (const json::value& p : policies->as_array()) {
          if (!p.is_object()) {
            continue;
          }
          PolicyRecord pr;
          pr.id = random_hex(16);
          pr.allow = !(p.as_object().contains("effect") && p.as_object().at("effect") == "deny");
          if (const json::value* g = p.as_object().if_contains("permission_groups"); g != nullptr && g->is_array()) {
            for (const json::value& gi : g->as_array()) {
              if (gi.is_object() && gi.as_object().contains("id") && gi.as_object().at("id").is_string()) {
                pr.permission_groups.emplace_back(gi.as_object().at("id").as_string());
              }
            }
          }
          if (const json::value* r = p.as_object().if_contains("resources"); r != nullptr && r->is_object()) {
            pr.resources = r->as_object();
          }
          rec.policies.push_back(std::move(pr));
        }
      }
      rec.issued_on = format_rfc3339(std::chrono::system_clock::now());
      rec.modified_on = rec.issued_on;
      st.tokens.push_back(std::move(rec));
    }
  }
  return st;
}

const UserRecord* State::find_user_by_email(std::string_view email) const
{
  const std::string e = to_lower(email);
  for (const UserRecord& u : users) {
    if (to_lower(u.email) == e) {
      return &u;
    }
  }
  return nullptr;
}

const UserRecord* State::find_user(std::string_view id) const
{
  for (const UserRecord& u : users) {
    if (u.id == id) {
      return &u;
    }
  }
  return nullptr;
}

const AccountRecord* State::find_account(std::string_view id) const
{
  for (const AccountRecord& a : accounts) {
    if (a.id == id) {
      return &a;
    }
  }
  return nullptr;
}

const ZoneRecord* State::find_zone(std::string_view id) const
{
  for (const ZoneRecord& z : zones) {
    if (z.id == id) {
      return &z;
    }
  }
  return nullptr;
}

const PermissionGroupRecord* State::find_group(std::string_view id) const
{
  for (const PermissionGroupRecord& g : permission_groups) {
    if (g.id == id) {
      return &g;
    }
  }
  return nullptr;
}

TokenRecord* State::find_token_by_value(const Secret& value)
{
  const std::string h = hash_secret(value);
  for (TokenRecord& t : tokens) {
    if (t.value_sha256 == h) {
      return &t;
    }
  }
  return nullptr;
}

TokenRecord* State::find_token(std::string_view id)
{
  for (TokenRecord& t : tokens) {
    if (t.id == id) {
      return &t;
    }
  }
  return nullptr;
}

std::set<std::string> State::group_ids(std::initializer_list<std::string_view> names) const
{
  std::set<std::string> out;
  for (const PermissionGroupRecord& g : permission_groups) {
    for (std::string_view n : names) {
      if (g.name == n) {
        out.insert(g.id);
      }
    }
  }
  return out;
}

bool State::user_in_account(const UserRecord& user, std::string_view account_id) const
{
  return std::find(user.accounts.begin(), user.accounts.end(), account_id) != user.accounts.end();
}

bool State::allowed(const Principal& who, const std::set<std::string>& groups, const Resource& what) const
{
  if (who.user == nullptr) {
    return false;
  }
  // The caller's own reach first: the user's accounts and zones (and for an account token, its account).
  switch (what.kind) {
  case Resource::Kind::zone:
  case Resource::Kind::account:
    if (!user_in_account(*who.user, what.kind == Resource::Kind::zone ? what.account_id : what.id)) {
      return false;
    }
    if (who.token != nullptr && !who.token->owner_account.empty()
        && who.token->owner_account != (what.kind == Resource::Kind::zone ? what.account_id : what.id)) {
      return false;
    }
    break;
  case Resource::Kind::user:
    if (what.id != who.user->id || (who.token != nullptr && !who.token->owner_account.empty())) {
      return false;
    }
    break;
  }
  if (who.is_global_key()) {
    return true;
  }
  const std::string_view scope = what.kind == Resource::Kind::zone      ? k_zone_scope
                                 : what.kind == Resource::Kind::account ? k_account_scope
                                                                        : k_user_scope;
  bool allow = false;
  for (const PolicyRecord& policy : who.token->policies) {
    bool group_hit = false;
    for (const std::string& gid : policy.permission_groups) {
      const PermissionGroupRecord* g = find_group(gid);
      if (groups.count(gid) != 0 && g != nullptr && g->scope == scope) {
        group_hit = true;
      }
    }
    if (!group_hit) {
      continue;
    }
    bool resource_hit = false;
    for (const auto& kv : policy.resources) {
      if (what.kind == Resource::Kind::zone) {
        ZoneRecord z{what.id, {}, what.account_id, {}};
        resource_hit = resource_hit || key_matches_zone(kv.key(), kv.value(), z);
      } else if (what.kind == Resource::Kind::account) {
        resource_hit = resource_hit || key_matches_account(kv.key(), kv.value(), what.id);
      } else {
        resource_hit = resource_hit || key_matches_user(kv.key(), what.id);
      }
    }
    if (!resource_hit) {
      continue;
    }
    if (!policy.allow) {
      return false;
    }
    allow = true;
  }
  return allow;
}

bool State::token_sees_zone(const TokenRecord& token, const ZoneRecord& zone) const
{
  std::set<std::string> zone_groups;
  for (const PolicyRecord& p : token.policies) {
    for (const std::string& gid : p.permission_groups) {
      const PermissionGroupRecord* g = find_group(gid);
      if (g != nullptr && g->scope == k_zone_scope) {
        zone_groups.insert(gid);
      }
    }
  }
  const UserRecord* owner = find_user(token.owner_user);
  if (owner == nullptr || zone_groups.empty()) {
    return false;
  }
  Principal who{owner, &token};
  for (const std::string& gid : zone_groups) {
    if (allowed(who, {gid}, Resource{Resource::Kind::zone, zone.id, zone.account_id})) {
      return true;
    }
  }
  return false;
}

json::value State::token_json(const TokenRecord& t) const
{
  json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["status"] = t.status;
  o["issued_on"] = t.issued_on;
  o["modified_on"] = t.modified_on;
  if (t.last_used_on) {
    o["last_used_on"] = *t.last_used_on;
  }
  if (t.not_before) {
    o["not_before"] = *t.not_before;
  }
  if (t.expires_on) {
    o["expires_on"] = *t.expires_on;
  }
  json::array policies;
  for (const PolicyRecord& p : t.policies) {
    json::object po;
    po["id"] = p.id;
    po["effect"] = p.allow ? "allow" : "deny";
    json::array groups;
    for (const std::string& gid : p.permission_groups) {
      json::object g{{"id", gid}};
      if (const PermissionGroupRecord* rec = find_group(gid)) {
        g["name"] = rec->name;
      }
      groups.push_back(std::move(g));
    }
    po["permission_groups"] = std::move(groups);
    po["resources"] = p.resources;
    policies.push_back(std::move(po));
  }
  o["policies"] = std::move(policies);
  if (!t.condition_key.empty()) {
    json::object ip;
    if (!t.ip_in.empty()) {
      ip["in"] = json::value_from(t.ip_in);
    }
    if (!t.ip_not_in.empty()) {
      ip["not_in"] = json::value_from(t.ip_not_in);
    }
    o["condition"] = json::object{{t.condition_key, std::move(ip)}};
  }
  return o;
}

json::value State::to_admin_json() const
{
  json::array toks;
  for (const TokenRecord& t : tokens) {
    json::value v = token_json(t);
    v.as_object()["owner"] = t.owner_account.empty() ? json::object{{"type", "user"}, {"id", t.owner_user}}
                                                     : json::object{{"type", "account"}, {"id", t.owner_account}};
    toks.push_back(std::move(v));
  }
  json::array records;
  for (const DnsRecord& r : dns_records) {
    records.push_back(json::object{{"id", r.id}, {"zone_id", r.zone_id}, {"type", r.type}, {"name", r.name}, {"content", r.content}});
  }
  return json::object{{"tokens", std::move(toks)}, {"dns_records", std::move(records)}};
}

} // namespace cfmigrate::emulator
