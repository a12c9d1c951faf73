// ddb-master: wires the parts together; each part lives in its own file.
#include <spdlog/spdlog.h>

#include <atomic>
#include <iostream>

#include "client_server.h"
#include "consistency_check.h"
#include "dashboard_assets.h"
#include "ddb/daemon/config_check.h"
#include "ddb/daemon/daemon_start.h"
#include "ddb/daemon/exposure.h"
#include "ddb/daemon/foreground.h"
#include "ddb/daemon/http_server.h"
#include "ddb/daemon/logging.h"
#include "ddb/daemon/role_change.h"
#include "ddb/daemon/shutdown.h"
#include "endpoint_reads.h"
#include "forwarded_writes.h"
#include "haproxy_config.h"
#include "log_purger.h"
#include "master_check.h"
#include "master_config.h"
#include "master_console.h"
#include "master_exposure.h"
#include "master_http_api.h"
#include "master_reload.h"
#include "master_role.h"
#include "master_schema.h"
#include "master_snapshot.h"
#include "mysql_probe.h"
#include "peer_epochs.h"
#include "read_router.h"
#include "replication_log.h"
#include "replication_server.h"
#include "slave_registry.h"
#include "sql_session.h"
#include "switchover.h"
#include "switchover_routes.h"
#include "sync_replication.h"
#include "user_sessions.h"
#include "verify_routes.h"
#include "verify_service.h"

namespace ddb {
namespace {

int Fail(const std::string& message) { return FailStart("ddb-master", message); }

// How often the other nodes are asked which epoch they are in.
constexpr std::chrono::milliseconds kPeerCheckInterval{2000};

// The other nodes' /health, from slave_http_addresses (validated with the
// config: an item that does not parse is left out).
std::vector<NamedAddress> PeersOf(const MasterConfig& config) {
  std::vector<NamedAddress> peers;
  for (const std::string& item : config.slave_http_addresses) {
    NamedAddress named;
    if (ParseNamedAddress(item, &named).ok()) peers.push_back(std::move(named));
  }
  return peers;
}

// What the master reads from its MySQL before anything else runs; the
// connection stays open: it holds 'ddb_meta.master' while the daemon runs.
struct MasterBoot {
  std::unique_ptr<MySqlConnection> connection;
  MasterStart start;
  std::map<std::string, uint64_t> saved_positions;  // the slaves' acknowledged positions
  std::string server_version;                       // what the endpoint's greeting says
};

// Connects, takes the master lock, readies ddb_meta (promoting a slave's
// MySQL with --promote) and reads what the start needs.
Status OpenMasterMySql(const MasterConfig& config, MasterBoot* boot) {
  const std::string where = config.mysql.Describe();
  if (Status s = MySqlConnection::Open(config.mysql, &boot->connection); !s.ok()) {
    return Status::Unavailable("cannot connect to the master's MySQL at " + where + ": " + s.ToString());
  }
  MySqlConnection& connection = *boot->connection;
  if (const std::string refusal = AutoIncrementModeRefusal(connection); !refusal.empty()) {
    return Status::Refused(where + ": " + refusal);
  }
  if (Status s = HoldMasterLock(connection); !s.ok()) return Status::Refused(where + ": " + s.message());
  if (Status s = PrepareMasterRole(connection, config.node_name, config.promote, &boot->start); !s.ok()) {
    return Status::Refused(where + ": " + s.ToString());
  }
  if (Status s = LoadSavedPositions(connection, &boot->saved_positions); !s.ok()) {
    return Status::Unavailable("reading ddb_meta.slave_positions: " + s.ToString());
  }
  // The endpoint's greeting names the MariaDB behind it, so clients that
  // look at the version see what they are really talking to.
  QueryResult version;
  if (Status s = connection.Execute("SELECT VERSION()", &version); !s.ok()) {
    return Status::Unavailable("reading the master MySQL's version: " + s.ToString());
  }
  boot->server_version = version.rows.at(0).at(0).value_or("10.11") + "-ddb";
  return Status::Ok();
}

// Another node is the master now: this node goes on as its slave.
int RejoinAsSlave(const MasterConfig& config) {
  std::cerr << "ddb-master: fenced; restarting as a slave: ddb-slave --config " << config.slave_config
            << " --rejoin" << std::endl;
  const Status s = ExecSiblingDaemon("ddb-slave", {"--config", config.slave_config, "--rejoin"});
  return Fail(s.message());
}

// TLS on the replication port (and, without client certificates, HTTPS);
// both null without tls_cert_file.
Status MakeServerTls(const MasterConfig& config, std::shared_ptr<ssl::context>* link,
                     std::shared_ptr<ssl::context>* http) {
  if (config.tls.files.cert_file.empty()) return Status::Ok();
  if (Status s =
          MakeTlsServerContext(config.config_path, config.tls.files, config.tls_require_client_cert, link);
      !s.ok()) {
    return s;
  }
  return MakeTlsServerContext(config.config_path, config.tls.files, false, http);
}

LinkSettings LinkSettingsOf(const MasterConfig& config, const std::string& cluster_id,
                            std::shared_ptr<ssl::context> tls) {
  LinkSettings link;
  link.master_name = config.node_name;
  link.cluster_id = cluster_id;
  link.cluster_secret = config.cluster_secret;
  link.handshake_timeout = std::chrono::milliseconds(config.handshake_timeout_ms);
  link.heartbeat = config.heartbeat;
  link.mysql = config.mysql;
  link.tls = std::move(tls);
  return link;
}

ReadRouting ReadRoutingOf(const MasterConfig& config) {
  ReadRouting routing;
  routing.from_slaves = config.read_from == "slaves";
  routing.max_lag_seconds = config.max_lag_seconds;
  routing.read_your_writes_wait = std::chrono::milliseconds(config.read_your_writes_wait_ms);
  routing.read_timeout = std::chrono::milliseconds(std::max(1000, 2 * config.heartbeat.timeout_ms));
  return routing;
}

HttpServerOptions HttpOptionsOf(const MasterConfig& config, std::shared_ptr<ssl::context> tls) {
  HttpServerOptions options;
  options.address = config.http.address;
  options.port = config.http.port;
  options.token = config.http_token;
  options.tls = std::move(tls);
  return options;
}

// The MySQL endpoint: HTTPS's certificate (clients are not asked for one);
// `server_version` names the MariaDB behind it.
ClientEndpointOptions EndpointOptionsOf(const MasterConfig& config, const std::string& server_version,
                                        std::shared_ptr<ssl::context> tls, EndpointReads* reads) {
  ClientEndpointOptions endpoint;
  endpoint.server_version = server_version;
  endpoint.mysql_address = config.mysql.Address();
  endpoint.users = config.client_users;
  endpoint.max_packet_bytes = config.client_max_packet_bytes;
  endpoint.handshake_timeout = std::chrono::milliseconds(config.client_handshake_timeout_ms);
  endpoint.idle_timeout = std::chrono::seconds(config.client_idle_timeout_seconds);
  // Without a certificate (allow_insecure let the start through) there is
  // no TLS to require.
  endpoint.require_tls = tls && TlsRequired(config.tls, config.client_address);
  endpoint.tls = std::move(tls);
  endpoint.reads = reads;
  return endpoint;
}

}  // namespace
}  // namespace ddb

