# Turns the dashboard's files (web/) into a C++ source, so the daemon serves
# them from its binary: no files to install, no CDN.
# Run as: cmake -DOUTPUT=<file.cpp> -DSOURCE_DIR=<repo> -P embed_assets.cmake
set(assets
  dashboard.html=kDashboardHtml
  dashboard.js=kDashboardJs
  dashboard.css=kDashboardCss)
set(text "// Generated from web/ by cmake/embed_assets.cmake; edit the files in web/.\n")
string(APPEND text "#include \"dashboard_assets.h\"\n\nnamespace ddb::assets {\n")
foreach(asset ${assets})
  string(REPLACE "=" ";" pair "${asset}")
  list(GET pair 0 file)
  list(GET pair 1 symbol)
  file(READ "${SOURCE_DIR}/web/${file}" content)
  string(FIND "${content}" ")ddbasset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "web/${file} contains the raw-string delimiter )ddbasset\"")
  endif()
  string(APPEND text "const std::string_view ${symbol} = R\"ddbasset(${content})ddbasset\";\n")
endforeach()
string(APPEND text "}  // namespace ddb::assets\n")
file(WRITE "${OUTPUT}.tmp" "${text}")
# Only touch the output when it changed, so a re-run does not rebuild.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
