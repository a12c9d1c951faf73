// Checks secret redaction against a live MariaDB: the statement ddb logs
// (RedactSecrets) creates exactly the account the statement as typed creates,
// and ddb's hash is the server's PASSWORD().

#include "ddb/sql/secret_redaction.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ddb/sql/password_hash.h"
#include "mariadb_instance.h"
#include "wait.h"

namespace ddb::testing {
namespace {

class SecretRedactionLiveTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = MariaDbInstance::Start(dir_.path() / "server"); }

  // What the server keeps to authenticate user@'%': its plugins and hashes.
  std::string Credentials(const std::string& user) const {
    return server_->QueryValue(
        "SELECT JSON_EXTRACT(Priv, '$.plugin', '$.authentication_string', '$.auth_or') FROM "
        "mysql.global_priv "
        "WHERE User = '" +
        user + "' AND Host = '%'");
  }

  TempDir dir_{"ddb-secrets"};
  std::unique_ptr<MariaDbInstance> server_;
};

// Replaces every "{u}" of a template with a user name.
std::string ForUser(std::string sql, const std::string& user) {
  for (std::size_t at = sql.find("{u}"); at != std::string::npos; at = sql.find("{u}", at)) {
    sql.replace(at, 3, user);
  }
  return sql;
}

TEST_F(SecretRedactionLiveTest, HashIsWhatTheServersPasswordFunctionGives) {
  for (const std::string password :
       {"password", "pw", "p'q", "with space", "p\xC3\xA4ssw\xC3\xB6rd", "a\\b",
        "0123456789012345678901234567890123456789012345678901234567890123456789"}) {
    std::string literal;
    for (char c : password)
      literal += (c == '\'' || c == '\\') ? std::string(1, '\\') + c : std::string(1, c);
    EXPECT_EQ(server_->QueryValue("SELECT PASSWORD('" + literal + "')"), NativePasswordHash(password))
        << password;
  }
}

TEST_F(SecretRedactionLiveTest, LoggedStatementCreatesTheSameAccountAsTheTypedOne) {
  // Each template runs as typed for one user and as logged for another;
  // setup (if any) runs first for both.
  struct Case {
    std::string setup;
    std::string statement;
  };
  const std::vector<Case> cases = {
      {"", "CREATE USER {u} IDENTIFIED BY 'pw'"},
      {"", "CREATE OR REPLACE USER {u}@'%' IDENTIFIED BY 'p\\'q w'"},
      {"", "CREATE USER IF NOT EXISTS {u} IDENTIFIED BY 'p\xC3\xA4ssw\xC3\xB6rd'"},
      {"", "CREATE USER {u} /*!100000 IDENTIFIED BY 'pw' */"},
      {"", "CREATE USER {u} IDENTIFIED VIA mysql_native_password USING PASSWORD('pw')"},
      {"", "CREATE USER {u} IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('pw')"},
      {"CREATE USER {u}", "ALTER USER {u} IDENTIFIED BY 'new pw'"},
      {"CREATE USER {u}", "ALTER USER {u} IDENTIFIED WITH mysql_native_password AS PASSWORD('new pw')"},
      {"", "GRANT SELECT ON *.* TO {u} IDENTIFIED BY 'pw'"},
      {"CREATE USER {u}", "SET PASSWORD FOR {u} = PASSWORD('pw')"},
      {"CREATE USER {u}", "SET PASSWORD FOR {u}@'%' := PASSWORD('pw')"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string typed_user = "typed" + std::to_string(n);
    const std::string logged_user = "logged" + std::to_string(n++);
    SecretRedaction redaction;
    ASSERT_TRUE(RedactSecrets(ForUser(c.statement, logged_user), &redaction).ok()) << c.statement;
    ASSERT_TRUE(redaction.found_secret) << c.statement;
    if (!c.setup.empty()) {
      server_->Execute(ForUser(c.setup, typed_user));
      server_->Execute(ForUser(c.setup, logged_user));
    }
    server_->Execute(ForUser(c.statement, typed_user));
    server_->Execute(redaction.text);
    EXPECT_EQ(Credentials(logged_user), Credentials(typed_user))
        << c.statement << "\nlogged as: " << redaction.text;
    EXPECT_NE(Credentials(logged_user), "") << c.statement;
  }
}

TEST_F(SecretRedactionLiveTest, SeveralUsersInOneStatement) {
  SecretRedaction redaction;
  ASSERT_TRUE(
      RedactSecrets("CREATE USER a1 IDENTIFIED BY 'one', a2, a3 IDENTIFIED BY 'three'", &redaction).ok());
  server_->Execute(redaction.text);
  server_->Execute("CREATE USER b1 IDENTIFIED BY 'one', b2, b3 IDENTIFIED BY 'three'");
  EXPECT_EQ(Credentials("a1"), Credentials("b1"));
  EXPECT_EQ(Credentials("a2"), Credentials("b2"));
  EXPECT_EQ(Credentials("a3"), Credentials("b3"));
}

}  // namespace
}  // namespace ddb::testing
