#pragma once
// A throw-away CA and a server certificate for the emulator, made with OpenSSL at start-up, so
// clients verify TLS for real (with --ca-file) instead of switching verification off.

#include <cfmigrate/util/result.hpp>

#include <string>

namespace cfmigrate::emulator {

struct TlsMaterial {
  std::string ca_cert_path;     // <dir>/ca.pem: what clients trust
  std::string server_cert_path; // <dir>/server.pem: leaf (SAN 127.0.0.1, ::1, localhost) then CA
  std::string server_key_path;  // <dir>/server-key.pem, mode 0600
};

// Creates `dir` if needed (mode 0700) and writes a fresh EC P-256 CA and server certificate into
// it, valid from one hour ago for 30 days. io errors name the file; internal errors for OpenSSL
// failures.
[[nodiscard]] Result<TlsMaterial> generate_tls_material(const std::string& dir, const std::string& common_name = "cfmigrate-emulator");

} // namespace cfmigrate::emulator
