# tether_add_plugin(<target> SOURCES ... [LIBRARIES ...])
# Builds a plugin as a MODULE library named <target>.so in the plugin folder.
set(TETHER_PLUGIN_EXPORTS ${CMAKE_CURRENT_LIST_DIR}/plugin-exports.map)
function(tether_add_plugin target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE tether::plugin-api ${ARG_LIBRARIES})
  # Unresolved symbols fail the build, not the load; only the entry point is
  # exported, so no plugin's copy of a library shadows another's.
  target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--version-script=${TETHER_PLUGIN_EXPORTS})
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${TETHER_PLUGIN_EXPORTS})
  # GNU "unique" symbols (from inline statics in libstdc++ headers) would make
  # the library impossible to unload; without them dlclose really unmaps it.
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  set_target_properties(${target} PROPERTIES PREFIX "" LIBRARY_OUTPUT_DIRECTORY ${TETHER_PLUGIN_DIR})
  install(TARGETS ${target} LIBRARY DESTINATION ${TETHER_INSTALL_PLUGIN_DIR} COMPONENT ${target})
  set_property(GLOBAL APPEND PROPERTY TETHER_PLUGINS_BUILT ${target})
endfunction()

# tether_plugin_option(<NAME> <doc>) -> option TETHER_PLUGIN_<NAME>, ON by default.
# Turned off, the plugin it names (CODEC_VPX: codec-vpx) is recorded as skipped.
macro(tether_plugin_option name doc)
  option(TETHER_PLUGIN_${name} "${doc}" ON)
  if(NOT TETHER_PLUGIN_${name})
    string(TOLOWER "${name}" _tether_plugin)
    string(REPLACE "_" "-" _tether_plugin "${_tether_plugin}")
    tether_skip_plugin(${_tether_plugin} "TETHER_PLUGIN_${name}=OFF")
  endif()
endmacro()

# Records a plugin left out of the build, for the configure summary.
function(tether_skip_plugin target reason)
  set_property(GLOBAL APPEND PROPERTY TETHER_PLUGINS_SKIPPED "${target} (${reason})")
endfunction()
