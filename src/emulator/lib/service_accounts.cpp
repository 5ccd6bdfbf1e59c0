// /user (the caller's details) and /accounts (the accounts the caller may see).
#include <cfmigrate/emulator/service.hpp>

#include "service_call.hpp"

namespace cfmigrate::emulator {

namespace json = boost::json;

Response Service::get_user(Call& call)
{
  const UserRecord& user = call.user();
  if (!m_state.allowed(call.who, m_state.group_ids({"User Details Read", "User Details Write"}),
                       {Resource::Kind::user, user.id, {}})) {
    return forbidden();
  }
  return ok(json::object{{"id", user.id}, {"email", user.email}, {"first_name", nullptr}, {"last_name", nullptr},
                         {"username", user.id}, {"telephone", nullptr}, {"country", nullptr}, {"zipcode", nullptr},
                         {"two_factor_authentication_enabled", false}, {"two_factor_authentication_locked", false},
                         {"has_pro_zones", false}, {"has_business_zones", false}, {"has_enterprise_zones", false},
                         {"suspended", false}, {"betas", json::array{}}, {"organizations", json::array{}},
                         {"created_on", k_epoch}, {"modified_on", k_epoch}});
}

Response Service::list_accounts(Call& call)
{
  const TokenRecord* token = call.who.token;
  const auto name_filter = call.query.find("name");
  json::array items;
  for (const AccountRecord& a : m_state.accounts) {
    if (!m_state.user_in_account(call.user(), a.id)) {
      continue;
    }
    if (token != nullptr && !token->owner_account.empty() && token->owner_account != a.id) {
      continue;
    }
    if (name_filter != call.query.end() && !name_matches(name_filter->second, a.name)) {
      continue;
    }
    items.push_back(json::object{{"id", a.id}, {"name", a.name}, {"type", "standard"}, {"created_on", k_epoch},
                                 {"settings", json::object{{"enforce_twofactor", false}, {"abuse_contact_email", nullptr}}}});
  }
  return paginated(call.query, items);
}

} // namespace cfmigrate::emulator
