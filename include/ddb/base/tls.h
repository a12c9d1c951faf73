// TLS for ddb's network surfaces (OpenSSL through Boost.Asio): the contexts
// each daemon builds once from its tls_* keys, the peer-name check a client
// makes, and failures put into words. docs/security.md says what each
// surface protects and how to make the certificates.
//
// Every context speaks TLS 1.2 or 1.3 only and verifies peers against the
// configured CA file (a client context without one uses the system's CAs).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl.hpp>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"

namespace ddb {

namespace ssl = boost::asio::ssl;

// The PEM files a daemon's tls_* keys name; empty: not set.
struct TlsFiles {
  std::string cert_file;  // this node's certificate (and chain), presented to peers
  std::string key_file;   // its private key
  std::string ca_file;    // the CAs whose certificates this node accepts from peers
};

// A context for the accepting side (the master's replication port, HTTPS):
// presents cert_file/key_file (both required). With `verify_clients`, a
// client must present a certificate signed by a CA in ca_file (required
// then). Errors name the config key and the file.
Status MakeTlsServerContext(const std::string& config_path, const TlsFiles& files, bool verify_clients,
                            std::shared_ptr<ssl::context>* out);

// A context for the dialling side (a slave, a test's client): verifies the
// server against ca_file, or the system's trusted CAs when ca_file is empty;
// presents cert_file/key_file when they are set.
Status MakeTlsClientContext(const std::string& config_path, const TlsFiles& files,
                            std::shared_ptr<ssl::context>* out);

// Makes the client connection `ssl` accept only a server certificate that
// names `expected` (a DNS name, matched against the certificate's names as
// browsers do, or an IP address, matched against its IP entries), and sends
// a DNS name as SNI.
Status ExpectPeerName(SSL* ssl, const std::string& expected);

// Why a TLS operation failed, in words: OpenSSL's reason, and when a
// certificate was not accepted, the verification's verdict on it
// ("certificate verify failed: unable to get local issuer certificate").
std::string DescribeTlsError(const boost::system::error_code& ec, SSL* ssl = nullptr);
// An error raised by the TLS layer rather than the socket under it.
bool IsTlsError(const boost::system::error_code& ec);
// A TLS alert the peer sent.
bool IsTlsAlertFromPeer(const boost::system::error_code& ec);
// One that refuses this end's certificate (unknown CA, expired, none sent
// where one is required, ...).
bool IsTlsCertificateAlert(const boost::system::error_code& ec);
// A handshake that failed over certificates: ours refused by the peer (an
// alert), the peer's refused here, or none presented where one is required.
bool IsTlsCertificateRefusal(const boost::system::error_code& ec);

// The first byte of a TLS connection (a handshake record); a plain ddb
// frame or an HTTP request starts otherwise.
inline constexpr uint8_t kTlsHandshakeRecord = 0x16;

}  // namespace ddb
