#pragma once
// The C library's text for an errno value, for error messages ("cannot open: Permission denied").

#include <string>

namespace cfmigrate {

std::string errno_text(int err);

} // namespace cfmigrate
