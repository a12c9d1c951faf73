#include "master_exposure.h"

#include "ddb/daemon/exposure.h"

namespace ddb {
namespace {

constexpr const char* kTlsKeys = "set tls_cert_file and tls_key_file";

std::vector<Surface> MasterSurfaces(const MasterConfig& config) {
  const bool tls = !config.tls.files.cert_file.empty();
  std::vector<Surface> surfaces;
  surfaces.push_back({"the replication port",
                      "replication_address",
                      config.replication_address,
                      tls,
                      kTlsKeys,
                      {{"cluster_secret", config.cluster_secret}}});
  if (config.http.port != 0) {
    surfaces.push_back({"HTTP (dashboard, API)",
                        "http_address",
                        config.http.address,
                        tls,
                        kTlsKeys,
                        {{"http_token", config.http_token}}});
  }
  if (config.client_port != 0) {
    // With a certificate, clients that ask get TLS, and where require_tls
    // asks for it, a client that does not is refused (ERR 3159).
    Surface endpoint{"the MySQL endpoint", "client_address", config.client_address, tls, kTlsKeys, {}};
    for (const ClientUser& user : config.client_users)
      endpoint.secrets.push_back({"client_users", user.password});
    surfaces.push_back(std::move(endpoint));
  }
  return surfaces;
}

}  // namespace

Status ReviewMasterExposure(const MasterConfig& config, std::vector<std::string>* warnings) {
  if (config.tls_require_client_cert && config.tls.files.cert_file.empty()) {
    return Status::InvalidArgument(config.config_path +
                                   ": key 'tls_require_client_cert' needs TLS on the replication port: set "
                                   "tls_cert_file, tls_key_file and tls_ca_file");
  }
  return ReviewExposure(config.config_path, config.tls, MasterSurfaces(config), warnings);
}

std::vector<std::string> MasterSecurityWarnings(const MasterConfig& config) {
  std::vector<std::string> warnings;
  // With allow_insecure the review passes and leaves its findings in
  // `warnings`; without it, a refusal has stopped the start in Validate.
  (void)ReviewMasterExposure(config, &warnings);
  for (std::string& warning : SecretFileWarnings(
           config.config_path, {"cluster_secret", "http_token", "client_users", "mysql_password"},
           {config.cluster_secret_file, config.http_token_file})) {
    warnings.push_back(std::move(warning));
  }
  return warnings;
}

}  // namespace ddb
