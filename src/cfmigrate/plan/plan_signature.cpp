#include <cfmigrate/plan/plan_signature.hpp>

#include <cfmigrate/util/hmac.hpp>

#include <boost/json/serialize.hpp>

#include <string_view>

namespace cfmigrate::plan {

namespace json = boost::json;

namespace {

constexpr std::string_view k_scheme = "hmac-sha256:";

// What is signed: the plan's fields except "mac", in their order, serialised compactly.
std::string signed_text(const json::object& plan)
{
  json::object unsigned_plan;
  for (const auto& entry : plan) {
    if (entry.key() != k_plan_mac_field) {
      unsigned_plan.emplace(entry.key(), entry.value());
    }
  }
  return json::serialize(unsigned_plan);
}

std::string mac_of(const json::object& plan, const Secret& key)
{
  return std::string(k_scheme) +
         hmac_sha256_hex(key.expose_secret_value_for_use_in_credential_slot(), signed_text(plan));
}

} // namespace

const char* to_string(PlanSignature signature)
{
  switch (signature) {
  case PlanSignature::valid: return "valid";
  case PlanSignature::invalid: return "invalid";
  case PlanSignature::missing: return "missing";
  }
  return "invalid";
}

void sign_plan_json(json::object& plan, const Secret& key)
{
  std::string mac = mac_of(plan, key);
  if (json::value* existing = plan.if_contains(k_plan_mac_field)) {
    *existing = std::move(mac);  // keeps its place; a re-sign of a read plan stays identical
    return;
  }
  plan[k_plan_mac_field] = std::move(mac);
}

PlanSignature check_plan_json(const json::value& plan, const Secret& key)
{
  const json::object* object = plan.if_object();
  const json::value* mac = object != nullptr ? object->if_contains(k_plan_mac_field) : nullptr;
  if (mac == nullptr || !mac->is_string()) {
    return PlanSignature::missing;
  }
  return macs_equal(mac_of(*object, key), std::string_view(mac->get_string())) ? PlanSignature::valid
                                                                                : PlanSignature::invalid;
}

} // namespace cfmigrate::plan
