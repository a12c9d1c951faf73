#include "ddb/sql/password_hash.h"

#include <openssl/sha.h>

#include "ddb/base/auth.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {

std::string Sha1(std::string_view data) {
  std::string digest(SHA_DIGEST_LENGTH, '\0');
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string NativePasswordHash(std::string_view password) {
  if (password.empty()) return "";
  return "*" + AsciiUpper(HexEncode(Sha1(Sha1(password))));
}

}  // namespace ddb
