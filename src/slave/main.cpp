// ddb-slave: wires the parts together; each part lives in its own file.
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <atomic>
#include <iostream>

#include "applier.h"
#include "apply_queue.h"
#include "attached_console.h"
#include "auto_failover.h"
#include "console_server.h"
#include "ddb/daemon/config_check.h"
#include "ddb/daemon/config_reload.h"
#include "ddb/daemon/daemon_start.h"
#include "ddb/daemon/foreground.h"
#include "ddb/daemon/http_server.h"
#include "ddb/daemon/logging.h"
#include "ddb/daemon/shutdown.h"
#include "ddb/mysql/node_role.h"
#include "fallback_console.h"
#include "master_link.h"
#include "not_master_endpoint.h"
#include "promote_command.h"
#include "query_worker.h"
#include "seed_command.h"
#include "slave_check.h"
#include "slave_config.h"
#include "slave_console.h"
#include "slave_http_api.h"
#include "slave_role.h"
#include "slave_schema.h"
#include "slave_snapshot.h"
#include "slave_status.h"
#include "write_forwarder.h"

namespace {

int Fail(const std::string& message) { return ddb::FailStart("ddb-slave", message); }

// ddb-slave --attach: the console of this node's running daemon, through
// its console socket; without a daemon there, a console of its own.
int RunAttached(ddb::SlaveConfig& config, spdlog::logger& logger) {
  using namespace ddb;
  if (config.console.mode == ConsoleMode::kAuto) config.console.mode = ConsoleMode::kOn;
  std::unique_ptr<AttachedConsole> attached;
  Status s = config.console_socket.empty()
                 ? Status::Unavailable("console_socket = off in " + config.config_path)
                 : AttachedConsole::Connect(config.console_socket, &attached);
  if (s.ok()) return RunForeground(config.console, *attached, logger) == 0 ? 0 : 1;
  if (s.code() != Status::Code::kUnavailable) return Fail(s.message());
  // No daemon to attach to: still a console, reading this slave's MySQL,
  // until a daemon answers.
  const bool can_attach_later = !config.console_socket.empty();
  std::cerr << "ddb-slave: " << s.message() << "; this console reads " << config.mysql.Describe()
            << (can_attach_later ? " only until the daemon answers there (writes, \\retry and \\skip need it)"
                                 : " only (writes, \\retry and \\skip need the daemon's console socket)")
            << std::endl;
  auto local = std::make_unique<SlaveConsole>(config, nullptr, nullptr);
  if (!can_attach_later) return RunForeground(config.console, *local, logger) == 0 ? 0 : 1;
  FallbackConsole console(config.console_socket, std::move(local));
  return RunForeground(config.console, console, logger) == 0 ? 0 : 1;
}

// Prepares this node's MySQL as a slave's (--rejoin: a former master's)
// and reads its position. The MySQL may be down at start: waited for (status
// says so) rather than exit, like the applier does later. An exit status
// when main is to end instead: a refusal, another failure, a stop signal.
std::optional<int> WaitForPosition(const ddb::SlaveConfig& config, spdlog::logger& logger,
                                   ddb::StoredPosition* position) {
  using namespace ddb;
  bool rejoin = config.rejoin;
  for (auto delay = std::chrono::milliseconds(200);;
       delay = std::min(delay * 2, std::chrono::milliseconds(5000))) {
    std::unique_ptr<MySqlConnection> bootstrap;
    Status s = MySqlConnection::Open(config.mysql, &bootstrap);
    std::string rejoined;
    if (s.ok()) s = PrepareSlaveRole(*bootstrap, rejoin, &rejoined);
    if (s.ok() && !rejoined.empty()) {
      logger.warn("{}", rejoined);
      rejoin = false;  // done: a retry below finds a slave's MySQL
    }
    if (s.ok()) s = LoadPosition(*bootstrap, position);
    if (s.ok()) s = CheckNoOtherApplier(*bootstrap);
    if (s.code() == Status::Code::kRefused) return Fail(s.message());
    if (s.ok()) {
      // Not fatal: replay stops with the server's error only if such a
      // statement comes, and the operator may fix the setting meanwhile.
      if (const std::string refusal = HashedPasswordRefusal(*bootstrap); !refusal.empty()) {
        logger.warn("{}: {}", config.mysql.Describe(), refusal);
      }
      return std::nullopt;
    }
    if (!IsConnectionLost(s))
      return Fail("preparing ddb_meta on " + config.mysql.Describe() + ": " + s.ToString());
    logger.warn("cannot reach this slave's MySQL at {}: {}; retrying", config.mysql.Describe(), s.ToString());
    if (StopRequestedWithin(delay)) return 0;
  }
}

// What the link knows of the cluster at start, and how it stores what it
// learns: a connection of its own per change (rare: joining, a new epoch).
ddb::Membership MembershipOf(const ddb::SlaveConfig& config, const ddb::StoredPosition& position,
                             ddb::SlaveStatusBoard& status, std::shared_ptr<spdlog::logger> logger) {
  using namespace ddb;
  Membership membership;
  membership.cluster_id = position.cluster_id;
  membership.epochs = position.epochs;
  membership.remember_cluster = [&config](const std::string& cluster_id) {
    std::unique_ptr<MySqlConnection> connection;
    Status s = MySqlConnection::Open(config.mysql, &connection);
    return s.ok() ? StoreClusterId(*connection, cluster_id) : s;
  };
  membership.remember_epochs = [&config](const EpochHistory& epochs) {
    std::unique_ptr<MySqlConnection> connection;
    Status s = MySqlConnection::Open(config.mysql, &connection);
    return s.ok() ? StoreEpochHistory(*connection, epochs) : s;
  };
  // A switchover: the master stopped writes at #last_seq, which this slave
  // applied; it becomes the master (epoch + 1 from #last_seq + 1) at once.
  membership.take_over = [&config, &status, logger](const HandOver& hand_over) {
    if (config.master_config.empty()) {
      return Status::Refused(config.node_name + " has no master_config (" + config.config_path +
                             "): it cannot run as the master");
    }
    const uint64_t applied = status.Snapshot().applied_seq;
    if (applied != hand_over.last_seq) {
      return Status::Refused(config.node_name + " applied #" + std::to_string(applied) +
                             ", not the master's last #" + std::to_string(hand_over.last_seq));
    }
    logger->warn(
        "switchover: the master handed over at #{}; this daemon becomes ddb-master --config {} --promote",
        hand_over.last_seq, config.master_config);
    logger->flush();
    std::cout << "switchover: " << config.node_name << " becomes the master now" << std::endl;
    return BecomeMaster(config);
  };
  return membership;
}

// \promote: once the other nodes agree, this process becomes ddb-master
// at once, from the console's thread (role_change.h: as on kill -9, which
// the applier survives, and the ports and locks are free for the master).
ddb::PromoteRequest PromoterOf(const ddb::SlaveConfig& config, const ddb::SlaveStatusBoard& status,
                               std::shared_ptr<spdlog::logger> logger) {
  using namespace ddb;
  return [&config, &status, logger](bool force, std::ostream& out) {
    const SlaveStatusSnapshot now = status.Snapshot();
    if (Status s = CheckPeersForPromotion(config, now.applied_seq, now.epoch, force, out); !s.ok()) return s;
    logger->warn("promoted at the console: this daemon becomes ddb-master --config {} --promote",
                 config.master_config);
    logger->flush();
    out << "OK: this daemon becomes the master now" << std::endl;
    return BecomeMaster(config);  // returns only when it failed
  };
}

// SIGHUP: log_level, max_lag_seconds and reads_without_master_seconds change
// live; the rest at restart.
std::unique_ptr<ddb::ConfigReloader> MakeSlaveReloader(int argc, char** argv, const ddb::SlaveConfig& config,
                                                       ddb::Logging& logging,
                                                       ddb::SlaveHttpContext& http_context,
                                                       std::shared_ptr<spdlog::logger> logger) {
  using namespace ddb;
  auto fresh = std::make_shared<SlaveConfig>();
  return std::make_unique<ConfigReloader>(
      config.settings,
      [argc, argv, fresh](KeySettings* settings) {
        *fresh = SlaveConfig();
        const ParseResult reparsed = LoadSlaveConfig(argc, argv, fresh.get());
        if (!reparsed.status.ok()) return reparsed.status;
        *settings = fresh->settings;
        return Status::Ok();
      },
      [&logging, &http_context, fresh](const std::string& key) -> KeyApplied {
        if (key == "log_level") logging.SetLevel(fresh->logging.log_level);
        if (key == "max_lag_seconds") http_context.max_lag_seconds = fresh->max_lag_seconds;
        if (key == "reads_without_master_seconds") {
          http_context.reads_without_master_seconds = fresh->reads_without_master_seconds;
        }
        return {};
      },
      logger);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ddb;
  BlockStopSignals();

  SlaveConfig config;
  const ParseResult parsed = LoadSlaveConfig(argc, argv, &config);
  const DaemonCommands commands{
      .program = "ddb-slave",
      .check = [&] { return RunSlaveCheck(config, parsed, std::cout); },
      .init_title = "ddb slave configuration, written by ddb-slave --init-config.",
      .init_fresh_secrets = {"cluster_secret"},
      .init_written =
          "(a fresh cluster_secret: replace it with the master's unless given with --cluster_secret)",
      .init_ready =
          [&config] {
            return config.node_name.empty()
                       ? Status::InvalidArgument(
                             "--init-config needs --node_name (the name the master knows it by)")
                       : Status::Ok();
          },
  };
  if (const std::optional<int> done =
          RunConfigCommands(commands, parsed, config.commands, config.settings, std::cout))
    return *done;

  std::unique_ptr<Logging> logging;
  if (Status s = Logging::Open(config.logging, &logging); !s.ok())
    return Fail(config.config_path + ": " + s.message());
  auto logger = logging->For(config.node_name);

  if (config.promote) {
    const Status promoted = RunPromote(config, std::cout);  // returns only when it did not happen
    return Fail(promoted.message());
  }
  if (config.seed || !config.seed_from.empty()) {
    const Status seeded = RunSeed(config, std::cout, isatty(STDOUT_FILENO) != 0);
    return seeded.ok() ? 0 : Fail(seeded.message());
  }

  if (!config.attach) {
    for (const std::string& warning : SlaveSecurityWarnings(config)) logger->warn("{}", warning);
  }
  // TLS on the link (the master's certificate checked) and on HTTPS.
  std::shared_ptr<ssl::context> link_tls, http_tls;
  if (!config.attach && LinkUsesTls(config)) {
    if (Status s = MakeTlsClientContext(config.config_path, config.tls.files, &link_tls); !s.ok()) {
      return Fail(s.message());
    }
  }
  // The peers' /health certificates, checked before they count for a
  // promotion (auto_failover; \promote builds its own).
  std::shared_ptr<ssl::context> peer_tls;
  if (!config.attach && config.auto_failover) {
    if (Status s = MakePeerTlsContext(config.config_path, config.tls.files, &peer_tls); !s.ok())
      return Fail(s.message());
  }
  if (!config.attach && !config.tls.files.cert_file.empty()) {
    if (Status s = MakeTlsServerContext(config.config_path, config.tls.files, false, &http_tls); !s.ok()) {
      return Fail(s.message());
    }
  }

  if (config.attach) return RunAttached(config, *logger);

  StoredPosition position;
  if (const std::optional<int> done = WaitForPosition(config, *logger, &position)) return *done;

  SlaveStatusBoard status;
  status.SetClusterId(position.cluster_id);
  status.SetApplied(position.seq, position.master_committed_at_micros, 0);
  // Before the link and applier start: a port clash ends the daemon at once.
  SlaveHttpContext http_context{config.node_name, status, config.max_lag_seconds,
                                config.reads_without_master_seconds, config.auto_failover};
  std::unique_ptr<HttpServer> http;
  if (config.http.port != 0) {
    HttpServerOptions http_options;
    http_options.address = config.http.address;
    http_options.port = config.http.port;
    http_options.tls = http_tls;
    http = std::make_unique<HttpServer>(http_options, logging->For("http"));
    AddSlaveRoutes(*http, http_context);
    AddSlaveSnapshotRoute(*http, config.node_name, config.cluster_secret, config.mysql,
                          logging->For("snapshot"));
    if (Status s = http->Start(); !s.ok()) return Fail(s.message());
    logger->info("health and metrics at {}://{}:{}/health", http_tls ? "https" : "http", config.http.address,
                 http->port());
  }
  ApplyQueue queue(config.queue_records);
  Applier applier(config.mysql, queue, status, config.apply_batch_records, config.log_retention_seconds,
                  position, logging->For("applier"));

  QueryWorker queries(config.mysql, config.query_sessions);
  queries.Start();
  asio::io_context io;
  // Where this node's MySQL endpoint is when it is the master: a client
  // that dials it now is told which node is (not_master_endpoint.h).
  std::unique_ptr<NotMasterEndpoint> not_master;
  if (config.client_port != 0) {
    not_master = std::make_unique<NotMasterEndpoint>(
        io,
        [&config, &status] {
          const std::optional<EpochStart> epoch = status.Snapshot().epoch;
          return NotMasterMessage(config.node_name, epoch ? epoch->node : "", config.node_client_addresses);
        },
        logging->For("endpoint"));
    if (Status s = not_master->Listen(config.client_address, static_cast<uint16_t>(config.client_port));
        !s.ok()) {
      return Fail(s.message());  // ~QueryWorker stops `queries`
    }
    not_master->Start();
  }
  MasterLink link(io, config, queue, status, queries, MembershipOf(config, position, status, logger),
                  position.seq, logging->For("link"), link_tls);
  applier.SetProgressListener([&link](uint64_t seq) { link.Applied(seq); });
  const PromoteRequest promoter = PromoterOf(config, status, logger);
  // Before the link and applier start, like the HTTP port: a socket taken by
  // another daemon ends this one at once.
  std::unique_ptr<ConsoleServer> consoles;
  if (!config.console_socket.empty()) {
    consoles = std::make_unique<ConsoleServer>(
        io, config, status, applier, config.forward_writes ? &link : nullptr, logging->For("console"));
    consoles->set_promoter(promoter);
    if (Status s = consoles->Start(); !s.ok()) return Fail(s.message());
  }
  IoThread io_thread(io);
  std::unique_ptr<AutoFailover> auto_failover;
  // From here every way out of main stops what runs, in this order. Attached
  // consoles end first: a statement they run may wait for the link.
  ScopedStop shutdown([&] {
    if (http) http->Stop();
    if (consoles) consoles->Stop();
    if (not_master) not_master->Stop();
    if (auto_failover) auto_failover->Stop();
    link.Stop();
    applier.Stop();
    queries.Stop();
    io_thread.Stop();
  });
  applier.Start();
  link.Start();
  io_thread.Start();
  if (config.auto_failover) {
    auto_failover = std::make_unique<AutoFailover>(config, status, logging->For("failover"), peer_tls);
    auto_failover->Start();
  }
  logger->info("slave '{}' started at #{}, master {}:{} ({})", config.node_name, position.seq,
               config.master_host, config.master_port, link_tls ? "TLS" : "plain TCP");

  std::unique_ptr<WriteForwarder> forwarder;
  if (config.forward_writes) {
    forwarder =
        std::make_unique<WriteForwarder>(link, status, std::chrono::milliseconds(config.forward_wait_ms),
                                         ConsoleServer::kDaemonConsoleSession);
  }
  const std::unique_ptr<ConfigReloader> reloader =
      MakeSlaveReloader(argc, argv, config, *logging, http_context, logger);
  SlaveConsole console(config, &status, &applier, forwarder.get());
  console.set_promoter(promoter);
  const int failures = RunForeground(config.console, console, *logger, [&reloader] { reloader->Reload(); });

  shutdown.Run();
  logger->info("slave stopped");
  return failures == 0 ? 0 : 1;
}
