# Included by CMake right after llama.cpp's own project() call (CMAKE_PROJECT_llama.cpp_INCLUDE, set in the
# Makefile), when pip compiles llama-cpp-python. llama-cpp-python forces llama.cpp's "common" library on, but
# loads only libllama and libggml through ctypes; common (argument parsing, chat templates, the server's helpers)
# was 60% of the compile. A plain variable here shadows the forced cache entry in llama.cpp's scope, so
# option(LLAMA_BUILD_COMMON) keeps it off and its install rule is skipped.
set(LLAMA_BUILD_COMMON OFF)
