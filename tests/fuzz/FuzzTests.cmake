# cfmigrate_add_fuzz_test(NAME FUZZER_PATH [FIXTURE fixture])
#
# Registers CTest test fuzz.NAME (label `fuzz`): tests/fuzz/run_fuzzer.sh runs the libFuzzer
# target at FUZZER_PATH on the seeds of tests/fuzz/corpus/NAME and the saved crashes of
# tests/fuzz/regressions/NAME for CFMIGRATE_FUZZ_SECONDS (default 30). Used by the fuzz tree
# itself (tests/fuzz/CMakeLists.txt) and by a normal tree, which builds the fuzz tree in a
# fixture (tests/CMakeLists.txt).

set(CFMIGRATE_FUZZ_SECONDS 30 CACHE STRING "How long each libFuzzer target runs in the fuzz CTest label")
set(CFMIGRATE_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CFMIGRATE_FUZZ_TARGETS plan_reader journal_reader scan_report_reader)

function(cfmigrate_add_fuzz_test name fuzzer)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "FIXTURE" "")
  add_test(NAME fuzz.${name}
    COMMAND bash ${CFMIGRATE_FUZZ_DIR}/run_fuzzer.sh ${fuzzer} ${CFMIGRATE_FUZZ_DIR}/corpus/${name}
            ${CFMIGRATE_FUZZ_DIR}/regressions/${name} ${CMAKE_BINARY_DIR}/fuzz-work/${name}
            ${CFMIGRATE_FUZZ_SECONDS} ${CFMIGRATE_FUZZ_DIR}/json.dict)
  math(EXPR timeout "${CFMIGRATE_FUZZ_SECONDS} + 120")
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT ${timeout})
  if(arg_FIXTURE)
    set_tests_properties(fuzz.${name} PROPERTIES FIXTURES_REQUIRED ${arg_FIXTURE})
  endif()
endfunction()
