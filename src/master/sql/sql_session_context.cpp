// SqlSession, the replay context a write carries: the session clock and
// RAND() seeds the master chooses, the AUTO_INCREMENT values a statement
// generated, user variables, and the session variables logged with every
// statement. The rest of the class is in sql_session.cpp.
#include <random>

#include "ddb/base/clock.h"
#include "ddb/mysql/replay_session.h"
#include "ddb/sql/explicit_definer.h"
#include "ddb/sql/secret_redaction.h"
#include "session_user_variables.h"
#include "sql_session.h"

namespace ddb {
namespace {

constexpr int kErrorSyntax = 1064;

}  // namespace

Status SqlSession::PrepareReplayContext(const ReplayTraits& traits, std::vector<SessionSetting>* context,
                                        std::vector<std::string>* warnings) {
  if (!traits.unsafe_reason.empty()) {
    if (options_.refuse_unsafe) {
      return Status::Refused("unsafe for replication: " + traits.unsafe_reason +
                             " (not executed; unsafe_statements = refuse)");
    }
    warnings->push_back("unsafe for replication, slaves may differ: " + traits.unsafe_reason);
  }
  if (!traits.warning.empty()) warnings->push_back(traits.warning);
  if (traits.uses_last_insert_id) {
    // The server keeps LAST_INSERT_ID() exactly (generated ids, and
    // LAST_INSERT_ID(expr) in any statement): read it when a write needs it.
    uint64_t last_insert_id = 0;
    if (Status s = ReadLastInsertId(&last_insert_id); !s.ok()) return s;
    context->push_back({"last_insert_id", std::to_string(last_insert_id)});
  }
  std::vector<std::string> variables = traits.user_variables;
  if (may_hold_user_variables_) {
    // A program the write reaches may read any of them (session_user_variables.h).
    if (Status s = AddSessionUserVariables(*connection_, &variables); !s.ok()) return s;
  }
  if (!variables.empty()) {
    // The values as the statement will see them, as literals of their type
    // (@n / 8 must give a DECIMAL on the slave too, not a DOUBLE).
    std::vector<std::string> literals;
    if (Status s = connection_->UserVariableLiterals(variables, &literals); !s.ok()) return s;
    for (size_t i = 0; i < variables.size(); ++i) context->push_back({"@" + variables[i], literals.at(i)});
  }
  return Status::Ok();
}

Status SqlSession::ExecuteWithClock(const std::string& sql, const ReplayClock& clock,
                                    bool zero_last_insert_id, QueryResult* result,
                                    const std::string* local_file) {
  auto run = [&](const std::string& text) {
    return local_file != nullptr ? connection_->ExecuteWithLocalFile(text, *local_file, result)
                                 : connection_->Execute(text, result);
  };
  // A write runs inside a transaction on the server: one whose autocommit
  // is on yet is turned off with the clock (the SET before the statement).
  // Otherwise a statement that needs no LAST_INSERT_ID() zeroed carries its
  // clock itself: MariaDB's SET STATEMENT sets the timestamp for that
  // statement only, so it costs no round trip of its own (and leaves
  // nothing pinned).
  if (!zero_last_insert_id && !server_autocommit_ && connection_->server_is_mariadb()) {
    Status s =
        run("SET STATEMENT timestamp = " + TimestampLiteral(clock.micros) + clock.rand_seeds + " FOR " + sql);
    // A syntax error ran nothing: run it as typed for MariaDB's own answer
    // (and in case the statement is one SET STATEMENT cannot wrap).
    if (s.ok() || s.code() != Status::Code::kMySql || s.mysql_error_code() != kErrorSyntax) return s;
  }
  if (Status s = PinTimestamp(clock, zero_last_insert_id, /*server_autocommit=*/false); !s.ok()) return s;
  return run(sql);
}

Status SqlSession::ReceiveLocalFile(const std::vector<Token>& tokens, std::optional<std::string>* file) {
  const std::optional<std::string> name = LocalInfileName(tokens);
  if (!name) return Status::Refused("not a LOAD DATA LOCAL statement");  // the policy refused it already
  if (!local_files_) return LocalFilesNotAllowed();
  uint64_t limit = 0;
  if (Status s = log_->MaxRecordBytes(*connection_, &limit); !s.ok()) return s;
  return local_files_(*name, limit, &file->emplace());
}

Status SqlSession::ReadLastInsertId(uint64_t* value) {
  QueryResult id;
  if (Status s = connection_->Execute("SELECT LAST_INSERT_ID()", &id); !s.ok()) return s;
  *value = std::stoull(id.rows.at(0).at(0).value_or("0"));
  return Status::Ok();
}

Status SqlSession::SettleDuplicateKeyInsertId(const InsertIdProbe& probe, uint64_t* generated) {
  // The OK packet of an INSERT ... ON DUPLICATE KEY UPDATE that updated a
  // row carries that row's id: forced on replay it would make the slave's
  // insert collide with (and update) that row. LAST_INSERT_ID() moves only
  // when a row got a generated id, so it tells the two apart.
  uint64_t now = 0;
  if (Status s = ReadLastInsertId(&now); !s.ok()) return s;
  if (probe.zeroed) {
    *generated = now;
    if (now == 0 && probe.before != 0) {
      // Nothing generated: give the session back its LAST_INSERT_ID() (a
      // session that had none has it already).
      return connection_->Execute("DO LAST_INSERT_ID(" + std::to_string(probe.before) + ")");
    }
    return Status::Ok();
  }
  *generated = now != probe.before ? now : 0;
  return Status::Ok();
}

Status SqlSession::TextToLog(const std::string& sql, const std::vector<Token>& tokens, std::string* logged) {
  SecretRedaction redaction;
  if (Status s = RedactSecrets(sql, tokens, &redaction); !s.ok()) return s;
  // SET PASSWORD stores a hash of the account's own plugin; the logged
  // '*HASH' is mysql_native_password's, which a slave refuses for any other.
  for (const std::string& account : redaction.set_password_accounts) {
    QueryResult shown;
    if (Status s = connection_->Execute("SHOW CREATE USER " + (account.empty() ? "CURRENT_USER()" : account),
                                        &shown);
        !s.ok()) {
      return s;
    }
    if (!shown.rows.empty() && shown.rows[0].at(0).value_or("").find("IDENTIFIED VIA") != std::string::npos) {
      return Status::Refused(
          "SET PASSWORD for an account that does not use mysql_native_password cannot be logged "
          "without its plain-text password; use ALTER USER ... IDENTIFIED VIA <plugin> USING "
          "'<hash>'");
    }
  }
  *logged = std::move(redaction.text);
  return Status::Ok();
}

SqlSession::ReplayClock SqlSession::ChooseClock(bool seed_rand, std::vector<SessionSetting>* context) {
  ReplayClock clock;
  clock.micros = user_timestamp_micros_.value_or(NowMicros());
  if (seed_rand) {
    // RAND()'s seeds cannot be read back, so the master chooses them and
    // ships them with the statement.
    std::random_device device;
    std::uniform_int_distribution<uint32_t> seed(1, 1u << 30);
    const std::string seed1 = std::to_string(seed(device));
    const std::string seed2 = std::to_string(seed(device));
    clock.rand_seeds = ", rand_seed1 = " + seed1 + ", rand_seed2 = " + seed2;
    context->push_back({"rand_seed1", seed1});
    context->push_back({"rand_seed2", seed2});
  }
  return clock;
}

Status SqlSession::PinTimestamp(const ReplayClock& clock, bool zero_last_insert_id,
                                std::optional<bool> server_autocommit) {
  // LAST_INSERT_ID(0) returns 0 and sets the session's value to 0: folded
  // into the timestamp's expression it costs no extra round trip.
  std::string sql = "SET TIMESTAMP = " + std::string(zero_last_insert_id ? "LAST_INSERT_ID(0) + " : "") +
                    TimestampLiteral(clock.micros) + clock.rand_seeds;
  if (server_autocommit && *server_autocommit != server_autocommit_) {
    sql += *server_autocommit ? ", autocommit = 1" : ", autocommit = 0";
  }
  if (Status s = connection_->Execute(sql); !s.ok()) return s;
  // Pinned at the user's own value, the server is as the user left it.
  timestamp_pinned_ = !user_timestamp_micros_;
  if (server_autocommit) server_autocommit_ = *server_autocommit;
  return Status::Ok();
}

Status SqlSession::PrepareServerSession(bool unpin_timestamp) {
  const bool wanted = ServerAutocommitWanted();
  std::string sql;
  if (unpin_timestamp && timestamp_pinned_) sql = "TIMESTAMP = DEFAULT";
  if (server_autocommit_ != wanted)
    sql += std::string(sql.empty() ? "" : ", ") + "autocommit = " + (wanted ? "1" : "0");
  if (sql.empty()) return Status::Ok();
  // Turning autocommit on commits what is open on the server; nothing is:
  // the user's transaction is closed whenever it is wanted on, and ddb ends
  // its own writes (commit_record, RollBackUnlogged) before it is.
  if (Status s = connection_->Execute("SET " + sql); !s.ok()) return s;
  if (unpin_timestamp) timestamp_pinned_ = false;
  server_autocommit_ = wanted;
  return Status::Ok();
}

Status SqlSession::ReadUserTimestamp() {
  // MariaDB shows no flag for a pinned clock, but a pinned @@timestamp is
  // the same in two statements and a running one (microseconds, a round
  // trip apart) is not. RunSet released ddb's own pin before the SET.
  QueryResult first;
  QueryResult second;
  const std::string read = "SELECT CAST(ROUND(@@timestamp * 1000000) AS SIGNED)";
  if (Status s = connection_->Execute(read, &first); !s.ok()) return s;
  if (Status s = connection_->Execute(read, &second); !s.ok()) return s;
  const std::string value = first.rows.at(0).at(0).value_or("");
  if (value.empty() || value != second.rows.at(0).at(0).value_or("")) {
    user_timestamp_micros_.reset();
  } else {
    user_timestamp_micros_ = std::stoll(value);
  }
  return Status::Ok();
}

void SqlSession::RollBackUnlogged() { static_cast<void>(connection_->Execute("ROLLBACK")); }

Status SqlSession::RefreshSessionState(bool adopt_autocommit) {
  QueryResult result;
  if (Status s = connection_->Execute(
          SelectReplicatedVariablesSql() +
              ", @@session.autocommit, DATABASE(), @@session.tx_isolation, @@session.character_set_results,"
              " CURRENT_USER(), CURRENT_ROLE()",
          &result);
      !s.ok()) {
    return s;
  }
  const auto& row = result.rows.at(0);
  const auto& variables = ReplicatedVariables();
  const std::vector<SessionSetting> before = std::move(settings_);
  settings_.clear();
  for (size_t i = 0; i < variables.size(); ++i) {
    const std::string value = row[i].value_or("");
    std::string literal = ReplicatedVariableLiteral(variables[i], value);
    // The usual value travels as its absence (the replay sets it).
    if (variables[i].usual == nullptr || literal != variables[i].usual) {
      settings_.push_back({variables[i].name, std::move(literal)});
    }
    if (std::string_view(variables[i].name) == "sql_mode") {
      lex_mode_ = LexModeFor(value);
      lex_mode_.server_version = connection_->server_version();
    }
  }
  // sql_mode (PIPES_AS_CONCAT, ANSI_QUOTES) and the like change what a
  // text means: reads are described again.
  if (settings_ != before) described_.clear();
  server_autocommit_ = row[variables.size()].value_or("1") != "0";
  if (adopt_autocommit) autocommit_ = server_autocommit_;
  database_ = row[variables.size() + 1].value_or("");
  // A server whose default is READ COMMITTED (transaction_isolation in its
  // my.cnf) does not get to weaken ddb's sessions: see LowersIsolation.
  const std::optional<std::string>& results_charset = row[variables.size() + 3];
  results_charset_ = results_charset ? QuoteString(*results_charset) : "NULL";
  const std::optional<std::string>& account = row[variables.size() + 4];
  current_user_ = account.value_or("");
  account_ = account ? QuotedAccount(*account) : "";
  // What the session may read changes with its role (SET ROLE): a read
  // described as allowed before is asked again, or a slave, which runs it
  // as ddb's account, would answer what the account may no longer read.
  std::optional<std::string> role = row.at(variables.size() + 5);
  if (role != current_role_) described_.clear();
  current_role_ = std::move(role);
  const std::string isolation = row[variables.size() + 2].value_or("");
  if (isolation == "READ-COMMITTED" || isolation == "READ-UNCOMMITTED") {
    return connection_->Execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  }
  return Status::Ok();
}

LoggedStatement SqlSession::MakeLogged(const std::string& sql, int64_t timestamp_micros,
                                       std::vector<SessionSetting> context) const {
  LoggedStatement logged;
  logged.sql = sql;
  logged.default_database = database_;
  logged.timestamp_micros = timestamp_micros;
  logged.settings = settings_;
  logged.settings.insert(logged.settings.end(), std::make_move_iterator(context.begin()),
                         std::make_move_iterator(context.end()));
  return logged;
}

}  // namespace ddb
