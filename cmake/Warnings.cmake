function(cfmigrate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  if(CFMIGRATE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
