# The sanitizer tree's first and last entries: -DCLEAR=ON empties the reports folder the tests log
# to; without it, any report there fails the run and is printed.
# cmake -DREPORTS=<folder> [-DCLEAR=ON] -P no_reports.cmake
if(CLEAR)
  file(REMOVE_RECURSE ${REPORTS})
  file(MAKE_DIRECTORY ${REPORTS})
  return()
endif()
file(GLOB reports ${REPORTS}/*)
if(NOT reports)
  return()
endif()
foreach(report ${reports})
  file(READ ${report} text)
  message("--- ${report}\n${text}")
endforeach()
list(LENGTH reports count)
message(FATAL_ERROR "${count} sanitizer report(s) in ${REPORTS}")
