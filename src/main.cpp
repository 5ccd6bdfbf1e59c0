#include <cfmigrate/cli/run.hpp>

#include <iostream>

int main(int argc, char** argv)
{
  return cfmigrate::cli::run(argc, argv, std::cout, std::cerr);
}
