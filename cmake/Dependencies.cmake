# Find what cfmigrate builds against, and say exactly what to install when something is missing.
set(CFMIGRATE_APT_HINT "apt-get install cmake g++ libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev libssl-dev")

find_package(Boost 1.81 CONFIG COMPONENTS json program_options)
if(NOT Boost_FOUND)
  message(FATAL_ERROR "Boost >= 1.81 with JSON and Program_options was not found (Debian 12's default Boost 1.74 has no Boost.JSON).\n"
                      "Install it with:\n  ${CFMIGRATE_APT_HINT}")
endif()
if(CFMIGRATE_BUILD_TESTS)
  find_package(Boost 1.81 CONFIG COMPONENTS unit_test_framework)
  if(NOT Boost_UNIT_TEST_FRAMEWORK_FOUND AND NOT TARGET Boost::unit_test_framework)
    message(FATAL_ERROR "Boost.Test 1.81 was not found. Install it with:\n  ${CFMIGRATE_APT_HINT}\n"
                        "or configure with -DCFMIGRATE_BUILD_TESTS=OFF.")
  endif()
endif()

find_package(OpenSSL 3)
if(NOT OpenSSL_FOUND)
  message(FATAL_ERROR "OpenSSL 3 development files were not found. Install them with:\n  apt-get install libssl-dev")
endif()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
