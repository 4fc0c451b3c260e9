# Fails when a C++ file under git does not follow .clang-format (clang-format --dry-run --Werror
# names each one); `clang-format -i FILE` fixes it.
execute_process(COMMAND git ls-files -- *.cpp *.hpp *.h WORKING_DIRECTORY ${ROOT}
  OUTPUT_VARIABLE files RESULT_VARIABLE listed)
if(NOT listed EQUAL 0)
  message(FATAL_ERROR "git ls-files failed in ${ROOT}")
endif()
string(REPLACE "\n" ";" files "${files}")
list(FILTER files EXCLUDE REGEX "^$")
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${files} WORKING_DIRECTORY ${ROOT}
  RESULT_VARIABLE formatted)
if(NOT formatted EQUAL 0)
  message(FATAL_ERROR "files above differ from .clang-format: run clang-format -i on them")
endif()
list(LENGTH files count)
message(STATUS "${count} C++ files follow .clang-format")
