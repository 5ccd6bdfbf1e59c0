#pragma once
// Authenticating plan files (issue 12): `plan` adds a top-level "mac" field, HMAC-SHA256 under a
// key kept in the state directory, over the compact serialisation of the plan object without
// that field, in the document's own field order. The verifier re-produces that serialisation
// from the parsed file (copying the fields except "mac" in order: json::object::erase would
// reorder them), so any change to any value, added or removed field is detected, while
// whitespace and indentation are not part of what is signed.
//
// `plan -o` signs and `apply` checks through exec/plan_authentication.hpp (the key file, --trust-plan).

#include <cfmigrate/util/secret.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace cfmigrate::plan {

inline constexpr const char* k_plan_mac_field = "mac";

enum class PlanSignature { valid, invalid, missing };
const char* to_string(PlanSignature signature);

// Sets "mac" (replacing one already there) as the last field: "hmac-sha256:<64 hex digits>".
void sign_plan_json(boost::json::object& plan, const Secret& key);

// missing: not an object, or no "mac" string; invalid: the MAC does not match under `key`.
PlanSignature check_plan_json(const boost::json::value& plan, const Secret& key);

} // namespace cfmigrate::plan
