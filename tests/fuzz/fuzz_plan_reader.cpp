// libFuzzer target: the plan reader (plan/plan_file.hpp read_plan_file) and the validation apply
// runs before its first mutation (plan/plan_validation.hpp). An input may be refused, never crash,
// hang or leak; a plan that is read and validated must survive being written and read again
// (otherwise `plan` could write a plan its own `apply` rejects).

#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_validation.hpp>

#include "fuzz_input_file.hpp"

#include <boost/json/serialize.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  namespace plan = cfmigrate::plan;
  auto read = plan::read_plan_file(cfmigrate::fuzz::input_file(data, size));
  if (!read || !plan::validate_plan(*read)) {
    return 0;
  }
  const std::string rewritten = boost::json::serialize(plan::to_json(*read));
  const std::uint8_t* bytes = reinterpret_cast<const std::uint8_t*>(rewritten.data());
  auto again = plan::read_plan_file(cfmigrate::fuzz::input_file(bytes, rewritten.size()));
  if (!again || !plan::validate_plan(*again)) {
    std::abort(); // a valid plan written out by to_json is no longer a valid plan
  }
  return 0;
}
