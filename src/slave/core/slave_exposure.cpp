// The slave's network surfaces for ReviewExposure (ddb/daemon/exposure.h):
// its link to the master (TLS with tls_ca_file, or wherever require_tls asks
// for it) and HTTP (TLS with tls_cert_file).
#include "ddb/daemon/exposure.h"
#include "slave_config.h"

namespace ddb {
namespace {

std::vector<Surface> SlaveSurfaces(const SlaveConfig& config) {
  std::vector<Surface> surfaces;
  surfaces.push_back({"the link to the master",
                      "master_host",
                      config.master_host,
                      LinkUsesTls(config),
                      "set tls_ca_file",
                      {{"cluster_secret", config.cluster_secret}}});
  if (config.http.port != 0) {
    surfaces.push_back({"HTTP (health, status, metrics)",
                        "http_address",
                        config.http.address,
                        !config.tls.files.cert_file.empty(),
                        "set tls_cert_file and tls_key_file",
                        {}});
  }
  return surfaces;
}

}  // namespace

bool LinkUsesTls(const SlaveConfig& config) {
  return !config.tls.files.ca_file.empty() || TlsRequired(config.tls, config.master_host);
}

Status ReviewSlaveExposure(const SlaveConfig& config, std::vector<std::string>* warnings) {
  return ReviewExposure(config.config_path, config.tls, SlaveSurfaces(config), warnings);
}

std::vector<std::string> SlaveSecurityWarnings(const SlaveConfig& config) {
  std::vector<std::string> warnings;
  // With allow_insecure the review passes and leaves its findings in
  // `warnings`; without it, a refusal has stopped the start in Validate.
  (void)ReviewSlaveExposure(config, &warnings);
  for (std::string& warning : SecretFileWarnings(config.config_path, {"cluster_secret", "mysql_password"},
                                                 {config.cluster_secret_file})) {
    warnings.push_back(std::move(warning));
  }
  return warnings;
}

}  // namespace ddb
