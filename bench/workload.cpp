#include "workload.h"

namespace ddb::bench {
namespace {

std::string Qualified(const std::string& table) { return std::string(kDatabase) + "." + table; }

}  // namespace

std::vector<std::string> SchemaStatements() {
  // A secondary index on k so every write maintains more than the primary
  // key, as most real tables do.
  auto table = [](const char* name) {
    return "CREATE TABLE " + Qualified(name) +
           " (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(64) NOT NULL, KEY (k)) ENGINE=InnoDB";
  };
  return {std::string("CREATE DATABASE ") + kDatabase, table(kMixedTable), table(kCatchUpTable),
          "CREATE TABLE " + Qualified(kLagTable) +
              " (id BIGINT PRIMARY KEY, v VARCHAR(64) NOT NULL) ENGINE=InnoDB"};
}

MixedWrites::MixedWrites(uint64_t seed, std::string table) : engine_(seed), table_(Qualified(table)) {}

std::vector<std::string> MixedWrites::Next(int count) {
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const uint64_t roll = Below(100);
    if (live_ids_.empty() || roll < 50) {
      out.push_back(Insert());
    } else if (roll < 80) {
      out.push_back(Update());
    } else {
      out.push_back(Delete());
    }
  }
  return out;
}

std::string MixedWrites::Text(size_t length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string text;
  text.reserve(length);
  for (size_t i = 0; i < length; ++i) text += kAlphabet[Below(sizeof(kAlphabet) - 1)];
  return text;
}

std::string MixedWrites::Insert() {
  const uint64_t id = next_id_++;
  live_ids_.push_back(id);
  return "INSERT INTO " + table_ + " (id, k, v) VALUES (" + std::to_string(id) + ", " +
         std::to_string(Below(1000000)) + ", '" + Text(8 + Below(40)) + "')";
}

std::string MixedWrites::Update() {
  const uint64_t id = live_ids_[Below(live_ids_.size())];
  return "UPDATE " + table_ + " SET k = k + 1, v = '" + Text(8 + Below(40)) +
         "' WHERE id = " + std::to_string(id);
}

std::string MixedWrites::Delete() {
  // Swap-remove: order of live_ids_ does not matter, only membership.
  const size_t at = Below(live_ids_.size());
  const uint64_t id = live_ids_[at];
  live_ids_[at] = live_ids_.back();
  live_ids_.pop_back();
  return "DELETE FROM " + table_ + " WHERE id = " + std::to_string(id);
}

std::vector<std::string> LagWrites(int count) {
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(count));
  for (int i = 1; i <= count; ++i) {
    out.push_back("INSERT INTO " + Qualified(kLagTable) + " (id, v) VALUES (" + std::to_string(i) +
                  ", 'lag-" + std::to_string(i) + "')");
  }
  return out;
}

std::string AsScript(const std::vector<std::string>& statements) {
  std::string script;
  for (const auto& statement : statements) script += statement + ";\n";
  return script;
}

}  // namespace ddb::bench
