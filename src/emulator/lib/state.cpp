// Looking things up in the emulator's world, and how tokens and the state are shown.
#include <cfmigrate/emulator/state.hpp>
#include <cfmigrate/util/text.hpp>

#include <boost/json/value_from.hpp>

#include <algorithm>
#include <cctype>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

} // namespace

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
