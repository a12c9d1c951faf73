#include "log_writer_key.h"

#include <openssl/evp.h>

#include "ddb/base/auth.h"

namespace ddb {
namespace {

std::string Sha256Hex(std::string_view first, std::span<const uint8_t> second = {}) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool ok = context != nullptr && EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(context, first.data(), first.size()) == 1 &&
                  EVP_DigestUpdate(context, second.data(), second.size()) == 1 &&
                  EVP_DigestFinal_ex(context, digest, &length) == 1;
  EVP_MD_CTX_free(context);
  // Fails only if OpenSSL has no SHA-256; an empty MAC is refused by every
  // procedure, so nothing is logged unsigned.
  if (!ok) return std::string();
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

Status LogWriterKey::Replace(SqlConnection& ddb_account, LogWriterKey* key) {
  LogWriterKey fresh(HexEncode(RandomNonce()));
  if (Status s = ddb_account.ExecuteWithParams("REPLACE INTO ddb_meta.log_key (id, secret) VALUES (1, ?)",
                                               {Blob{fresh.secret_hex_}});
      !s.ok()) {
    return s;
  }
  *key = std::move(fresh);
  return Status::Ok();
}

std::string LogWriterKey::Sign(uint64_t seq, int64_t committed_at, std::span<const uint8_t> body) const {
  const std::string head = std::to_string(seq) + ":" + std::to_string(committed_at) + ":";
  return Sha256Hex(secret_hex_ + Sha256Hex(head, body));
}

std::string LogWriterKey::RequireMacSql(std::string_view message_sql) {
  // Binary strings throughout (p_mac and the secret are VARBINARY), so the
  // comparison is byte for byte whatever the session's collation; <=> with
  // a missing key row (NULL) refuses too.
  return "IF p_mac IS NULL OR NOT (p_mac <=> (SELECT SHA2(CONCAT(secret, SHA2(" + std::string(message_sql) +
         ", 256)), 256) FROM ddb_meta.log_key WHERE id = 1)) THEN"
         " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ddb_meta: only the ddb-master of this MySQL may write "
         "its"
         " replication log';"
         " END IF;";
}

}  // namespace ddb
