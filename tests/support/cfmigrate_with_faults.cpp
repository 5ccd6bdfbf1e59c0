// cfmigrate-with-faults: the cfmigrate CLI with fault injection from CFMIGRATE_FAIL_AT, for the
// integration tests that fail apply and rollback at every step. Test-only: never installed.

#include "fault_injector_from_environment.hpp"

#include <cfmigrate/cli/run.hpp>

#include <iostream>

int main(int argc, char** argv)
{
  return cfmigrate::cli::run(argc, argv, std::cout, std::cerr, cfmigrate::test::fault_injector_from_environment);
}
