#include "ddb/base/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <fstream>

namespace ddb {
namespace {

// "config: key 'tls_cert_file': cannot use 'path': why".
Status KeyError(const std::string& config_path, const char* key, const std::string& file,
                const std::string& why) {
  return Status::InvalidArgument(config_path + ": key '" + key + "': cannot use '" + file + "': " + why);
}

Status Readable(const std::string& config_path, const char* key, const std::string& file) {
  std::ifstream in(file);
  if (!in) return KeyError(config_path, key, file, "the file cannot be read");
  return Status::Ok();
}

// TLS 1.2 and 1.3 only; no compression, no renegotiation.
std::shared_ptr<ssl::context> NewContext(ssl::context::method method) {
  auto context = std::make_shared<ssl::context>(method);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_options(context->native_handle(), SSL_OP_NO_RENEGOTIATION);
  return context;
}

Status LoadIdentity(const std::string& config_path, const TlsFiles& files, ssl::context& context) {
  if (Status s = Readable(config_path, "tls_cert_file", files.cert_file); !s.ok()) return s;
  if (Status s = Readable(config_path, "tls_key_file", files.key_file); !s.ok()) return s;
  boost::system::error_code ec;
  context.use_certificate_chain_file(files.cert_file, ec);
  if (ec) return KeyError(config_path, "tls_cert_file", files.cert_file, DescribeTlsError(ec));
  context.use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec) return KeyError(config_path, "tls_key_file", files.key_file, DescribeTlsError(ec));
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return KeyError(config_path, "tls_key_file", files.key_file,
                    "it is not the private key of tls_cert_file's certificate");
  }
  return Status::Ok();
}

Status LoadCa(const std::string& config_path, const TlsFiles& files, ssl::context& context) {
  if (Status s = Readable(config_path, "tls_ca_file", files.ca_file); !s.ok()) return s;
  boost::system::error_code ec;
  context.load_verify_file(files.ca_file, ec);
  if (ec) return KeyError(config_path, "tls_ca_file", files.ca_file, DescribeTlsError(ec));
  return Status::Ok();
}

}  // namespace

Status MakeTlsServerContext(const std::string& config_path, const TlsFiles& files, bool verify_clients,
                            std::shared_ptr<ssl::context>* out) {
  if (files.cert_file.empty() || files.key_file.empty()) {
    return Status::InvalidArgument(config_path + ": key '" +
                                   (files.cert_file.empty() ? "tls_cert_file" : "tls_key_file") +
                                   "' is missing: TLS needs both tls_cert_file and tls_key_file");
  }
  auto context = NewContext(ssl::context::tls_server);
  if (Status s = LoadIdentity(config_path, files, *context); !s.ok()) return s;
  if (verify_clients) {
    if (files.ca_file.empty()) {
      return Status::InvalidArgument(config_path +
                                     ": key 'tls_ca_file' is missing: client certificates are verified "
                                     "against it (tls_require_client_cert = true)");
    }
    if (Status s = LoadCa(config_path, files, *context); !s.ok()) return s;
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  } else {
    context->set_verify_mode(ssl::verify_none);
  }
  *out = std::move(context);
  return Status::Ok();
}

Status MakeTlsClientContext(const std::string& config_path, const TlsFiles& files,
                            std::shared_ptr<ssl::context>* out) {
  auto context = NewContext(ssl::context::tls_client);
  if (files.ca_file.empty()) {
    boost::system::error_code ec;
    context->set_default_verify_paths(ec);
    if (ec) return Status::InvalidArgument("cannot load the system's trusted CAs: " + DescribeTlsError(ec));
  } else if (Status s = LoadCa(config_path, files, *context); !s.ok()) {
    return s;
  }
  context->set_verify_mode(ssl::verify_peer);
  if (!files.cert_file.empty() || !files.key_file.empty()) {
    if (files.cert_file.empty() || files.key_file.empty()) {
      return Status::InvalidArgument(config_path + ": key '" +
                                     (files.cert_file.empty() ? "tls_cert_file" : "tls_key_file") +
                                     "' is missing: a client certificate needs both tls_cert_file and "
                                     "tls_key_file");
    }
    if (Status s = LoadIdentity(config_path, files, *context); !s.ok()) return s;
  }
  *out = std::move(context);
  return Status::Ok();
}

Status ExpectPeerName(SSL* ssl, const std::string& expected) {
  if (expected.empty()) return Status::InvalidArgument("no name to expect in the peer's certificate");
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  boost::system::error_code ec;
  asio::ip::make_address(expected, ec);
  if (!ec) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, expected.c_str()) != 1) {
      return Status::InvalidArgument("cannot expect IP address " + expected);
    }
    return Status::Ok();
  }
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(ssl, expected.c_str()) != 1) {
    return Status::InvalidArgument("cannot expect host name " + expected);
  }
  SSL_set_tlsext_host_name(ssl, expected.c_str());
  return Status::Ok();
}

bool IsTlsError(const boost::system::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() ||
         ec.category() == ssl::error::get_stream_category();
}

bool IsTlsAlertFromPeer(const boost::system::error_code& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return false;
  // OpenSSL reports a received alert as reason SSL_AD_REASON_OFFSET + the
  // alert's code ("tlsv1 alert unknown ca", "tlsv13 alert certificate required").
  return ERR_GET_REASON(static_cast<unsigned long>(ec.value())) >= SSL_AD_REASON_OFFSET;
}

bool IsTlsCertificateAlert(const boost::system::error_code& ec) {
  if (!IsTlsAlertFromPeer(ec)) return false;
  switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value())) - SSL_AD_REASON_OFFSET) {
    case SSL_AD_BAD_CERTIFICATE:
    case SSL_AD_UNSUPPORTED_CERTIFICATE:
    case SSL_AD_CERTIFICATE_REVOKED:
    case SSL_AD_CERTIFICATE_EXPIRED:
    case SSL_AD_CERTIFICATE_UNKNOWN:
    case SSL_AD_UNKNOWN_CA:
    case SSL_AD_ACCESS_DENIED:
    case SSL_AD_CERTIFICATE_REQUIRED: return true;
    default: return false;
  }
}

bool IsTlsCertificateRefusal(const boost::system::error_code& ec) {
  if (IsTlsCertificateAlert(ec)) return true;
  if (ec.category() != asio::error::get_ssl_category()) return false;
  const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
  return reason == SSL_R_CERTIFICATE_VERIFY_FAILED || reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

std::string DescribeTlsError(const boost::system::error_code& ec, SSL* ssl) {
  std::string text;
  if (ec == ssl::error::stream_truncated) {
    text = "the peer closed the connection without a TLS close";
  } else if (ec.category() == asio::error::get_ssl_category()) {
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
    text = reason != nullptr ? reason : ec.message();
  } else {
    text = ec.message();
  }
  if (ssl != nullptr) {
    const long verdict = SSL_get_verify_result(ssl);
    if (verdict != X509_V_OK) text += ": " + std::string(X509_verify_cert_error_string(verdict));
  }
  return text;
}

}  // namespace ddb
