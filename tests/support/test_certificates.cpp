#include "test_certificates.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace ddb::testing {
namespace {

[[noreturn]] void Fail(const std::string& step) {
  const unsigned long error = ERR_get_error();
  char text[256] = "";
  if (error != 0) ERR_error_string_n(error, text, sizeof text);
  throw std::runtime_error("TestCa: " + step + " failed: " + text);
}

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) Fail("making a P-256 key");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) Fail("extension " + value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// A certificate for `key` named `common_name`, to be signed by
// (issuer, issuer_key); self-signed when issuer is null.
X509* NewCertificate(EVP_PKEY* key, const std::string& common_name, long serial, X509* issuer) {
  X509* cert = X509_new();
  if (cert == nullptr) Fail("X509_new");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("ddb tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  return cert;
}

void Sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) == 0) Fail("signing a certificate");
}

void WritePem(const std::filesystem::path& path, X509* cert) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) throw std::runtime_error("TestCa: cannot write " + path.string());
  const int ok = PEM_write_X509(file, cert);
  std::fclose(file);
  if (ok != 1) Fail("writing " + path.string());
}

void WritePem(const std::filesystem::path& path, EVP_PKEY* key) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) throw std::runtime_error("TestCa: cannot write " + path.string());
  ::chmod(path.c_str(), 0600);
  const int ok = PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(file);
  if (ok != 1) Fail("writing " + path.string());
}

std::string FileStem(const std::string& name) {
  std::string stem;
  for (char c : name) stem += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return stem;
}

}  // namespace

TestCa::TestCa(std::filesystem::path dir, std::string name) : dir_(std::move(dir)), stem_(FileStem(name)) {
  std::filesystem::create_directories(dir_);
  EVP_PKEY* key = NewKey();
  X509* cert = NewCertificate(key, name, serial_++, nullptr);
  AddExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert, cert, NID_subject_key_identifier, "hash");
  Sign(cert, key);
  ca_key_ = key;
  ca_cert_ = cert;
  ca_file_ = dir_ / (stem_ + "-ca.pem");
  WritePem(ca_file_, cert);
  WritePem(dir_ / (stem_ + "-ca.key"), key);
}

TestCa::~TestCa() {
  X509_free(static_cast<X509*>(ca_cert_));
  EVP_PKEY_free(static_cast<EVP_PKEY*>(ca_key_));
}

CertificateFiles TestCa::Issue(const std::string& node, const std::vector<std::string>& dns_names,
                               const std::vector<std::string>& ip_addresses) {
  X509* issuer = static_cast<X509*>(ca_cert_);
  EVP_PKEY* key = NewKey();
  X509* cert = NewCertificate(key, node, serial_++, issuer);
  AddExtension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert, issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  AddExtension(cert, issuer, NID_ext_key_usage, "serverAuth,clientAuth");
  AddExtension(cert, issuer, NID_authority_key_identifier, "keyid");
  std::string names;
  for (const std::string& dns : dns_names) names += (names.empty() ? "" : ",") + std::string("DNS:") + dns;
  for (const std::string& ip : ip_addresses) names += (names.empty() ? "" : ",") + std::string("IP:") + ip;
  if (!names.empty()) AddExtension(cert, issuer, NID_subject_alt_name, names);
  Sign(cert, static_cast<EVP_PKEY*>(ca_key_));
  CertificateFiles files{dir_ / (node + ".pem"), dir_ / (node + ".key")};
  WritePem(files.cert, cert);
  WritePem(files.key, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return files;
}

}  // namespace ddb::testing
