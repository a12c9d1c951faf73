#include "ddb/sql/secret_redaction.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ddb/sql/password_hash.h"

namespace ddb {
namespace {

// Hashes as MariaDB 10.11 computes them: SELECT PASSWORD('...').
constexpr const char* kHashOfPassword = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19";  // 'password'
constexpr const char* kHashOfPw = "*D821809F681A40A6E379B50D0463EFAE20BDD122";        // 'pw'
constexpr const char* kHashOfSecret = "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7";    // 'secret'

std::string Hash(const std::string& password) { return NativePasswordHash(password); }

TEST(PasswordHashTest, MatchesWhatTheServerComputes) {
  EXPECT_EQ(NativePasswordHash("password"), kHashOfPassword);
  EXPECT_EQ(NativePasswordHash("pw"), kHashOfPw);
  EXPECT_EQ(NativePasswordHash("p'q"), "*125FF172822FA2CEA2B7BDA5B5E899B4B8A11879");
  EXPECT_EQ(NativePasswordHash("p\xC3\xA4ssw\xC3\xB6rd"),
            "*0225EC5004ABB0B8CB557541FE53DE1A5D8CC825");  // UTF-8
  EXPECT_EQ(NativePasswordHash(""), "") << "PASSWORD('') is ''";
}

struct RewriteCase {
  const char* what;
  std::string sql;
  std::string logged;
};

TEST(SecretRedactionTest, PasswordsAreReplacedByTheirHashes) {
  const std::string h = std::string("'") + kHashOfPw + "'";
  const std::vector<RewriteCase> cases = {
      {"create user", "CREATE USER u IDENTIFIED BY 'pw'", "CREATE USER u IDENTIFIED BY PASSWORD " + h},
      {"lower case and host", "create user 'u'@'%' identified by 'pw'",
       "create user 'u'@'%' identified by PASSWORD " + h},
      {"or replace", "CREATE OR REPLACE USER u@localhost IDENTIFIED BY 'pw'",
       "CREATE OR REPLACE USER u@localhost IDENTIFIED BY PASSWORD " + h},
      {"if not exists", "CREATE USER IF NOT EXISTS `u` IDENTIFIED BY 'pw' WITH MAX_QUERIES_PER_HOUR 5",
       "CREATE USER IF NOT EXISTS `u` IDENTIFIED BY PASSWORD " + h + " WITH MAX_QUERIES_PER_HOUR 5"},
      {"several users", "CREATE USER a IDENTIFIED BY 'pw', b, c@h IDENTIFIED BY 'secret'",
       "CREATE USER a IDENTIFIED BY PASSWORD " + h + ", b, c@h IDENTIFIED BY PASSWORD '" + kHashOfSecret +
           "'"},
      {"alter user", "ALTER USER IF EXISTS u IDENTIFIED BY 'pw' PASSWORD EXPIRE NEVER",
       "ALTER USER IF EXISTS u IDENTIFIED BY PASSWORD " + h + " PASSWORD EXPIRE NEVER"},
      {"grant", "GRANT SELECT ON db.* TO u IDENTIFIED BY 'pw' WITH GRANT OPTION",
       "GRANT SELECT ON db.* TO u IDENTIFIED BY PASSWORD " + h + " WITH GRANT OPTION"},
      {"grant to several", "GRANT ALL ON *.* TO a IDENTIFIED BY 'pw', b IDENTIFIED BY 'secret'",
       "GRANT ALL ON *.* TO a IDENTIFIED BY PASSWORD " + h + ", b IDENTIFIED BY PASSWORD '" + kHashOfSecret +
           "'"},
      {"double quotes", "CREATE USER u IDENTIFIED BY \"pw\"", "CREATE USER u IDENTIFIED BY PASSWORD " + h},
      {"escapes resolved", "CREATE USER u IDENTIFIED BY 'p\\'q'",
       "CREATE USER u IDENTIFIED BY PASSWORD '*125FF172822FA2CEA2B7BDA5B5E899B4B8A11879'"},
      {"doubled quote", "CREATE USER u IDENTIFIED BY 'it''s'",
       "CREATE USER u IDENTIFIED BY PASSWORD '*03433C6B3A6A40A98822153A1ABC5C0A8A21B8CB'"},
      {"backslash-percent keeps its backslash", "CREATE USER u IDENTIFIED BY 'a\\%b'",
       "CREATE USER u IDENTIFIED BY PASSWORD '*30CCDE0314D56E00BDE6B058A447DA20C2C0071C'"},
      {"comment between keywords", "CREATE USER u IDENTIFIED /* by what */ BY\n 'pw'",
       "CREATE USER u IDENTIFIED /* by what */ BY\n PASSWORD " + h},
      {"via native using password()",
       "CREATE USER u IDENTIFIED VIA mysql_native_password USING PASSWORD('pw')",
       "CREATE USER u IDENTIFIED VIA mysql_native_password USING " + h},
      {"with ... as, quoted plugin",
       "ALTER USER u IDENTIFIED WITH 'MYSQL_NATIVE_PASSWORD' AS password ( 'pw' )",
       "ALTER USER u IDENTIFIED WITH 'MYSQL_NATIVE_PASSWORD' AS " + h},
      {"chain of plugins",
       "CREATE USER u IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('pw') OR pam USING "
       "'svc'",
       "CREATE USER u IDENTIFIED VIA unix_socket OR mysql_native_password USING " + h +
           " OR pam USING 'svc'"},
      {"grant via", "GRANT USAGE ON *.* TO u IDENTIFIED VIA mysql_native_password USING PASSWORD('pw')",
       "GRANT USAGE ON *.* TO u IDENTIFIED VIA mysql_native_password USING " + h},
      {"set password", "SET PASSWORD = PASSWORD('pw')", "SET PASSWORD = " + h},
      {"set password for", "SET PASSWORD FOR 'u'@'%' := password('pw')", "SET PASSWORD FOR 'u'@'%' := " + h},
      {"set password among other items", "SET @a = (1, 2), PASSWORD FOR CURRENT_USER() = PASSWORD('pw')",
       "SET @a = (1, 2), PASSWORD FOR CURRENT_USER() = " + h},
      {"set statement ... for set password",
       "SET STATEMENT max_statement_time=1 FOR SET PASSWORD = PASSWORD('pw')",
       "SET STATEMENT max_statement_time=1 FOR SET PASSWORD = " + h},
      {"executable comment", "CREATE USER u /*!100000 IDENTIFIED BY 'pw' */",
       "CREATE USER u /*!100000 IDENTIFIED BY PASSWORD " + h + " */"},
      {"mariadb executable comment",
       "CREATE USER u /*M!100400 IDENTIFIED VIA mysql_native_password USING "
       "PASSWORD('pw') */",
       "CREATE USER u /*M!100400 IDENTIFIED VIA mysql_native_password USING " + h + " */"},
      {"split across executable comment", "CREATE USER u IDENTIFIED /*!BY*/ 'pw'",
       "CREATE USER u IDENTIFIED /*!BY*/ PASSWORD " + h},
      {"routine body", "CREATE PROCEDURE p() BEGIN CREATE USER x IDENTIFIED BY 'pw'; END",
       "CREATE PROCEDURE p() BEGIN CREATE USER x IDENTIFIED BY PASSWORD " + h + "; END"},
      {"set password in a routine body",
       "CREATE PROCEDURE p() BEGIN SELECT 1; SET PASSWORD FOR x = PASSWORD('pw'); END",
       "CREATE PROCEDURE p() BEGIN SELECT 1; SET PASSWORD FOR x = " + h + "; END"},
      {"set password after a label, in IF and in an event",
       "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN l: SET PASSWORD = PASSWORD('pw'); IF 1 THEN SET "
       "PASSWORD FOR y = PASSWORD('pw'); ELSE SET PASSWORD FOR z = PASSWORD('pw'); END IF; END",
       "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN l: SET PASSWORD = " + h +
           "; IF 1 THEN SET "
           "PASSWORD FOR y = " +
           h + "; ELSE SET PASSWORD FOR z = " + h + "; END IF; END"},
      {"set password as a trigger's statement",
       "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET PASSWORD FOR x = PASSWORD('pw')",
       "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET PASSWORD FOR x = " + h},
      {"known answer", "CREATE USER u IDENTIFIED BY 'password'",
       std::string("CREATE USER u IDENTIFIED BY PASSWORD '") + kHashOfPassword + "'"},
  };
  for (const RewriteCase& c : cases) {
    SecretRedaction redaction;
    ASSERT_TRUE(RedactSecrets(c.sql, &redaction).ok()) << c.what;
    EXPECT_EQ(redaction.text, c.logged) << c.what;
    EXPECT_TRUE(redaction.found_secret) << c.what;
    // What is logged is replayed, and re-executed after a crash: it must
    // hold no secret of its own.
    SecretRedaction again;
    ASSERT_TRUE(RedactSecrets(redaction.text, &again).ok()) << c.what;
    EXPECT_EQ(again.text, redaction.text) << c.what;
    EXPECT_FALSE(again.found_secret) << c.what;
  }
}

struct UntouchedCase {
  const char* what;
  std::string sql;
};

TEST(SecretRedactionTest, StatementsWithoutPlainTextPasswordsAreLoggedAsTyped) {
  const std::vector<UntouchedCase> cases = {
      {"no password", "CREATE USER u"},
      {"hash given", "CREATE USER u IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D0463EFAE20BDD122'"},
      {"plugin hash given",
       "CREATE USER u IDENTIFIED VIA ed25519 USING 'LIEvGDGjHTmKyz3peLRjPqahOct5n6/BQCNm1bOvot4'"},
      {"plugin without password", "CREATE USER u IDENTIFIED VIA unix_socket"},
      {"empty password", "CREATE USER u IDENTIFIED BY ''"},
      {"empty password()", "SET PASSWORD = PASSWORD('')"},
      {"set password to a hash", "SET PASSWORD FOR u = '*D821809F681A40A6E379B50D0463EFAE20BDD122'"},
      {"string", "INSERT INTO t VALUES ('IDENTIFIED BY'), ('x')"},
      {"string holding a statement", "INSERT INTO t VALUES ('CREATE USER u IDENTIFIED BY ''pw''')"},
      {"comment", "CREATE USER u /* IDENTIFIED BY 'pw' */"},
      {"line comment", "CREATE USER u -- IDENTIFIED BY 'pw'\n"},
      {"column named identified", "SELECT identified, COUNT(*) FROM t GROUP BY identified WITH ROLLUP"},
      {"column named password", "UPDATE t SET password = PASSWORD('pw') WHERE id = 1"},
      {"column named password in a routine body",
       "CREATE PROCEDURE p() BEGIN UPDATE t SET password = PASSWORD('pw'); UPDATE t AS a SET password = "
       "PASSWORD('pw'); END"},
      {"password expire", "ALTER USER u PASSWORD EXPIRE INTERVAL 30 DAY"},
      {"password() in a select", "SELECT PASSWORD('pw')"},
      {"user variable", "SET @password = PASSWORD('pw')"},
      {"quoted keyword", "CREATE TABLE `identified` (`by` VARCHAR(9))"},
  };
  for (const UntouchedCase& c : cases) {
    SecretRedaction redaction;
    ASSERT_TRUE(RedactSecrets(c.sql, &redaction).ok()) << c.what;
    EXPECT_EQ(redaction.text, c.sql) << c.what;
    EXPECT_FALSE(redaction.found_secret) << c.what;
    EXPECT_TRUE(redaction.set_password_accounts.empty()) << c.what;
  }
}

TEST(SecretRedactionTest, PasswordsOtherPluginsHashAreRefusedWithoutShowingThem) {
  const std::vector<UntouchedCase> cases = {
      {"ed25519", "CREATE USER u IDENTIFIED VIA ed25519 USING PASSWORD('hunter2')"},
      {"second of a chain",
       "ALTER USER u IDENTIFIED VIA mysql_native_password USING PASSWORD('pw') OR "
       "ed25519 USING PASSWORD('hunter2')"},
      {"grant", "GRANT USAGE ON *.* TO u IDENTIFIED WITH ed25519 AS PASSWORD('hunter2')"},
      {"old password", "SET PASSWORD FOR u = OLD_PASSWORD('hunter2')"},
      {"executable comment", "CREATE USER u /*!100400 IDENTIFIED VIA ed25519 USING PASSWORD('hunter2') */"},
  };
  for (const UntouchedCase& c : cases) {
    SecretRedaction redaction;
    const Status s = RedactSecrets(c.sql, &redaction);
    ASSERT_EQ(s.code(), Status::Code::kRefused) << c.what;
    EXPECT_NE(s.message().find("cannot be logged without its plain-text password"), std::string::npos)
        << c.what;
    EXPECT_NE(s.message().find("give the hash"), std::string::npos) << c.what;
    EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << "the reason must not show the password";
  }
  SecretRedaction redaction;
  const Status s = RedactSecrets("CREATE USER u IDENTIFIED VIA ed25519 USING PASSWORD('x')", &redaction);
  EXPECT_NE(s.message().find("IDENTIFIED VIA ed25519 USING PASSWORD(...)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("IDENTIFIED BY (mysql_native_password)"), std::string::npos) << s.message();
}

TEST(SecretRedactionTest, IncompleteStatementsAreRefused) {
  SecretRedaction redaction;
  EXPECT_EQ(RedactSecrets("CREATE USER u IDENTIFIED BY 'pw", &redaction).code(), Status::Code::kRefused);
  EXPECT_EQ(RedactSecrets("CREATE USER u /*!100000 IDENTIFIED BY 'pw'", &redaction).code(),
            Status::Code::kRefused);
}

TEST(SecretRedactionTest, PasswordCallSplitByAnExecutableCommentIsRefused) {
  SecretRedaction redaction;
  const Status s = RedactSecrets("SET PASSWORD = /*!100000 PASSWORD('pw' */ )", &redaction);
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  // Whole inside one comment, or two comments that open and close in it, is fine.
  ASSERT_TRUE(RedactSecrets("SET PASSWORD = /*!100000 PASSWORD('pw') */", &redaction).ok());
  EXPECT_EQ(redaction.text, "SET PASSWORD = /*!100000 '" + Hash("pw") + "' */");
}

TEST(SecretRedactionTest, SetPasswordNamesTheAccountsWhosePluginMustBeNative) {
  SecretRedaction redaction;
  ASSERT_TRUE(RedactSecrets("SET PASSWORD = PASSWORD('pw')", &redaction).ok());
  EXPECT_EQ(redaction.set_password_accounts, std::vector<std::string>{""});
  ASSERT_TRUE(
      RedactSecrets("SET PASSWORD FOR  'u'@'%'  = PASSWORD('a'), PASSWORD FOR CURRENT_USER = PASSWORD('b')",
                    &redaction)
          .ok());
  EXPECT_EQ(redaction.set_password_accounts, (std::vector<std::string>{"'u'@'%'", "CURRENT_USER"}));
  EXPECT_EQ(redaction.text, "SET PASSWORD FOR  'u'@'%'  = '" + Hash("a") +
                                "', PASSWORD FOR CURRENT_USER = '" + Hash("b") + "'");
  ASSERT_TRUE(RedactSecrets("CREATE USER u IDENTIFIED BY 'pw'", &redaction).ok());
  EXPECT_TRUE(redaction.set_password_accounts.empty()) << "IDENTIFIED BY always means mysql_native_password";
}

TEST(SecretRedactionTest, AcceptsTokensLexedOnce) {
  const std::string sql = "ALTER USER u IDENTIFIED BY 'pw'";
  const std::vector<Token> tokens = Tokenize(sql);
  SecretRedaction redaction;
  ASSERT_TRUE(RedactSecrets(sql, tokens, &redaction).ok());
  EXPECT_EQ(redaction.text, "ALTER USER u IDENTIFIED BY PASSWORD '" + Hash("pw") + "'");
}

TEST(SecretRedactionTest, NoPlainTextLeftInAnyRewrite) {
  // Every rewrite above in one place: the password's bytes never survive.
  for (const std::string sql :
       {"CREATE USER a IDENTIFIED BY 'Zq9secretZq9', b IDENTIFIED VIA mysql_native_password USING "
        "PASSWORD('Zq9secretZq9')",
        "SET PASSWORD FOR a = PASSWORD('Zq9secretZq9'), PASSWORD = PASSWORD(\"Zq9secretZq9\")"}) {
    SecretRedaction redaction;
    ASSERT_TRUE(RedactSecrets(sql, &redaction).ok()) << sql;
    EXPECT_EQ(redaction.text.find("Zq9secret"), std::string::npos) << redaction.text;
  }
}

}  // namespace
}  // namespace ddb
