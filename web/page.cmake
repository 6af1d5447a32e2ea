# The page target (wasm only): the ImGui/SDL2 playground + Embind API, and the self-contained
# static folder ${NNPLAY_DIST_DIR} (index.html, nnplay.js, nnplay.wasm, shaders/). Not the engine.
set(NNPLAY_DIST_DIR "${CMAKE_SOURCE_DIR}/dist" CACHE PATH "where the page's static folder is written")
set(NNPLAY_IMGUI_DIR "${NNPLAY_CACHE}/src/imgui-1.86" CACHE PATH "Dear ImGui 1.86 sources (tools/deps.sh)")
set(NNPLAY_SDL2_DIR "${NNPLAY_CACHE}/sdl2-2.26.5-wasm" CACHE PATH "SDL2 2.26.5 built for wasm (tools/deps.sh)")
if(NOT EXISTS "${NNPLAY_IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "Dear ImGui sources not found at ${NNPLAY_IMGUI_DIR}: run tools/deps.sh web")
endif()
if(NOT EXISTS "${NNPLAY_SDL2_DIR}/lib/libSDL2.a")
  message(FATAL_ERROR "SDL2 for wasm not found at ${NNPLAY_SDL2_DIR}/lib/libSDL2.a: run tools/deps.sh web")
endif()

# Dear ImGui and its SDL2 + OpenGL ES 3 backends, as one static library.
add_library(nnplay_imgui STATIC
  ${NNPLAY_IMGUI_DIR}/imgui.cpp ${NNPLAY_IMGUI_DIR}/imgui_draw.cpp ${NNPLAY_IMGUI_DIR}/imgui_tables.cpp
  ${NNPLAY_IMGUI_DIR}/imgui_widgets.cpp ${NNPLAY_IMGUI_DIR}/backends/imgui_impl_sdl.cpp
  ${NNPLAY_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(nnplay_imgui PUBLIC ${NNPLAY_IMGUI_DIR} ${NNPLAY_IMGUI_DIR}/backends ${NNPLAY_SDL2_DIR}/include/SDL2)
target_compile_definitions(nnplay_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
target_compile_options(nnplay_imgui PRIVATE -O2 -w)

# The shaders are compiled into the page (web/platform/shaders.h.in) and also copied beside it for reading.
file(GLOB NNPLAY_SHADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/shaders/*.glsl)
set(NNPLAY_SHADER_DEFS "")
foreach(s ${NNPLAY_SHADERS})
  get_filename_component(n ${s} NAME_WE)
  file(READ ${s} src)
  string(APPEND NNPLAY_SHADER_DEFS "static const char* const kShader_${n} = R\"nnplay_glsl(${src})nnplay_glsl\";\n")
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${NNPLAY_SHADERS})
configure_file(${CMAKE_SOURCE_DIR}/web/platform/shaders.h.in ${CMAKE_CURRENT_BINARY_DIR}/generated/nnplay_shaders.h @ONLY)

# A TrueType font for crisp text at any devicePixelRatio; ImGui's built-in font when absent.
set(NNPLAY_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" CACHE FILEPATH "UI font (TTF), embedded in the page")

# One folder per part of the page (web/README.md): platform <- app <- modes, api on top; web/share
# is its own library (CMakeLists.txt: the tests link it too).
set(NNPLAY_WEB_PARTS platform app playground cnn tutorial api)
set(NNPLAY_WEB_SOURCES ${CMAKE_SOURCE_DIR}/web/main.cpp)
foreach(part ${NNPLAY_WEB_PARTS})
  file(GLOB part_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/${part}/*.cpp)
  list(APPEND NNPLAY_WEB_SOURCES ${part_sources})
endforeach()
add_executable(nnplay_page ${NNPLAY_WEB_SOURCES})
set_target_properties(nnplay_page PROPERTIES OUTPUT_NAME nnplay SUFFIX .js)
target_include_directories(nnplay_page PRIVATE ${CMAKE_SOURCE_DIR}/web ${CMAKE_CURRENT_BINARY_DIR}/generated)
# Tutorials (web/tutorial/): nlohmann-json for their files, the lessons (web/tutorial/lessons) and
# the page's strings (web/app/i18n) embedded at /tutorials and /i18n, and the Chinese font subset built from
# those texts (tools/subset_font.py) at /fonts/cjk.ttf.
target_include_directories(nnplay_page PRIVATE ${NLOHMANN_INCLUDE_DIR})
file(GLOB NNPLAY_TUTORIAL_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/tutorial/lessons/*.json ${CMAKE_SOURCE_DIR}/web/app/i18n/*.json)
target_link_options(nnplay_page PRIVATE "--embed-file=${CMAKE_SOURCE_DIR}/web/tutorial/lessons@/tutorials"
  "--embed-file=${CMAKE_SOURCE_DIR}/web/app/i18n@/i18n")
set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${NNPLAY_TUTORIAL_FILES} ${CMAKE_SOURCE_DIR}/web/api/tutorial_api.js)
find_program(NNPLAY_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NNPLAY_PYTHON3 AND EXISTS "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
  set(NNPLAY_CJK_TTF ${CMAKE_CURRENT_BINARY_DIR}/generated/nnplay_cjk.ttf)
  add_custom_command(OUTPUT ${NNPLAY_CJK_TTF}
    COMMAND ${NNPLAY_PYTHON3} ${CMAKE_SOURCE_DIR}/tools/subset_font.py ${NNPLAY_CJK_TTF}
    DEPENDS ${CMAKE_SOURCE_DIR}/tools/subset_font.py ${NNPLAY_TUTORIAL_FILES}
    COMMENT "Chinese font subset -> ${NNPLAY_CJK_TTF}")
  add_custom_target(nnplay_cjk_font DEPENDS ${NNPLAY_CJK_TTF})
  add_dependencies(nnplay_page nnplay_cjk_font)
  target_compile_definitions(nnplay_page PRIVATE NNPLAY_CJK_FONT_FILE="/fonts/cjk.ttf")
  target_link_options(nnplay_page PRIVATE "--embed-file=${NNPLAY_CJK_TTF}@/fonts/cjk.ttf")
  set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${NNPLAY_CJK_TTF})
else()
  message(WARNING "no /usr/bin/python3 or fonts-wqy-microhei: Chinese tutorial text will show as boxes (tools/deps.sh installs them)")
endif()
target_compile_options(nnplay_page PRIVATE ${NNPLAY_ENGINE_FLAGS})
target_compile_definitions(nnplay_page PRIVATE NNPLAY_VERSION="${NNPLAY_VERSION}")
target_link_libraries(nnplay_page PRIVATE nnplay_engine nnplay_share nnplay_imgui ${NNPLAY_SDL2_DIR}/lib/libSDL2.a)
target_link_options(nnplay_page PRIVATE -lembind -sUSE_WEBGL2=1 -sFULL_ES3=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=web
  --post-js ${CMAKE_SOURCE_DIR}/web/api/api.js)
set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${CMAKE_SOURCE_DIR}/web/api/api.js)
if(EXISTS "${NNPLAY_FONT}")
  target_compile_definitions(nnplay_page PRIVATE NNPLAY_FONT_FILE="/fonts/ui.ttf")
  target_link_options(nnplay_page PRIVATE "--embed-file=${NNPLAY_FONT}@/fonts/ui.ttf")
  set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${NNPLAY_FONT})
endif()

# The static folder: the page, its shell and its shaders, copied after every link.
add_custom_command(TARGET nnplay_page POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory ${NNPLAY_DIST_DIR}/shaders
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE_DIR:nnplay_page>/nnplay.js $<TARGET_FILE_DIR:nnplay_page>/nnplay.wasm ${NNPLAY_DIST_DIR}/
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/web/platform/index.html ${NNPLAY_DIST_DIR}/index.html
  COMMAND ${CMAKE_COMMAND} -E copy ${NNPLAY_SHADERS} ${NNPLAY_DIST_DIR}/shaders/
  COMMENT "nnplay page -> ${NNPLAY_DIST_DIR}")
# index.html is copied at link time; relink when it changes so dist/ never holds a stale shell.
set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${CMAKE_SOURCE_DIR}/web/platform/index.html)
# The tutorial API (nnplay.tutorial*, setLanguage, explain) extends window.nnplay: after api.js.
target_link_options(nnplay_page PRIVATE "SHELL:--post-js ${CMAKE_SOURCE_DIR}/web/api/tutorial_api.js")
# Image mode's API (cnnState, confusion, loadIdx, ...) and the IDX file picker / drag and drop: after api.js.
target_link_options(nnplay_page PRIVATE "SHELL:--post-js ${CMAKE_SOURCE_DIR}/web/api/cnn_api.js")
set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${CMAKE_SOURCE_DIR}/web/api/cnn_api.js)
# Links in the address bar, local storage, Share popup actions, JSON files: after cnn_api.js.
target_link_options(nnplay_page PRIVATE "SHELL:--post-js ${CMAKE_SOURCE_DIR}/web/share/state_api.js")
set_property(TARGET nnplay_page APPEND PROPERTY LINK_DEPENDS ${CMAKE_SOURCE_DIR}/web/share/state_api.js)
