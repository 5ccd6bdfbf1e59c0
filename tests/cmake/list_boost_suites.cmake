# cmake -D EXECUTABLE=path -D OUTPUT=file -D NAME=prefix -D SOURCE_DIR=dir -D BASE_DIR=dir -P list_boost_suites.cmake
#
# Writes OUTPUT for BoostTestSuites.cmake: `NAME_executable` and `NAME_suites`, one
# "suite|module|enabled" entry per top-level test unit of the Boost.Test EXECUTABLE. The DOT
# listing is used because, unlike the plain one, it names each unit's source file: the module is
# the directory under SOURCE_DIR holding it (tests/unit/scan/test_detector.cpp -> scan). Relative
# file names (as Ninja passes them to the compiler) are taken from BASE_DIR, the top build dir.
cmake_minimum_required(VERSION 3.25)
foreach(var EXECUTABLE OUTPUT NAME SOURCE_DIR BASE_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "list_boost_suites.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND "${EXECUTABLE}" --list_content=DOT
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXECUTABLE} --list_content=DOT failed (${rc}):\n${out}${err}")
endif()
string(REPLACE ";" "," listing "${out}${err}") # no list separators inside labels
string(REPLACE "\n" ";" lines "${listing}")

# The master suite is the one drawn with two peripheries; its children are the top-level units.
set(master "")
foreach(line IN LISTS lines)
  if(line MATCHES "^(tu[0-9]+)\\[shape=ellipse,peripheries=2")
    set(master ${CMAKE_MATCH_1})
    break()
  endif()
endforeach()
if(master STREQUAL "")
  message(FATAL_ERROR "${EXECUTABLE}: no master suite in its --list_content=DOT output")
endif()

set(top "")
foreach(line IN LISTS lines)
  if(line MATCHES "^${master} -> (tu[0-9]+),$")
    list(APPEND top ${CMAKE_MATCH_1})
  endif()
endforeach()

set(entries "")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^(tu[0-9]+)\\[shape=Mrecord,fontname=Helvetica,color=([a-z]+),label=\"([^|\"]+)\\|([^\"]*)\\(([0-9]+)\\)")
    continue()
  endif()
  set(id ${CMAKE_MATCH_1})
  set(color ${CMAKE_MATCH_2})
  set(suite ${CMAKE_MATCH_3})
  set(file ${CMAKE_MATCH_4})
  if(NOT id IN_LIST top)
    continue()
  endif()
  get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${BASE_DIR}")
  file(RELATIVE_PATH relative "${SOURCE_DIR}" "${file}")
  get_filename_component(module "${relative}" DIRECTORY)
  if(module MATCHES "^\\.\\." OR IS_ABSOLUTE "${module}")
    set(module "") # outside SOURCE_DIR (e.g. a shared helper)
  endif()
  string(REPLACE "/" "." module "${module}")
  if(color STREQUAL "green")
    set(enabled 1)
  else()
    set(enabled 0)
  endif()
  list(APPEND entries "${suite}|${module}|${enabled}")
endforeach()
if(entries STREQUAL "")
  message(FATAL_ERROR "${EXECUTABLE}: no test suites found in its --list_content=DOT output")
endif()

file(WRITE "${OUTPUT}.tmp" "# Generated from ${EXECUTABLE} --list_content=DOT\n"
  "set(${NAME}_executable \"${EXECUTABLE}\")\nset(${NAME}_suites \"${entries}\")\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
