#include "ddb/daemon/tls_check.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <memory>

namespace ddb {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr ReadCertificate(const std::string& path) {
  std::unique_ptr<FILE, decltype(&std::fclose)> in(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!in) return X509Ptr(nullptr, &X509_free);
  return X509Ptr(PEM_read_X509(in.get(), nullptr, nullptr, nullptr), &X509_free);
}

// "2027-12-01 10:00:00 UTC" for an ASN.1 time.
std::string DateOf(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unreadable date";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

// Whether the CAs in `ca_file` vouch for `certificate`; `why` says why not.
bool SignedBy(X509* certificate, const std::string& ca_file, std::string* why) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                          &X509_STORE_CTX_free);
  if (!store || !context || X509_STORE_load_file(store.get(), ca_file.c_str()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), certificate, nullptr) != 1) {
    *why = "cannot read the CAs";
    return false;
  }
  if (X509_verify_cert(context.get()) == 1) return true;
  *why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()));
  return false;
}

}  // namespace

void CheckTlsFiles(const std::string& file, const TlsFiles& files, CheckReport* report) {
  if (files.cert_file.empty() && files.key_file.empty()) {
    if (!files.ca_file.empty()) {
      std::shared_ptr<ssl::context> context;
      if (Status s = MakeTlsClientContext(file, files, &context); !s.ok()) {
        report->Problem(s.message());
      } else {
        report->Ok("tls_ca_file " + files.ca_file + " readable");
      }
    }
    return;
  }
  std::shared_ptr<ssl::context> context;
  if (Status s = MakeTlsServerContext(file, files, !files.ca_file.empty(), &context); !s.ok()) {
    report->Problem(s.message());
    return;
  }
  const X509Ptr certificate = ReadCertificate(files.cert_file);
  if (!certificate) {
    report->Problem(file + ": key 'tls_cert_file': " + files.cert_file + " holds no PEM certificate");
    return;
  }
  const ASN1_TIME* not_after = X509_get0_notAfter(certificate.get());
  if (X509_cmp_current_time(not_after) <= 0) {
    report->Problem(file + ": key 'tls_cert_file': " + files.cert_file + " expired on " + DateOf(not_after));
    return;
  }
  if (X509_cmp_current_time(X509_get0_notBefore(certificate.get())) > 0) {
    report->Problem(file + ": key 'tls_cert_file': " + files.cert_file + " is not valid before " +
                    DateOf(X509_get0_notBefore(certificate.get())));
    return;
  }
  std::string line =
      "tls_cert_file " + files.cert_file + " and tls_key_file match, valid until " + DateOf(not_after);
  if (!files.ca_file.empty()) {
    // Not a problem in itself (the CA checks the peers' certificates), but
    // peers that trust only the same CA will refuse this one.
    std::string why;
    line += SignedBy(certificate.get(), files.ca_file, &why)
                ? ", signed by tls_ca_file's CA"
                : "; note: tls_ca_file's CAs do not vouch for it (" + why + ")";
  }
  report->Ok(line);
}

}  // namespace ddb
