# Warnings and hardening shared by every target of the project.
add_library(assay_build_flags INTERFACE)
target_compile_options(assay_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough -Wno-missing-field-initializers)
if(CMAKE_BUILD_TYPE STREQUAL "Release" OR CMAKE_BUILD_TYPE STREQUAL "RelWithDebInfo")
  target_compile_options(assay_build_flags INTERFACE
    -D_FORTIFY_SOURCE=2 -D_GLIBCXX_ASSERTIONS -fstack-protector-strong -fstack-clash-protection -fcf-protection)
  target_link_options(assay_build_flags INTERFACE -Wl,-z,relro,-z,now -Wl,-z,noexecstack)
endif()

# assay_target_defaults(TARGET): the flags every project target gets.
function(assay_target_defaults target)
  target_link_libraries(${target} PRIVATE assay_build_flags)
endfunction()
