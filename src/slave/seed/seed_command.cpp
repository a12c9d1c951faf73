#include "seed_command.h"

#include <chrono>
#include <cstdio>
#include <ostream>

#include "ddb/base/clock.h"
#include "ddb/daemon/config_parser.h"
#include "ddb/snapshot/snapshot_auth.h"
#include "slave_schema.h"
#include "snapshot_fetch.h"
#include "snapshot_loader.h"

namespace ddb {
namespace {

// A source silent this long (no byte of the stream) is given up on.
constexpr auto kReadTimeout = std::chrono::seconds(300);

// Where the snapshot comes from: "master" or a seed_sources name, and its HTTP.
using Source = NamedAddress;

Status FindSource(const SlaveConfig& config, Source* source) {
  if (config.seed_from.empty()) {
    source->name = "master";
    if (Status s = ParseHostPort(config.master_http_address, &source->address); !s.ok()) {
      return ConfigKeyError(config.config_path, "master_http_address", s.message());
    }
    return Status::Ok();
  }
  for (const std::string& list : config.seed_sources) {
    for (const std::string& item : SplitList(list)) {
      const size_t equals = item.find('=');
      if (equals == std::string::npos) {
        return ConfigKeyError(config.config_path, "seed_sources", "'" + item + "' is not name=host:port");
      }
      if (item.substr(0, equals) != config.seed_from) continue;
      source->name = config.seed_from;
      if (Status s = ParseHostPort(item.substr(equals + 1), &source->address); !s.ok()) {
        return ConfigKeyError(config.config_path, "seed_sources", s.message());
      }
      return Status::Ok();
    }
  }
  if (config.seed_from.find(':') != std::string::npos) {
    source->name = config.seed_from;
    return ParseHostPort(config.seed_from, &source->address);
  }
  return Status::InvalidArgument("--seed-from " + config.seed_from + ": no such name in 'seed_sources' of " +
                                 config.config_path +
                                 " (list name=host:port of each slave's HTTP, or give "
                                 "host:port)");
}

// What the target holds that seeding would replace; empty when nothing.
Status DescribeContents(MySqlConnection& connection, std::vector<std::string>* databases, std::string* what) {
  QueryResult schemas;
  if (Status s =
          connection.Execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1", &schemas);
      !s.ok()) {
    return s;
  }
  for (const auto& row : schemas.rows) {
    if (!IsSystemSchema(row[0].value_or(""))) databases->push_back(row[0].value_or(""));
  }
  QueryResult position;
  if (Status s = connection.Execute("SELECT seq FROM ddb_meta.applied_position WHERE id = 1", &position);
      !s.ok()) {
    return s;
  }
  bool unfinished_seed = false;
  if (Status s = SeedUnfinished(connection, &unfinished_seed); !s.ok()) return s;
  const std::string seq = position.rows.empty() ? "0" : position.rows[0][0].value_or("0");
  for (const std::string& name : *databases) *what += (what->empty() ? "databases " : ", ") + name;
  if (seq != "0") *what += (what->empty() ? "" : "; ") + std::string("applied position #") + seq;
  if (unfinished_seed) *what += (what->empty() ? "" : "; ") + std::string("an unfinished seed");
  return Status::Ok();
}

std::string Megabytes(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

// "  12.3 MB, 45000 of ~50000 rows, 5.1 MB/s, ~0:03 left"
std::string ProgressLine(const LoadProgress& progress, const SnapshotHeader& header, double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(progress.bytes) / seconds : 0;
  std::string line = "  " + Megabytes(progress.bytes) + ", " + std::to_string(progress.rows);
  if (header.estimated_rows > 0) line += " of ~" + std::to_string(header.estimated_rows);
  line += " rows, " + Megabytes(static_cast<uint64_t>(rate)) + "/s";
  if (header.estimated_rows > progress.rows && progress.rows > 0 && seconds > 0) {
    const auto left =
        static_cast<int64_t>(seconds * static_cast<double>(header.estimated_rows - progress.rows) /
                             static_cast<double>(progress.rows));
    char text[32];
    std::snprintf(text, sizeof text, ", ~%lld:%02lld left", static_cast<long long>(left / 60),
                  static_cast<long long>(left % 60));
    line += text;
  }
  return line;
}

// Drops what --force replaces, marks the seed, sets the loading session up.
Status PrepareTarget(MySqlConnection& target, const std::vector<std::string>& databases,
                     const std::string& contents, const std::string& source, std::ostream& out) {
  for (const std::string& database : databases) {
    if (Status s = target.Execute("DROP DATABASE " + QuoteIdentifier(database)); !s.ok()) return s;
  }
  if (!contents.empty()) out << "seed: target emptied (--force): it held " << contents << std::endl;
  if (Status s = MarkSeeding(target, source); !s.ok()) return s;
  return ExecuteAll(target, {"SET NAMES utf8mb4", "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'",
                             "SET SESSION foreign_key_checks = 0", "SET SESSION unique_checks = 0"});
}

}  // namespace

Status RunSeed(const SlaveConfig& config, std::ostream& out, bool on_terminal) {
  Source source;
  if (Status s = FindSource(config, &source); !s.ok()) return s;
  // A cluster whose link is TLS serves HTTPS too (the same certificates).
  FetchTls tls;
  if (LinkUsesTls(config)) {
    if (Status s = MakeTlsClientContext(config.config_path, config.tls.files, &tls.context); !s.ok())
      return s;
    if (config.seed_from.empty()) tls.server_name = config.tls_server_name;
  }
  out << "seed: source " << source.name << " at " << (tls.context ? "https://" : "http://")
      << source.address.Describe() << std::endl;

  std::unique_ptr<MySqlConnection> target;
  if (Status s = MySqlConnection::Open(config.mysql, &target); !s.ok()) {
    return Status::Unavailable("this slave's MySQL at " + config.mysql.Describe() + ": " + s.ToString());
  }
  // Held until the seed ends: no daemon can start applying meanwhile.
  if (Status s = AcquireApplierLock(*target); !s.ok()) {
    return Status::Refused(
        "this slave's daemon is running (it holds 'ddb_meta.applier'): stop it before "
        "seeding");
  }
  if (Status s = CreateSlaveSchema(*target); !s.ok()) return s;
  std::vector<std::string> databases;
  std::string contents;
  if (Status s = DescribeContents(*target, &databases, &contents); !s.ok()) return s;
  if (!contents.empty() && !config.force) {
    return Status::Refused("this slave's MySQL at " + config.mysql.Describe() + " is not empty (" + contents +
                           "); seeding replaces all of it: add --force to do so");
  }
  out << "seed: target " << config.mysql.Describe()
      << (contents.empty() ? " is empty"
                           : " holds " + contents + ": replaced once the source is checked (--force)")
      << std::endl;
  QueryResult stored;
  if (Status s = target->Execute("SELECT cluster_id FROM ddb_meta.applied_position WHERE id = 1", &stored);
      !s.ok()) {
    return s;
  }
  const std::string cluster_id = stored.rows.empty() ? "" : stored.rows[0][0].value_or("");

  const SnapshotRequestAuth auth =
      SignSnapshotRequest(config.cluster_secret, config.node_name, NowMicros() / 1000000);
  SnapshotLoader loader(*target, config.cluster_secret, auth.nonce, cluster_id);
  // Only once the source proved it is of this cluster is anything dropped.
  bool marked = false;
  loader.OnHeader([&](const SnapshotHeader& header) {
    out << "seed: snapshot of " << header.position.source << " at #" << header.position.seq << " (cluster "
        << header.position.cluster_id << "): " << header.databases << " databases, " << header.tables
        << " tables, about " << header.estimated_rows << " rows" << std::endl;
    marked = true;
    return PrepareTarget(*target, databases, contents, source.name, out);
  });
  const auto started = std::chrono::steady_clock::now();
  auto last_drawn = started;
  auto elapsed = [&started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  Status fetched = FetchStreamed(
      source.address, "/api/snapshot?" + SnapshotAuthQuery(auth),
      [&](std::string_view piece) {
        Status s = loader.Feed(piece);
        if (on_terminal && std::chrono::steady_clock::now() - last_drawn > std::chrono::milliseconds(500)) {
          last_drawn = std::chrono::steady_clock::now();
          out << "\r" << ProgressLine(loader.progress(), loader.header(), elapsed()) << "\x1b[K"
              << std::flush;
        }
        return s;
      },
      kReadTimeout, tls);
  if (on_terminal) out << "\r\x1b[K" << std::flush;
  if (fetched.ok()) fetched = loader.Finish();
  if (!fetched.ok()) {
    const std::string why = "seeding from " + source.name + ": " + fetched.ToString() +
                            (marked ? "; this slave keeps the seed mark, so its daemon will not start on the "
                                      "partial copy: run the seed again with --force"
                                    : "");
    return fetched.code() == Status::Code::kRefused ? Status::Refused(why) : Status::IoError(why);
  }
  const LoadProgress& progress = loader.progress();
  out << "seed: loaded " << progress.rows << " rows in " << progress.statements << " statements, "
      << Megabytes(progress.bytes) << " in " << static_cast<int64_t>(elapsed()) << " s" << std::endl;
  const SnapshotPosition& position = loader.header().position;
  if (Status s =
          StoreSeededPosition(*target, position.cluster_id, position.seq, position.committed_at_micros);
      !s.ok()) {
    return s;
  }
  out << "seed: position #" << position.seq << " of cluster " << position.cluster_id
      << " stored; start the daemon: it streams from the master after #" << position.seq << std::endl;
  return Status::Ok();
}

}  // namespace ddb
