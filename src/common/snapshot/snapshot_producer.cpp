#include <nlohmann/json.hpp>

#include "ddb/snapshot/snapshot_format.h"
#include "ddb/snapshot/snapshot_source.h"

namespace ddb {
namespace {

// A piece handed to the HTTP server, and one INSERT statement: big enough
// that per-statement costs vanish, far below any max_allowed_packet.
constexpr size_t kPieceBytes = 1 << 20;
constexpr size_t kStatementBytes = 512 << 10;

}  // namespace

SnapshotProducer::SnapshotProducer(std::unique_ptr<MySqlConnection> connection,
                                   const SnapshotCatalog& catalog, std::string header_json)
    : connection_(std::move(connection)), tables_(catalog.tables), header_json_(std::move(header_json)) {
  for (const auto& [database, create] : catalog.databases) {
    steps_.push_back({create});
    steps_.push_back({"USE " + QuoteIdentifier(database)});
    for (size_t i = 0; i < tables_.size(); ++i) {
      if (tables_[i].database != database) continue;
      steps_.push_back({tables_[i].create_sql});
      steps_.push_back({"", static_cast<int>(i)});
    }
  }
  for (const SnapshotObject& object : catalog.objects) {
    steps_.push_back({"USE " + QuoteIdentifier(object.database)});
    std::string mode = "SET SESSION sql_mode = ";
    AppendSqlLiteral(&mode, object.sql_mode, LiteralKind::kText);
    steps_.push_back({mode});
    steps_.push_back({object.create_sql});
  }
  // Last: a grant on a table or routine needs it to exist.
  if (!catalog.accounts.empty()) steps_.push_back({"SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'"});
  for (const std::string& account : catalog.accounts) steps_.push_back({account});
}

void SnapshotProducer::AppendStatement(std::string* piece, std::string_view sql) {
  AppendSnapshotItem(piece, SnapshotItemKind::kStatement, sql);
  ++statements_;
}

Status SnapshotProducer::Next(std::string* piece) {
  piece->clear();
  if (!started_) {
    piece->append(kSnapshotMagic);
    AppendSnapshotItem(piece, SnapshotItemKind::kHeader, header_json_);
    started_ = true;
  }
  while (piece->size() < kPieceBytes && !ended_) {
    if (step_ == steps_.size()) {
      const nlohmann::json end = {{"statements", statements_}, {"rows", rows_}};
      AppendSnapshotItem(piece, SnapshotItemKind::kEnd, end.dump());
      ended_ = true;
      connection_.reset();  // ends the snapshot transaction and its locks now, not when the client goes
      break;
    }
    const Step& step = steps_[step_];
    if (step.table < 0) {
      AppendStatement(piece, step.sql);
      ++step_;
      continue;
    }
    if (Status s = ProduceRows(tables_[static_cast<size_t>(step.table)], piece); !s.ok()) return s;
    AppendSnapshotItem(piece, SnapshotItemKind::kProgress, std::to_string(rows_));
  }
  return Status::Ok();
}

Status SnapshotProducer::ProduceRows(const SnapshotTable& table, std::string* piece) {
  if (table.columns.empty()) {  // nothing stored to copy
    ++step_;
    return Status::Ok();
  }
  std::string columns;
  for (const std::string& column : table.columns) {
    if (!columns.empty()) columns += ", ";
    columns += QuoteIdentifier(column);
  }
  const std::string qualified = QuoteIdentifier(table.database) + "." + QuoteIdentifier(table.name);
  if (!cursor_) {
    if (Status s = RowCursor::Open(*connection_, "SELECT " + columns + " FROM " + qualified, &cursor_);
        !s.ok()) {
      return s;
    }
  }
  std::vector<std::optional<std::string>> row;
  std::string statement;
  while (piece->size() + statement.size() < kPieceBytes) {
    if (!cursor_->Next(&row)) {
      if (!cursor_->status().ok()) return cursor_->status();
      cursor_.reset();
      ++step_;
      break;
    }
    statement += statement.empty() ? "INSERT INTO " + qualified + " (" + columns + ") VALUES (" : ",(";
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) statement += ',';
      AppendSqlLiteral(&statement, row[i], table.kinds[i]);
    }
    statement += ')';
    ++rows_;
    if (statement.size() >= kStatementBytes) {
      AppendStatement(piece, statement);
      statement.clear();
    }
  }
  if (!statement.empty()) AppendStatement(piece, statement);
  return Status::Ok();
}

}  // namespace ddb
