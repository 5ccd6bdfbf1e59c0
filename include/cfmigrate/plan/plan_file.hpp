#pragma once
// Reading and writing plan files (docs/plan-format.md).

#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/json/value.hpp>

#include <string>

namespace cfmigrate::plan {

boost::json::value to_json(const Plan& plan);

// Strict: a wrong format string, a missing field or a bad type is a parse error.
[[nodiscard]] Result<Plan> plan_from_json(const boost::json::value& value);

// Writes the plan to `path` atomically (util/atomic_file); a new file is 0600, an existing one
// keeps its mode and owner.
[[nodiscard]] Status write_plan_file(const Plan& plan, const std::string& path);
// The same for a plan already made JSON (e.g. signed: exec/plan_authentication.hpp).
[[nodiscard]] Status write_plan_document(const boost::json::value& document, const std::string& path);
[[nodiscard]] Result<Plan> read_plan_file(const std::string& path);

} // namespace cfmigrate::plan
