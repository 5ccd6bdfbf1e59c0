// libFuzzer target: the scan-report reader of `plan --from-scan` (plan/scan_report_input.hpp).
// A malformed report may be refused, never crash, hang or leak.

#include <cfmigrate/plan/scan_report_input.hpp>

#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  (void)cfmigrate::plan::paths_in_scan_report(cfmigrate::fuzz::input_file(data, size));
  return 0;
}
