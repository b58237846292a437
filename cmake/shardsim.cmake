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

# shardsim_drop_disabled_protocols(LIST PATTERN): removes from LIST the files of protocol kinds
# that are not built; PATTERN has KIND where the kind's name goes, e.g. "/KIND(_property)?_test".
function(shardsim_drop_disabled_protocols list_var pattern)
  set(files ${${list_var}})
  foreach(kind amm lending synthetics perps prediction)
    string(TOUPPER ${kind} upper)
    if(NOT "SHARDSIM_HAS_${upper}" IN_LIST SHARDSIM_PROTOCOL_DEFS)
      string(REPLACE "KIND" ${kind} regex "${pattern}")
      list(FILTER files EXCLUDE REGEX "${regex}")
    endif()
  endforeach()
  set(${list_var} ${files} PARENT_SCOPE)
endfunction()
