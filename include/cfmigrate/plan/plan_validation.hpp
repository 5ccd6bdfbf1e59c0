#pragma once
// A plan file is untrusted input: anyone who can write it (or a damaged disk) decides what root
// will write where. validate_plan checks every field apply relies on before the first mutation:
// paths normalised, absolute and listed once in files[]; edits inside the recorded size, sorted
// and non-overlapping; every token reference defined; every policy no wider than the zones,
// accounts and permissions the plan shows. Any violation is one ErrorCode::parse error whose
// message names the field.

#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/util/result.hpp>

namespace cfmigrate::plan {

[[nodiscard]] Status validate_plan(const Plan& plan);

// Plan ids name a directory in the state dir: letters, digits, '-', '_', '.', not starting with '.',
// at most 128 bytes.
bool is_valid_plan_id(std::string_view id);

} // namespace cfmigrate::plan
