// /zones, /zones/{zone_id} and what lies below a zone: DNS records, settings, cache purge and the
// analytics dashboard.
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/emulator/service.hpp>

#include "service_call.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

bool is_zone_status(const std::string& status)
{
  return status == "initializing" || status == "pending" || status == "active" || status == "moved";
}

json::object setting_json(std::string_view id, std::string_view value)
{
  return json::object{{"id", id}, {"value", value}, {"editable", true}, {"modified_on", k_epoch}};
}

} // namespace

json::object Service::zone_json(const Call& call, const ZoneRecord& zone) const
{
  const AccountRecord* account = m_state.find_account(zone.account_id);
  const UserRecord& user = call.user();
  return json::object{{"id", zone.id}, {"name", zone.name}, {"status", zone.status}, {"paused", false}, {"type", "full"},
                      {"development_mode", 0},
                      {"owner", json::object{{"id", user.id}, {"name", user.email}, {"type", "user"}}},
                      {"account", json::object{{"id", zone.account_id}, {"name", account != nullptr ? account->name : ""}}},
                      {"meta", json::object{{"step", 2}, {"custom_certificate_quota", 0}, {"page_rule_quota", 3},
                                            {"phishing_detected", false}}},
                      {"name_servers", json::array{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}},
                      {"original_name_servers", nullptr}, {"original_registrar", nullptr}, {"original_dnshost", nullptr},
                      {"created_on", k_epoch}, {"modified_on", k_epoch}, {"activated_on", k_epoch},
                      {"permissions", json::array{}}};
}

bool Service::zone_allows(const Call& call, std::initializer_list<std::string_view> group_names) const
{
  const Resource zone{Resource::Kind::zone, call.zone->id, call.zone->account_id};
  return m_state.allowed(call.who, m_state.group_ids(group_names), zone);
}

Response Service::list_zones(Call& call)
{
  const Query& query = call.query;
  if (auto it = query.find("status"); it != query.end() && !is_zone_status(it->second)) {
    return fail(400, api_error::bad_pagination, "status must be one of initializing, pending, active, moved");
  }
  std::vector<const ZoneRecord*> matches;
  for (const ZoneRecord& z : m_state.zones) {
    if (!m_state.user_in_account(call.user(), z.account_id)) {
      continue;
    }
    if (call.who.token != nullptr && !m_state.token_sees_zone(*call.who.token, z)) {
      continue;
    }
    if (auto it = query.find("name"); it != query.end() && !name_matches(it->second, z.name)) {
      continue;
    }
    if (auto it = query.find("account.id"); it != query.end() && it->second != z.account_id) {
      continue;
    }
    if (auto it = query.find("status"); it != query.end() && it->second != z.status) {
      continue;
    }
    matches.push_back(&z);
  }
  std::sort(matches.begin(), matches.end(), [](const ZoneRecord* a, const ZoneRecord* b) { return a->name < b->name; });
  json::array items;
  for (const ZoneRecord* z : matches) {
    items.push_back(zone_json(call, *z));
  }
  return paginated(query, items);
}

std::optional<Response> Service::require_zone(Call& call)
{
  const ZoneRecord* zone = m_state.find_zone(call.param("zone_id"));
  if (zone == nullptr || !m_state.user_in_account(call.user(), zone->account_id)) {
    return fail(404, api_error::invalid_zone, "Invalid zone identifier");
  }
  call.zone = zone;
  return std::nullopt;
}

Response Service::get_zone(Call& call)
{
  return zone_allows(call, {"Zone Read", "Zone Write"}) ? ok(zone_json(call, *call.zone)) : forbidden();
}

Response Service::list_dns_records(Call& call)
{
  if (!zone_allows(call, {"DNS Read", "DNS Write"})) {
    return forbidden();
  }
  json::array items;
  for (const DnsRecord& r : m_state.dns_records) {
    if (r.zone_id == call.zone->id) {
      items.push_back(json::object{{"id", r.id}, {"type", r.type}, {"name", r.name}, {"content", r.content},
                                   {"zone_id", r.zone_id}, {"zone_name", call.zone->name}});
    }
  }
  return paginated(call.query, items);
}

Response Service::create_dns_record(Call& call)
{
  if (!zone_allows(call, {"DNS Write"})) {
    return forbidden();
  }
  boost::system::error_code ec;
  const json::value body = json::parse(call.request.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("type") || !body.as_object().contains("name")
      || !body.as_object().at("type").is_string() || !body.as_object().at("name").is_string()) {
    return fail(400, api_error::bad_body, "DNS record needs type and name");
  }
  DnsRecord rec{random_hex(16), call.zone->id, std::string(body.as_object().at("type").as_string()),
                std::string(body.as_object().at("name").as_string()), ""};
  if (const json::value* c = body.as_object().if_contains("content"); c != nullptr && c->is_string()) {
    rec.content = std::string(c->as_string());
  }
  m_state.dns_records.push_back(rec);
  (void)save_state();
  return ok(json::object{{"id", rec.id}, {"type", rec.type}, {"name", rec.name}, {"content", rec.content}, {"zone_id", rec.zone_id}});
}

Response Service::delete_dns_record(Call& call)
{
  if (!zone_allows(call, {"DNS Write"})) {
    return forbidden();
  }
  const std::string& record_id = call.param("record_id");
  auto it = std::find_if(m_state.dns_records.begin(), m_state.dns_records.end(),
                         [&](const DnsRecord& r) { return r.id == record_id && r.zone_id == call.zone->id; });
  if (it == m_state.dns_records.end()) {
    return fail(404, api_error::record_not_found, "Record does not exist.");
  }
  m_state.dns_records.erase(it);
  (void)save_state();
  return ok(json::object{{"id", record_id}});
}

Response Service::list_zone_settings(Call& call)
{
  if (!zone_allows(call, {"Zone Settings Read", "Zone Settings Write"})) {
    return forbidden();
  }
  return ok(json::array{setting_json("ssl", "full"), setting_json("always_use_https", "on")});
}

Response Service::get_zone_setting(Call& call)
{
  if (!zone_allows(call, {"Zone Settings Read", "Zone Settings Write"})) {
    return forbidden();
  }
  return ok(setting_json(call.param("setting"), "on"));
}

Response Service::edit_zone_setting(Call& call)
{
  if (!zone_allows(call, {"Zone Settings Write"})) {
    return forbidden();
  }
  return ok(setting_json(call.param("setting"), "on"));
}

Response Service::purge_cache(Call& call)
{
  return zone_allows(call, {"Cache Purge"}) ? ok(json::object{{"id", call.zone->id}}) : forbidden();
}

Response Service::zone_analytics(Call& call)
{
  return zone_allows(call, {"Analytics Read"})
           ? ok(json::object{{"totals", json::object{{"requests", json::object{{"all", 0}}}}}, {"timeseries", json::array{}}})
           : forbidden();
}

} // namespace cfmigrate::emulator
