#pragma once

namespace cfmigrate {
// The tool's version, from CMakeLists.txt's project(VERSION).
const char* tool_version();
} // namespace cfmigrate