int main(int argc, char** argv) {
  using namespace ddb;
  BlockStopSignals();

  MasterConfig config;
  const ParseResult parsed = LoadMasterConfig(argc, argv, &config);
  const DaemonCommands commands{
      .program = "ddb-master",
      .check = [&] { return RunMasterCheck(config, parsed, std::cout); },
      .init_title = "ddb master configuration, written by ddb-master --init-config.",
      .init_fresh_secrets = {"cluster_secret", "http_token"},
      .init_written = "(fresh cluster_secret and http_token; give the slaves the same cluster_secret)",
  };
  if (const std::optional<int> done =
          RunConfigCommands(commands, parsed, config.commands, config.settings, std::cout))
    return *done;
  if (config.print_haproxy_config) {
    std::string haproxy;
    if (Status s = BuildHaproxyConfig(config, &haproxy); !s.ok()) return Fail(s.message());
    std::cout << haproxy;
    return 0;
  }

  std::unique_ptr<Logging> logging;
  if (Status s = Logging::Open(config.logging, &logging); !s.ok())
    return Fail(config.config_path + ": " + s.message());
  auto logger = logging->For("master");
  for (const std::string& warning : MasterSecurityWarnings(config)) logger->warn("{}", warning);
  std::shared_ptr<ssl::context> link_tls, http_tls;
  if (Status s = MakeServerTls(config, &link_tls, &http_tls); !s.ok()) return Fail(s.message());

  MasterBoot boot;
  if (Status s = OpenMasterMySql(config, &boot); !s.ok()) return Fail(s.message());
  const MasterStart& start = boot.start;
  if (!start.promoted.empty()) logger->warn("{}", start.promoted);
  if (!start.adopted.empty()) logger->warn("{}", start.adopted);
  const std::string& cluster_id = start.cluster_id;
  // The epochs this master started with; it stops taking writes when it
  // learns of a newer one, from a slave's handshake or a peer's /health.
  // Set once the daemon serves; fenced before that, it never starts (below).
  std::atomic<bool> serving{false};
  Fencing fencing(start.epochs, [&config, &serving, &logger] {
    // Restart as a slave at once (role_change.h: what runs ends as on kill
    // -9, and nothing of it can commit any more).
    if (!serving || config.slave_config.empty()) return;
    logger->flush();
    static_cast<void>(RejoinAsSlave(config));  // returns only when it failed; the node stays fenced
  });
  // With a CA, the peers' /health is HTTPS whose certificates must check: a
  // forged answer must not fence this master.
  std::shared_ptr<ssl::context> peer_tls;
  if (Status s = MakePeerTlsContext(config.config_path, config.tls.files, &peer_tls); !s.ok())
    return Fail(s.message());
  PeerEpochWatch peers(PeersOf(config), fencing, kPeerCheckInterval, logging->For("master.fencing"),
                       peer_tls);
  if (peers.CheckOnce()) {
    // Replaced while it was down: never takes a write.
    if (config.slave_config.empty()) {
      return Fail(*fencing.reason() + "; set slave_config to have it rejoin as a slave by itself");
    }
    boot.connection.reset();  // releases 'ddb_meta.master'
    return RejoinAsSlave(config);
  }
  uint64_t last_seq = 0;
  if (Status s = ReplicationLog::Recover(config.mysql, *logger, &last_seq); !s.ok()) {
    return Fail("recovering the replication log: " + s.ToString());
  }
  RecentRecords recent(config.recent_records, last_seq);
  ReplicationLog log(config.mysql, &recent, logging->For("master.log"), &fencing);
  if (Status s = log.writers().ForgetAll(); !s.ok()) {
    return Fail("clearing ddb_meta.log_writers of the previous run's sessions: " + s.ToString());
  }
  SlaveRegistry registry(config.slaves);
  registry.RestorePositions(boot.saved_positions);
  Switchover switchover({log, fencing, registry, peers}, config.node_name,
                        std::chrono::milliseconds(config.switchover_timeout_ms),
                        logging->For("master.switchover"));
  LogPurger purger(config.mysql, registry, {config.log_retention_seconds, config.purge_interval_ms},
                   logging->For("master.purge"));

  SessionOptions session_options;
  session_options.refuse_unsafe = config.unsafe_statements == "refuse";
  KnownFineTables known_fine;  // every session's answers about tables, per account
  session_options.known_fine = &known_fine;
  SyncReplication sync(registry, {config.sync_slaves, std::chrono::milliseconds(config.sync_timeout_ms)},
                       logging->For("master.sync"));
  // Writes forwarded from slave consoles: sessions like the console's, with
  // reads on the master (a forwarded read is part of a transaction there).
  SessionOptions forwarded_options = session_options;
  forwarded_options.temporary_tables = false;
  ForwardedWrites forwarded(
      [&] { return std::make_unique<SqlSession>(config.mysql, &log, forwarded_options, nullptr, &sync); },
      logging->For("master.forward"));

  ReadRouter router(registry, recent, ReadRoutingOf(config));
  // Continuous verification: a thread and a MySQL session of its own.
  VerifyResults verify_results;
  VerifyService verify_service(config.mysql, log, registry, verify_results,
                               {config.verify_interval_seconds, config.verify_busy_percent},
                               logging->For("master.verify"));
  EndpointReads endpoint_reads(config.node_name);
  // \reload, SIGHUP and POST /api/reload: one reloader, one reload at a time.
  const std::unique_ptr<ConfigReloader> reloader = MakeMasterReloader(
      argc, argv, config, MasterLiveParts{registry, sync, router, purger, *logging, verify_service},
      logging->For("master.config"));
  // Before the replication server starts: a port clash ends the daemon at once.
  // The dashboard and API: their own thread, SQL on their own sessions.
  MasterHttpContext http_context{config.node_name, cluster_id, recent, registry, config.mysql, &log,
                                 session_options,  &router,    &sync};
  // /health's view of the master's MySQL: asked every second, and a check
  // with no answer after 5 s counts as down.
  MySqlProbe mysql_probe(config.mysql, std::chrono::seconds(1), std::chrono::seconds(5),
                         logging->For("master.mysql"));
  http_context.mysql_probe = &mysql_probe;
  http_context.reloader = reloader.get();
  http_context.epochs = &fencing.epochs();
  // Fenced, or holding writes for a switchover: either way HAProxy's write
  // backend must leave this node.
  http_context.fenced_reason = [&fencing] { return fencing.WritesRefused(); };
  http_context.switchover = &switchover;
  for (const NamedAddress& peer : PeersOf(config))
    http_context.node_http[peer.name] = peer.address.Describe();
  http_context.verify = &verify_results;
  const EndpointReads* counted_reads =
      config.client_port != 0 ? &endpoint_reads : nullptr;  // no endpoint: none
  http_context.endpoint_reads = counted_reads;
  std::unique_ptr<HttpServer> http;
  if (config.http.port != 0) {
    http = std::make_unique<HttpServer>(HttpOptionsOf(config, http_tls), logging->For("master.http"));
    AddMasterRoutes(*http, http_context);
    AddDashboardRoutes(*http);
    AddVerifyRoutes(*http, verify_results, verify_service);
    AddSwitchoverRoutes(*http, switchover);
    AddMasterSnapshotRoute(*http, config.node_name, cluster_id, config.cluster_secret, config.mysql, &log,
                           logging->For("master.snapshot"));
    if (Status s = http->Start(); !s.ok()) return Fail(s.message());
    logger->info("dashboard and API at {}://{}:{}/{}", http_tls ? "https" : "http", config.http.address,
                 http->port(), config.http_token.empty() ? " (API off: no http_token)" : "");
  }
  asio::io_context io;
  // The server keeps a reference to its settings: they live as long as main.
  const LinkSettings link_settings = LinkSettingsOf(config, cluster_id, link_tls);
  ReplicationServer server(io, link_settings, recent, registry, fencing, logging->For("master.link"),
                           &forwarded);
  if (Status s = server.Listen(config.replication_address, config.replication_port); !s.ok()) {
    return Fail(s.message());
  }
  // Endpoint clients' reads are routed like the console's; the endpoint
  // gives a slave's answer the master's column types (slave_result_types.h).
  std::unique_ptr<ClientServer> client_server;
  UserSessions user_sessions(config.mysql, &log, session_options, &router, &sync);
  if (config.client_port != 0) {
    client_server = std::make_unique<ClientServer>(
        EndpointOptionsOf(config, boot.server_version, http_tls, &endpoint_reads),
        config.client_max_connections,
        [&](const ClientUser& user) { return user_sessions.Make(user.name, user.password); },
        logging->For("master.client"));
    if (Status s = client_server->Listen(config.client_address, config.client_port); !s.ok()) {
      return Fail(s.message());
    }
  }

  IoThread io_thread(io);
  // From here every way out of main stops what runs, in this order: the
  // front ends first and the verifier before the link (a statement or a
  // pass under way may wait for the slaves' acks), the link's thread last.
  ScopedStop shutdown([&] {
    if (client_server) client_server->Stop();
    if (http) http->Stop();
    peers.Stop();
    verify_service.Stop();
    purger.Stop();
    mysql_probe.Stop();
    server.Stop();
    io_thread.Stop();
  });
  server.Start();
  purger.Start();
  peers.Start();
  mysql_probe.Start();
  verify_service.Start();
  io_thread.Start();
  if (client_server) {
    client_server->Start();
    logger->info("MySQL endpoint ready on {}:{} for {} user(s)", config.client_address, config.client_port,
                 config.client_users.size());
  }
  logger->info("master '{}' of cluster {} ready: log at #{}, slaves dial {}:{} ({})", config.node_name,
               cluster_id, last_seq, config.replication_address, config.replication_port,
               !link_tls                        ? "plain TCP"
               : config.tls_require_client_cert ? "TLS, client certificates required"
                                                : "TLS");

  SqlSession session(config.mysql, &log, session_options, &router, &sync);
  // Reloading applies every key that can change live; the others are
  // reported as needing a restart.
  auto reload = [&reloader]() -> std::string { return ReloadText(reloader->Reload()); };
  ConsistencyCheck verify(config.mysql, log, registry, verify_service.run_ids());
  MasterConsole console(session, recent, registry, verify, verify_results, router, sync, config.node_name,
                        cluster_id, reload, config.mysql, counted_reads);
  console.set_switchover([&switchover](const std::string& to, std::ostream& out) {
    return switchover.Run(to, [&out](const std::string& line) { out << line << std::endl; });
  });
  serving = true;
  if (fencing.reason() && !config.slave_config.empty()) {
    boot.connection.reset();  // fenced while starting: now is the first moment to hand over
    return RejoinAsSlave(config);
  }
  const int failures = RunForeground(config.console, console, *logger, [&reloader] { reloader->Reload(); });

  shutdown.Run();
  logger->info("master stopped");
  return failures == 0 ? 0 : 1;
}
