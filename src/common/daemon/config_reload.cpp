#include "ddb/daemon/config_reload.h"

#include <spdlog/spdlog.h>

#include <sstream>

#include "ddb/base/clock.h"
#include "ddb/console/result_printer.h"

namespace ddb {

std::string ReloadText(const ReloadOutcome& outcome) {
  if (!outcome.ok) return "reload failed, nothing changed: " + outcome.error;
  if (outcome.changes.empty()) return "config reloaded: nothing changed";
  QueryResult table;
  table.has_result_set = true;
  table.columns = {"key", "old", "new", "result"};
  table.numeric = {false, false, false, false};
  int restart = 0;
  for (const ReloadChange& change : outcome.changes) {
    std::string result = change.applied                         ? "applied"
                         : change.change == KeyChange::kRestart ? "needs a restart"
                                                                : "NOT applied";
    if (!change.note.empty()) result += ": " + change.note;
    restart += change.change == KeyChange::kRestart ? 1 : 0;
    table.rows.push_back({change.key, change.old_value, change.new_value, result});
  }
  std::ostringstream out;
  PrintResult(table, ResultLayout::kTable, std::chrono::nanoseconds(0), "", out);
  std::string text = out.str();
  // PrintResult ends with a "N rows in set" line: the table is what matters.
  if (const size_t border = text.rfind("+\n"); border != std::string::npos) text.erase(border + 2);
  text += "config reloaded: " + std::to_string(outcome.changes.size()) + " key(s) changed";
  if (restart > 0) text += ", " + std::to_string(restart) + " need a restart (old value in force until then)";
  return text;
}

ConfigReloader::ConfigReloader(KeySettings current, Load load, Apply apply,
                               std::shared_ptr<spdlog::logger> logger)
    : load_(std::move(load)),
      apply_(std::move(apply)),
      logger_(std::move(logger)),
      current_(std::move(current)) {}

ReloadOutcome ConfigReloader::Reload() {
  std::lock_guard<std::mutex> lock(mutex_);
  ReloadOutcome outcome;
  outcome.at_micros = NowMicros();
  KeySettings fresh;
  if (Status s = load_(&fresh); !s.ok()) {
    outcome.error = s.message();
    logger_->warn("{}", ReloadText(outcome));
    last_ = outcome;
    return outcome;
  }
  outcome.ok = true;
  for (KeySetting& now : current_) {
    const KeySetting* next = FindSetting(fresh, now.name);
    if (next == nullptr || next->value == now.value) continue;
    ReloadChange change{now.name, now.Shown(), next->Shown(), now.change, false, ""};
    if (now.change == KeyChange::kLive) {
      const KeyApplied applied = apply_(now.name);
      change.applied = applied.ok;
      change.note = applied.note;
      if (applied.ok) now = *next;
    }
    outcome.changes.push_back(std::move(change));
  }
  logger_->info("{}", ReloadText(outcome));
  last_ = outcome;
  return outcome;
}

ReloadOutcome ConfigReloader::Last() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_;
}

KeySettings ConfigReloader::Current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

}  // namespace ddb
