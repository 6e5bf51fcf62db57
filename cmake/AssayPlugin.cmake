# assay_add_plugin(TARGET NAME dotted.name VERSION x.y.z SOURCES a.cpp ... [OUTPUT_DIR dir])
# Builds a plugin as a MODULE library named <NAME>.so with hidden visibility, linked against
# the SDK only, and writes its manifest <NAME>.json (name, version, ABI, sha256) beside it.
# Shipped with the SDK: vendors use it after find_package(AssaySDK).
set(_ASSAY_PLUGIN_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

function(assay_add_plugin target)
  cmake_parse_arguments(P "" "NAME;VERSION;OUTPUT_DIR;DESCRIPTION" "SOURCES;LIBS" ${ARGN})
  if(NOT P_NAME OR NOT P_VERSION)
    message(FATAL_ERROR "assay_add_plugin(${target}): NAME and VERSION are required")
  endif()
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE Assay::sdk ${P_LIBS})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "${P_NAME}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)
  if(P_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIR}")
  endif()
  target_compile_definitions(${target} PRIVATE ASSAY_PLUGIN_NAME="${P_NAME}" ASSAY_PLUGIN_VERSION="${P_VERSION}")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:${target}> -DNAME=${P_NAME} -DVERSION=${P_VERSION}
            "-DDESCRIPTION=${P_DESCRIPTION}" -P ${_ASSAY_PLUGIN_CMAKE_DIR}/AssayPluginManifest.cmake
    COMMENT "Writing the manifest of plugin ${P_NAME} ${P_VERSION}")
  set_property(TARGET ${target} PROPERTY ASSAY_PLUGIN_NAME ${P_NAME})
endfunction()

# assay_install_plugin(TARGET DESTINATION dir): installs the library and its manifest.
function(assay_install_plugin target)
  cmake_parse_arguments(P "" "DESTINATION;COMPONENT" "" ${ARGN})
  get_target_property(name ${target} ASSAY_PLUGIN_NAME)
  if(NOT P_COMPONENT)
    set(P_COMPONENT plugins)
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION ${P_DESTINATION} COMPONENT ${P_COMPONENT})
  install(FILES $<TARGET_FILE_DIR:${target}>/${name}.json DESTINATION ${P_DESTINATION} COMPONENT ${P_COMPONENT})
endfunction()
