# Checking builds (docs/testing.md). Two options, each meant for a build tree of its own; the
# normal tree builds those trees itself from its `sanitize` and `fuzz` CTest labels
# (tests/sanitize/, tests/fuzz/).
#
# CFMIGRATE_SANITIZE: every target built with ASan + UBSan, any report fatal
#   (-fno-sanitize-recover=all), -O1 so the tests run in reasonable time, libstdc++'s cheap
#   bounds checks on. Meant for CMAKE_BUILD_TYPE=Debug (asserts on).
# CFMIGRATE_FUZZ: clang only. Every target instrumented for libFuzzer plus ASan + UBSan, and the
#   libFuzzer targets of tests/fuzz built. Needs clang and its libFuzzer runtime
#   (Debian 12: clang-14 libclang-rt-14-dev; contrib/install-deps.sh with CFMIGRATE_WITH_TEST_TOOLS=1).

option(CFMIGRATE_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CFMIGRATE_FUZZ "Build the libFuzzer targets (clang only; implies ASan + UBSan)" OFF)

set(CFMIGRATE_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

if(CFMIGRATE_SANITIZE)
  # -O1 comes after CMAKE_CXX_FLAGS_<CONFIG> on the command line, so it wins over -O0/-O2.
  add_compile_options(${CFMIGRATE_SANITIZER_FLAGS} -O1)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
  add_link_options(${CFMIGRATE_SANITIZER_FLAGS})
endif()

if(CFMIGRATE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CFMIGRATE_FUZZ needs clang (libFuzzer): configure a separate tree with "
                        "-DCMAKE_CXX_COMPILER=clang++ (the `fuzz` CTest label of a normal tree does that).")
  endif()
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer,address,undefined")
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
  ]] CFMIGRATE_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT CFMIGRATE_HAVE_LIBFUZZER)
    message(FATAL_ERROR "clang cannot link a libFuzzer target: the libFuzzer runtime is missing. Install it with:\n"
                        "  apt-get install clang-14 libclang-rt-14-dev\n"
                        "(or CFMIGRATE_WITH_TEST_TOOLS=1 contrib/install-deps.sh)")
  endif()
  # Coverage instrumentation everywhere (fuzzer-no-link); only the fuzz targets link libFuzzer's main.
  add_compile_options(${CFMIGRATE_SANITIZER_FLAGS} -fsanitize=fuzzer-no-link -O1)
  add_link_options(${CFMIGRATE_SANITIZER_FLAGS})
endif()
