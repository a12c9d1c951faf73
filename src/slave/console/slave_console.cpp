#include "slave_console.h"

#include "ddb/base/clock.h"
#include "ddb/sql/statement_classifier.h"

namespace ddb {
namespace {}  // namespace

std::string SlaveRefusal(const std::string& sql, const std::string& slave_name, const std::string& master,
                         const std::string& dml_advice) {
  const StatementInfo info = ClassifyStatement(sql);
  const std::string verb = info.verb.empty() ? "this statement" : info.verb;
  const std::string where = " is refused on slave '" + slave_name + "': ";
  if (info.has_multiple_statements) return "one statement at a time, please: end each with ';'";
  switch (info.kind) {
    case StatementKind::kEmpty:
    case StatementKind::kRead:
    case StatementKind::kUse:
    case StatementKind::kBegin:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
    case StatementKind::kSavepoint: return "";
    case StatementKind::kSet:
      // SET GLOBAL changes the server for everyone and could turn off what
      // keeps this replica equal to the master.
      if (info.sets_global_state)
        return "SET GLOBAL" + where + "slaves take server settings from their config";
      return "";
    case StatementKind::kDdl:
      return verb + where + "schema changes are made at the master (" + master +
             ": its console, dashboard or MySQL endpoint) and replicated to every slave; nothing was changed";
    case StatementKind::kDml:
      return verb + where + "slaves are read-only; send writes to the master (" + master +
             ": its console, dashboard or MySQL endpoint), which replicates them here; nothing was changed" +
             dml_advice;
    case StatementKind::kLockTables:
    case StatementKind::kAdmin:
    case StatementKind::kUnknown: break;
  }
  return verb + where + "a slave console answers reads only";
}

SlaveConsole::SlaveConsole(const SlaveConfig& config, const SlaveStatusBoard* status, Applier* applier,
                           WriteForwarder* forwarder)
    : config_(config), status_(status), applier_(applier), forwarder_(forwarder) {}

Status SlaveConsole::EnsureConnected() {
  if (connection_) return Status::Ok();
  MySqlEndpoint endpoint = config_.mysql;
  endpoint.database = database_;
  if (Status s = MySqlConnection::Open(endpoint, &connection_); !s.ok()) {
    connection_.reset();
    return s;
  }
  // Belt and braces under the statement check: the server itself refuses
  // writes in this session.
  if (Status s = connection_->Execute("SET SESSION TRANSACTION READ ONLY"); !s.ok()) {
    connection_.reset();
    return s;
  }
  return Status::Ok();
}

bool SlaveConsole::ForwardsToMaster(const StatementInfo& info) const {
  if (forwarder_ == nullptr || info.has_multiple_statements || info.incomplete) return false;
  if (forwarder_->in_transaction()) {
    switch (info.kind) {
      case StatementKind::kRead:  // sees the transaction's own writes
      case StatementKind::kDml:
      case StatementKind::kBegin:
      case StatementKind::kCommit:
      case StatementKind::kRollback:
      case StatementKind::kSavepoint: return true;
      default:
        return false;  // USE and SET stay local (and reach the master with the next statement); DDL is
                       // refused
    }
  }
  return info.kind == StatementKind::kDml || info.kind == StatementKind::kBegin;
}

ExecutionResult SlaveConsole::Execute(const std::string& sql) {
  const StatementInfo info = ClassifyStatement(sql);
  if (ForwardsToMaster(info)) return forwarder_->Forward(sql, database_);
  ExecutionResult outcome;
  // Where to go instead: the master's host (its replication port takes no SQL).
  const std::string master = "ddb-master on " + config_.master_host;
  std::string dml_advice;
  if (forwarder_ == nullptr && config_.forward_writes && config_.attach) {
    dml_advice =
        " (a console attached to the running ddb-slave daemon forwards writes; this one found no daemon "
        "at " +
        config_.console_socket + ")";
  } else if (!config_.forward_writes) {
    dml_advice = " (forward_writes = false in " + config_.config_path + ")";
  }
  if (std::string refusal = SlaveRefusal(sql, config_.node_name, master, dml_advice); !refusal.empty()) {
    outcome.status = Status::Refused(refusal);
    return outcome;
  }
  if (info.kind == StatementKind::kEmpty) return outcome;
  outcome = RunLocally(sql, info);
  if (outcome.status.ok() && info.kind == StatementKind::kSet && forwarder_ != nullptr) {
    forwarder_->RememberSet(sql);
  }
  return outcome;
}

ExecutionResult SlaveConsole::RunLocally(const std::string& sql, const StatementInfo& info) {
  ExecutionResult outcome;
  if (Status s = EnsureConnected(); !s.ok()) {
    outcome.status = s;
    return outcome;
  }
  outcome.status = connection_->Execute(sql, &outcome.result);
  if (!outcome.status.ok() && IsConnectionLost(outcome.status)) connection_.reset();
  if (outcome.status.ok() && info.kind == StatementKind::kUse) {
    QueryResult current;
    if (connection_->Execute("SELECT DATABASE()", &current).ok() && !current.rows.empty()) {
      database_ = current.rows[0][0].value_or("");
    }
    outcome.info = "Database changed";
  }
  return outcome;
}

std::vector<std::pair<std::string, std::string>> SlaveConsole::Commands() const {
  return {{"status", "this slave's link, position, lag and applier"},
          {"retry", "retry the record the applier stopped on"},
          {"skip", "skip the record the applier stopped on (recorded in the log)"},
          {"promote",
           "make this slave the master when the master is gone (\\promote --force: whatever the "
           "other nodes say; docs/failover.md)"}};
}

CommandResult SlaveConsole::RunCommand(const std::string& name, const std::string& argument,
                                       std::ostream& out) {
  if (name == "promote") {
    if (!promoter_) {
      out << "ERROR: \\promote needs the running ddb-slave daemon (or run ddb-slave --config "
          << config_.config_path << " --promote with the daemon stopped)\n";
      return CommandResult::kFailed;
    }
    if (!argument.empty() && argument != "--force") {
      out << "ERROR: \\promote takes no argument but --force\n";
      return CommandResult::kFailed;
    }
    // Returns only when this node was not promoted (on success this
    // process is ddb-master now).
    const Status s = promoter_(argument == "--force", out);
    out << "ERROR: " << s.message() << "\n";
    return CommandResult::kFailed;
  }
  if (name == "status" || name == "s") {
    if (status_ == nullptr) {
      PrintStoredPosition(out);
    } else {
      PrintStatus(out);
    }
    return CommandResult::kDone;
  }
  if (name == "retry" || name == "skip") {
    if (applier_ == nullptr) {
      out << "ERROR: \\" << name << " acts on the applier of the ddb-slave daemon, and none answers at "
          << config_.console_socket << "\n";
      return CommandResult::kFailed;
    }
    Status s = name == "retry" ? applier_->Retry() : applier_->Skip();
    out << (s.ok() ? "OK: " + name + " requested" : "ERROR: " + s.message()) << "\n";
    return s.ok() ? CommandResult::kDone : CommandResult::kFailed;
  }
  return CommandResult::kUnknown;
}

void SlaveConsole::PrintStoredPosition(std::ostream& out) {
  QueryResult result;
  Status s = EnsureConnected();
  if (s.ok()) {
    s = connection_->Execute("SELECT cluster_id, seq, applied_at FROM ddb_meta.applied_position WHERE id = 1",
                             &result);
  }
  out << "slave:       " << config_.node_name << " (no daemon answers at " << config_.console_socket
      << ": this console reads this slave's MySQL only)\n";
  if (!s.ok() || result.rows.empty()) {
    out << "applied:     unknown (" << (s.ok() ? "no position row" : s.ToString()) << ")\n\n";
    return;
  }
  out << "cluster:     " << result.rows[0][0].value_or("") << "\n"
      << "applied:     #" << result.rows[0][1].value_or("0") << " at " << result.rows[0][2].value_or("")
      << "\n\n";
}

void SlaveConsole::PrintStatus(std::ostream& out) const {
  const SlaveStatusSnapshot s = status_->Snapshot();
  const uint64_t behind = s.master_last_seq > s.applied_seq ? s.master_last_seq - s.applied_seq : 0;
  out << "slave:       " << config_.node_name << "\n"
      << "cluster:     " << (s.cluster_id.empty() ? "(not joined yet)" : s.cluster_id) << "\n"
      << "master:      " << config_.master_host << ":" << config_.master_port << " — "
      << LinkStateName(s.link) << (s.link_detail.empty() ? "" : " (" + s.link_detail + ")") << "\n"
      << "state:       "
      << (s.link != LinkState::kConnected ? "offline"
          : behind == 0                   ? "online"
                                          : "catching up")
      << "\n"
      << "applied:     #" << s.applied_seq << " (master at #" << s.master_last_seq << ", " << behind
      << " behind)\n";
  if (const std::optional<double> lag = SlaveLagSeconds(s, NowMicros()); lag && behind > 0) {
    out << "lag:         " << static_cast<int64_t>(*lag * 1000) << " ms\n";
  }
  out << "applier:     " << ApplierStateName(s.applier);
  if (s.applier == ApplierState::kError) {
    out << " at record #" << s.apply_error.seq << "\n"
        << "  statement: " << s.apply_error.statement << "\n"
        << "  error:     " << s.apply_error.error << "\n"
        << "  (\\retry to try it again, \\skip to skip it)";
  } else if (s.applier == ApplierState::kMySqlDown) {
    out << " (" << s.mysql_error << ")";
  }
  out << "\n\n";
}

}  // namespace ddb
