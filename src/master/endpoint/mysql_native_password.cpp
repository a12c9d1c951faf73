#include "mysql_native_password.h"

#include <openssl/sha.h>

#include "ddb/base/auth.h"
#include "ddb/sql/password_hash.h"

namespace ddb::mysql {

std::string MakeScramble() {
  std::string scramble = RandomNonce().substr(0, kScrambleBytes);
  // MySQL servers draw printable characters; any non-zero byte works, and
  // keeping to 7 bits avoids clients that treat the scramble as a C string.
  for (char& c : scramble) c = static_cast<char>(1 + static_cast<unsigned char>(c) % 127);
  return scramble;
}

std::string NativePasswordToken(std::string_view password, std::string_view scramble) {
  if (password.empty()) return "";
  const std::string stage1 = Sha1(password);
  const std::string stage2 = Sha1(stage1);
  const std::string mask = Sha1(std::string(scramble) + stage2);
  std::string token(SHA_DIGEST_LENGTH, '\0');
  for (size_t i = 0; i < token.size(); ++i) token[i] = static_cast<char>(stage1[i] ^ mask[i]);
  return token;
}

bool CheckNativePassword(std::string_view token, std::string_view scramble, std::string_view password) {
  if (password.empty()) return token.empty();
  return ProofsEqual(token, NativePasswordToken(password, scramble));
}

}  // namespace ddb::mysql
