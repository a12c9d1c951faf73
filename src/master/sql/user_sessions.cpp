#include "user_sessions.h"

namespace ddb {

UserSessions::UserSessions(MySqlEndpoint ddb_account, ReplicationLog* log, SessionOptions options,
                           ReadRouter* router, SyncReplication* sync)
    : ddb_account_(std::move(ddb_account)),
      log_(log),
      options_(options),
      router_(router),
      sync_(sync),
      access_(ddb_account_) {
  options_.user_account = true;
}

std::unique_ptr<SqlSession> UserSessions::Make(const std::string& user, const std::string& password) {
  // Where ddb's account reaches the server, and over the same TLS; ddb's
  // client certificate is ddb's own.
  MySqlEndpoint account = ddb_account_;
  account.user = user;
  account.password = password;
  account.ssl_cert.clear();
  account.ssl_key.clear();
  return std::make_unique<SqlSession>(
      std::move(account), log_, options_, router_, sync_,
      [this](const MySqlEndpoint& endpoint, const MySqlOpenOptions& options,
             std::unique_ptr<SqlConnection>* connection) {
        return access_.Open(endpoint, options, connection);
      },
      [this](const std::string& current_user) { return access_.Admit(current_user); });
}

}  // namespace ddb
