// --init-config: a new node's config, every key with its comment.
#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ddb/daemon/config_keys.h"

namespace ddb {
namespace {

constexpr size_t kCommentWidth = 78;

// 32 random bytes from OpenSSL, as 64 hex digits.
Status FreshSecret(std::string* out) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return Status::IoError("RAND_bytes failed: no random source");
  static const char kHex[] = "0123456789abcdef";
  out->clear();
  for (unsigned char byte : bytes) {
    out->push_back(kHex[byte >> 4]);
    out->push_back(kHex[byte & 15]);
  }
  return Status::Ok();
}

// "# text" lines, wrapped at word boundaries.
std::string Comment(const std::string& text) {
  std::string out, line = "#";
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (line.size() + 1 + word.size() > kCommentWidth && line != "#") {
      out += line + "\n";
      line = "#";
    }
    line += " " + word;
    at = end + 1;
  }
  return out + line + "\n";
}

// A value as the INI reader takes it back: quoted when it holds anything
// but a plain word or number.
std::string IniValue(const std::string& value) {
  const bool plain = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._-/:", c) != nullptr;
  });
  return plain ? value : "\"" + value + "\"";
}

}  // namespace

Status WriteInitialConfig(const std::string& path, const std::string& title, KeySettings settings,
                          const std::vector<std::string>& fresh_secrets) {
  for (KeySetting& setting : settings) {
    const bool wanted =
        std::find(fresh_secrets.begin(), fresh_secrets.end(), setting.name) != fresh_secrets.end();
    if (wanted && setting.value.empty()) {
      if (Status s = FreshSecret(&setting.value); !s.ok()) return s;
      setting.source = "fresh";
    }
  }
  std::string text =
      Comment(title) +
      Comment(
          "Every key can also be given as a command-line flag of the same name (--key value), "
          "which wins over this file, or as the environment variable DDB_<KEY>, which this "
          "file wins over. 'live': a reload (\\reload, SIGHUP) applies a new value; 'restart': "
          "read at start.");
  for (const KeySetting& setting : settings) {
    text += "\n" + Comment(setting.help + " [" + KeyChangeName(setting.change) +
                           (setting.fallback.empty() ? "" : "; default " + setting.fallback) + "]");
    if (setting.source == "fresh") text += "# A fresh random value, made for this file.\n";
    text += setting.name + " = " + IniValue(setting.value) + "\n";
  }
  // O_EXCL: an existing file (a node's real config) is never replaced.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IoError(path + ": " +
                           (errno == EEXIST ? std::string("exists; --init-config never overwrites a file")
                                            : std::string(std::strerror(errno))));
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string error = std::strerror(errno);
      ::close(fd);
      return Status::IoError(path + ": " + error);
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return Status::IoError(path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace ddb
