# Writes <library without .so>.json with the plugin's name, version, ABI and the library's sha256.
# cmake -DLIBRARY=path/name.so -DNAME=name -DVERSION=x.y.z [-DABI=1] [-DDESCRIPTION=...] -P AssayPluginManifest.cmake
if(NOT DEFINED ABI)
  set(ABI 1)
endif()
file(SHA256 "${LIBRARY}" sha)
get_filename_component(dir "${LIBRARY}" DIRECTORY)
get_filename_component(file "${LIBRARY}" NAME)
get_filename_component(stem "${LIBRARY}" NAME_WLE)
string(REPLACE "\"" "'" DESCRIPTION "${DESCRIPTION}")
file(WRITE "${dir}/${stem}.json"
"{\n  \"name\": \"${NAME}\",\n  \"version\": \"${VERSION}\",\n  \"abi\": ${ABI},\n  \"library\": \"${file}\",\n  \"sha256\": \"${sha}\",\n  \"description\": \"${DESCRIPTION}\"\n}\n")
