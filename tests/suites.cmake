# How every suite becomes labelled ctest entries, so `ctest -L <label>` reruns one suite.
# An entry is named <tree>.<suite>.<part>. In the native tree it carries its suite's label (core,
# mock, conformance, readme, browser, package, soak); every entry of the wasm tree is labelled wasm,
# every one of the asan tree sanitizers (its fuzz targets keep fuzz), so one combined run keeps
# the trees apart. The native tree's ctest also runs the other two trees (other_trees.cmake.in).

if(EMSCRIPTEN)
  set(KUAIDI_TREE wasm)
elseif(KUAIDI_SANITIZE)
  set(KUAIDI_TREE asan)
else()
  set(KUAIDI_TREE native)
endif()
find_program(KUAIDI_NODE NAMES node nodejs REQUIRED)

set(KUAIDI_SANITIZER_REPORTS ${CMAKE_BINARY_DIR}/sanitizer-reports)

# kuaidi_test_build_options(<target> [<header>...]): a test binary's build (or Catch2's main). The
# third-party headers its test files parse are precompiled once; the sources under test it compiles
# in parse their own includes (a forced include can change what an unqualified call finds) and stay
# out of its unity files. In the Release trees test code is compiled -O1 (the libraries it links
# keep their level): Catch2's expansions compile several times slower at -O3.
function(kuaidi_test_build_options target)
  if(ARGN)
    kuaidi_precompile(${target} ${ARGN})
  endif()
  get_target_property(sources ${target} SOURCES)
  foreach(source ${sources})
    get_filename_component(source ${source} ABSOLUTE)
    if(NOT source MATCHES "^${PROJECT_SOURCE_DIR}/tests/")
      set_source_files_properties(${source} PROPERTIES SKIP_PRECOMPILE_HEADERS ON SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endforeach()
  if(CMAKE_BUILD_TYPE STREQUAL Release)
    target_compile_options(${target} PRIVATE -O1)
  endif()
endfunction()

# kuaidi_suite(<label> <test>...): labels entries of the calling directory; in the asan tree they
# also log sanitizer reports to files, which the entry asan.sanitizers.reports fails on at the end
# (a report from a child process, e.g. the mock a test started, fails the run too).
function(kuaidi_suite label)
  if(KUAIDI_TREE STREQUAL wasm)
    set(label wasm)
  elseif(KUAIDI_TREE STREQUAL asan AND NOT label STREQUAL fuzz)
    set(label sanitizers)
  endif()
  set_property(TEST ${ARGN} APPEND PROPERTY LABELS ${label})
  if(label STREQUAL sanitizers)
    set(reports ${KUAIDI_SANITIZER_REPORTS})
    set_property(TEST ${ARGN} APPEND PROPERTY FIXTURES_REQUIRED sanitizer_reports)
    set_property(TEST ${ARGN} APPEND PROPERTY ENVIRONMENT
      "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=${reports}/asan"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=${reports}/ubsan"
      "LSAN_OPTIONS=log_path=${reports}/lsan")
  endif()
endfunction()

# kuaidi_catch_areas(<suite> <runner> <test_area.cpp>…): one entry <tree>.<suite>.<area> per file,
# running the cases tagged [<area>]. A case that asserts nothing fails (-w NoAssertions), and so
# does a file whose tag selects no case.
function(kuaidi_catch_areas suite runner)
  foreach(source ${ARGN})
    get_filename_component(area ${source} NAME_WE)
    string(REGEX REPLACE "^test_" "" area ${area})
    set(test ${KUAIDI_TREE}.${suite}.${area})
    add_test(NAME ${test} COMMAND ${runner} -w NoAssertions "[${area}]")
    set_tests_properties(${test} PROPERTIES FAIL_REGULAR_EXPRESSION "No test cases matched")
    kuaidi_suite(${suite} ${test})
  endforeach()
endfunction()

# kuaidi_node_suite(<label> <folder> [<NAME=value>...]): one entry per <folder>/*.test.mjs, found
# anew at each build, so a new test file needs no edit here.
function(kuaidi_node_suite label folder)
  file(GLOB files CONFIGURE_DEPENDS ${folder}/*.test.mjs)
  foreach(file ${files})
    get_filename_component(name ${file} NAME)
    string(REGEX REPLACE "[.]test[.]mjs$" "" name ${name})
    set(test ${KUAIDI_TREE}.${label}.${name})
    add_test(NAME ${test} COMMAND ${KUAIDI_NODE} --test ${file} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${test} PROPERTIES ENVIRONMENT "${ARGN}" TIMEOUT 900)
    kuaidi_suite(${label} ${test})
  endforeach()
endfunction()

if(KUAIDI_TREE STREQUAL asan)
  add_test(NAME asan.sanitizers.clear-reports COMMAND ${CMAKE_COMMAND} -DREPORTS=${KUAIDI_SANITIZER_REPORTS}
    -DCLEAR=ON -P ${CMAKE_CURRENT_LIST_DIR}/no_reports.cmake)
  add_test(NAME asan.sanitizers.reports
    COMMAND ${CMAKE_COMMAND} -DREPORTS=${KUAIDI_SANITIZER_REPORTS}
      -P ${CMAKE_CURRENT_LIST_DIR}/no_reports.cmake)
  set_tests_properties(asan.sanitizers.clear-reports PROPERTIES FIXTURES_SETUP sanitizer_reports
    LABELS sanitizers)
  set_tests_properties(asan.sanitizers.reports PROPERTIES FIXTURES_CLEANUP sanitizer_reports
    LABELS sanitizers)
elseif(KUAIDI_TREE STREQUAL native)
  set(KUAIDI_WASM_TREE ${PROJECT_SOURCE_DIR}/build-wasm CACHE PATH
    "The wasm tree (preset wasm): its page is what the browser and package tests load")
  set(KUAIDI_ASAN_TREE ${PROJECT_SOURCE_DIR}/build-asan CACHE PATH "The asan tree (preset asan)")
  configure_file(${CMAKE_CURRENT_LIST_DIR}/other_trees.cmake.in ${CMAKE_BINARY_DIR}/other_trees.cmake @ONLY)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${CMAKE_BINARY_DIR}/other_trees.cmake)
endif()
