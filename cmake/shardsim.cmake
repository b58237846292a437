# Shared build settings: warnings, sanitizers, and the shardsim_add_library() helper that makes
# one folder one target (`shardsim::NAME`).
set(SHARDSIM_WARNINGS -Wall -Wextra -Wno-unused-parameter)

# The fuzz build instruments every target for libFuzzer's coverage (fuzzer-no-link: the libraries
# do not get libFuzzer's main) and checks all of them with ASan and UBSan; UB stops the run so the
# fuzzer counts it as a crash.
if(SHARDSIM_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(SHARDSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# shardsim_add_library(NAME DEPS dep...): builds every .cpp in the calling folder into
# shardsim_NAME, aliased shardsim::NAME, with the project root on the include path.
function(shardsim_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(shardsim_${name} STATIC ${srcs})
  add_library(shardsim::${name} ALIAS shardsim_${name})
  target_include_directories(shardsim_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(shardsim_${name} PRIVATE ${SHARDSIM_WARNINGS})
  target_link_libraries(shardsim_${name} PUBLIC ${ARG_DEPS})
endfunction()
