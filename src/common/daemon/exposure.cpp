#include "ddb/daemon/exposure.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "ddb/base/asio.h"

namespace ddb {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string TrimSpaces(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

bool ReadableByOthers(const std::string& path, unsigned* mode) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;
  *mode = info.st_mode & 0777;
  return (info.st_mode & S_IROTH) != 0;
}

std::string Octal(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", mode);
  return text;
}

// Keys of `secret_keys` that `path` sets to something (not to "").
std::vector<std::string> SecretsSetIn(const std::string& path, const std::vector<std::string>& secret_keys) {
  std::vector<std::string> found;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    line = TrimSpaces(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = TrimSpaces(line.substr(0, eq));
    const std::string value = TrimSpaces(line.substr(eq + 1));
    if (value.empty() || value == "\"\"" || value == "''") continue;
    if (std::find(secret_keys.begin(), secret_keys.end(), key) != secret_keys.end() &&
        std::find(found.begin(), found.end(), key) == found.end()) {
      found.push_back(key);
    }
  }
  return found;
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  if (Lower(host) == "localhost") return true;
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return address.is_loopback();
}

bool IsDemoSecret(const std::string& value) { return Lower(value).find("change-me") != std::string::npos; }

bool TlsRequired(const TlsOptions& tls, const std::string& host) {
  if (tls.require == "true") return true;
  if (tls.require == "false") return false;
  return !IsLoopbackHost(host);
}

Status ReviewExposure(const std::string& config_path, const TlsOptions& tls,
                      const std::vector<Surface>& surfaces, std::vector<std::string>* warnings) {
  for (const Surface& surface : surfaces) {
    const bool loopback = IsLoopbackHost(surface.address);
    const std::string where = surface.address_key + " = " + surface.address;
    if (!surface.tls && TlsRequired(tls, surface.address)) {
      const std::string why = surface.what + " has no TLS, and require_tls = " + tls.require +
                              (tls.require == "auto" ? " asks for it off loopback (" + where + ")"
                                                     : " asks for it (" + where + ")");
      if (!tls.allow_insecure) {
        return Status::InvalidArgument(
            config_path + ": key '" + surface.address_key + "': " + why + ": " + surface.tls_keys +
            ", or set allow_insecure = true to run it in plain text (docs/security.md)");
      }
      if (warnings != nullptr)
        warnings->push_back(why + "; running it in plain text (allow_insecure = true)");
    }
    if (loopback) continue;
    for (const auto& [key, value] : surface.secrets) {
      if (!IsDemoSecret(value)) continue;
      const std::string why = "key '" + key +
                              "' holds a demo value shipped with ddb (\"...change-me...\"), and " +
                              surface.what + " is not on loopback (" + where + ")";
      if (!tls.allow_insecure) {
        return Status::InvalidArgument(config_path + ": " + why + ": choose a secret of your own (" + key +
                                       "_file or the environment keep it out of the config file), or set "
                                       "allow_insecure = true");
      }
      if (warnings != nullptr) warnings->push_back(why + " (allow_insecure = true)");
    }
  }
  return Status::Ok();
}

std::vector<std::string> SecretFileWarnings(const std::string& config_path,
                                            const std::vector<std::string>& secret_keys,
                                            const std::vector<std::string>& secret_files) {
  std::vector<std::string> warnings;
  unsigned mode = 0;
  if (ReadableByOthers(config_path, &mode)) {
    const std::vector<std::string> keys = SecretsSetIn(config_path, secret_keys);
    if (!keys.empty()) {
      std::string names;
      for (const std::string& key : keys) names += (names.empty() ? "" : ", ") + key;
      warnings.push_back(config_path + " holds secrets (" + names + ") and is readable by every user (mode " +
                         Octal(mode) + "): chmod o-r it, or move them to *_file keys or the environment");
    }
  }
  for (const std::string& file : secret_files) {
    if (!file.empty() && ReadableByOthers(file, &mode)) {
      warnings.push_back("secret file " + file + " is readable by every user (mode " + Octal(mode) +
                         "): chmod o-r it");
    }
  }
  return warnings;
}

}  // namespace ddb
