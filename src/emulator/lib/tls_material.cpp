#include <cfmigrate/emulator/tls_material.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>

namespace cfmigrate::emulator {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

PkeyPtr make_key()
{
  return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

bool add_ext(X509* cert, X509* issuer, int nid, const char* value)
{
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) {
    return false;
  }
  const int rc = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return rc == 1;
}

X509Ptr make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool is_ca)
{
  X509Ptr cert(X509_new());
  if (!cert) {
    return nullptr;
  }
  unsigned char serial_bytes[16];
  RAND_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_set_version(cert.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("cfmigrate test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  bool ok = true;
  if (is_ca) {
    ok = ok && add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    ok = ok && add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    ok = ok && add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    ok = ok && add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    ok = ok && add_ext(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    ok = ok && add_ext(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost");
    ok = ok && add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  if (!ok || X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    return nullptr;
  }
  return cert;
}

Status write_pem(const std::string& path, mode_t mode, const std::function<int(FILE*)>& writer)
{
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return make_error(ErrorCode::io, std::string("cannot create file: ") + std::strerror(errno), path);
  }
  ::chmod(path.c_str(), mode);
  const int ok = writer(f);
  const int closed = std::fclose(f);
  if (ok != 1 || closed != 0) {
    return make_error(ErrorCode::io, "cannot write PEM file", path);
  }
  return {};
}

} // namespace

Result<TlsMaterial> generate_tls_material(const std::string& dir, const std::string& common_name)
{
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(ErrorCode::io, std::string("cannot create directory: ") + std::strerror(errno), dir);
  }
  PkeyPtr ca_key = make_key();
  PkeyPtr server_key = make_key();
  if (!ca_key || !server_key) {
    return make_error(ErrorCode::internal, "OpenSSL could not generate an EC key");
  }
  X509Ptr ca = make_cert(ca_key.get(), common_name + " CA", nullptr, nullptr, true);
  if (!ca) {
    return make_error(ErrorCode::internal, "OpenSSL could not create the CA certificate");
  }
  X509Ptr leaf = make_cert(server_key.get(), "localhost", ca.get(), ca_key.get(), false);
  if (!leaf) {
    return make_error(ErrorCode::internal, "OpenSSL could not create the server certificate");
  }
  TlsMaterial m{dir + "/ca.pem", dir + "/server.pem", dir + "/server-key.pem"};
  CFM_TRY_STATUS(write_pem(m.ca_cert_path, 0644, [&](FILE* f) { return PEM_write_X509(f, ca.get()); }));
  CFM_TRY_STATUS(write_pem(m.server_cert_path, 0644, [&](FILE* f) {
    return PEM_write_X509(f, leaf.get()) == 1 && PEM_write_X509(f, ca.get()) == 1 ? 1 : 0;
  }));
  CFM_TRY_STATUS(write_pem(m.server_key_path, 0600, [&](FILE* f) {
    return PEM_write_PrivateKey(f, server_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  }));
  return m;
}

} // namespace cfmigrate::emulator
