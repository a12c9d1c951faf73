// TestCa: a private certificate authority for tests, made with the OpenSSL
// library (no `openssl` command): a CA certificate and the node
// certificates it signs, written as PEM files the daemons' tls_* keys name.
//
// Keys are P-256 (quick to make); certificates are valid from an hour ago
// for a day, and name their node in the subject's CN and in
// subjectAltName (DNS names and IP addresses, as a client checks them).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ddb::testing {

struct CertificateFiles {
  std::filesystem::path cert;  // PEM certificate
  std::filesystem::path key;   // PEM private key (mode 0600)
};

class TestCa {
 public:
  // Makes a CA named `name` and writes `dir`/<file_stem>-ca.pem (and its key).
  // Throws std::runtime_error naming the step that failed.
  TestCa(std::filesystem::path dir, std::string name = "ddb test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  // The CA certificate: what tls_ca_file names.
  const std::filesystem::path& ca_file() const { return ca_file_; }

  // A certificate for `node` signed by this CA, for server and client use,
  // naming `dns_names` and `ip_addresses` in subjectAltName; written to
  // `dir`/<node>.pem and <node>.key.
  CertificateFiles Issue(const std::string& node, const std::vector<std::string>& dns_names = {"localhost"},
                         const std::vector<std::string>& ip_addresses = {"127.0.0.1"});

 private:
  std::filesystem::path dir_;
  std::string stem_;
  std::filesystem::path ca_file_;
  void* ca_key_ = nullptr;   // EVP_PKEY*
  void* ca_cert_ = nullptr;  // X509*
  long serial_ = 1;
};

}  // namespace ddb::testing
