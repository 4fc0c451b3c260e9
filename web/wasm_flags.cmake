# How the core becomes WebAssembly, defined once: web/CMakeLists.txt builds the page's kuaidi.wasm
# with it, benchmarks/CMakeLists.txt the benchmark's (scripts/bench_core.sh takes its default level
# from the KUAIDI_WASM_OPT line), so the measured wasm is the shipped one.
include_guard(GLOBAL)

set(KUAIDI_WASM_OPT -O3 CACHE STRING "Optimisation level of the WebAssembly builds, compile and link")

# Single instructions for memcpy/memset, sign extension and float-to-int; every browser the page
# already needs (Safari 15.4+, Chrome 93+, Firefox 92+) has them.
set(KUAIDI_WASM_FEATURES -mbulk-memory -msign-ext -mnontrapping-fptoint)

# Code generation on targets, compile and link (the optimisation level is the caller's choice).
# Debian's emscripten ships libc++ built -Oz without inlining, and std::string's members are extern
# templates that every call would reach there: instantiating them in our code lets them inline.
function(kuaidi_wasm_codegen)
  foreach(target ${ARGN})
    target_compile_definitions(${target} PRIVATE _LIBCPP_DISABLE_EXTERN_TEMPLATE)
    target_compile_options(${target} PRIVATE ${KUAIDI_WASM_FEATURES})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL EXECUTABLE)
      target_link_options(${target} PRIVATE ${KUAIDI_WASM_FEATURES})
    endif()
  endforeach()
endfunction()
