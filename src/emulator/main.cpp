// cfmigrate-emulator: forwards to the emulator library (docs/emulator.md).
#include <cfmigrate/emulator/cli.hpp>

#include <iostream>

int main(int argc, char** argv)
{
  return cfmigrate::emulator::run_emulator(argc, argv, std::cout, std::cerr);
}
