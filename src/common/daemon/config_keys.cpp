#include "ddb/daemon/config_keys.h"

#include <algorithm>
#include <cstdlib>

#include "ddb/daemon/config_parser.h"

namespace ddb {
namespace {

constexpr const char* kLiveGroup =
    "Config keys a reload applies while the daemon runs (SIGHUP; at the master also \\reload and POST "
    "/api/reload)";
constexpr const char* kRestartGroup = "Config keys read at start";
constexpr const char* kMask = "********";

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// True when `args` sets `name` itself ("--name value" or "--name=value").
bool GivenAsFlag(const std::vector<std::string>& args, const std::string& name) {
  const std::string flag = "--" + name;
  return std::any_of(args.begin(), args.end(),
                     [&](const std::string& arg) { return arg == flag || arg.rfind(flag + "=", 0) == 0; });
}

// A Markdown table cell: no line breaks, '|' escaped.
std::string Cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string ConfigKey::name() const { return option->get_single_name(); }

std::string KeySetting::Shown() const {
  switch (secrecy) {
    case KeySecrecy::kPlain: return value;
    case KeySecrecy::kSecret: return value.empty() ? "" : kMask;
    case KeySecrecy::kUserPasswords: {
      std::vector<std::string> users;
      for (const std::string& entry : SplitList(value))
        users.push_back(entry.substr(0, entry.find(':')) + ":" + kMask);
      return Join(users);
    }
  }
  return kMask;
}

CLI::Option* ConfigKeys::Add(CLI::Option* option, KeyChange change, KeySecrecy secrecy) {
  option->group(change == KeyChange::kLive ? kLiveGroup : kRestartGroup);
  if (secrecy == KeySecrecy::kPlain) option->capture_default_str();
  if (option->get_default_str() == "[]") option->default_str("");  // an empty list: shown as nothing
  option->envname(EnvironmentName(option->get_single_name()));
  keys_.push_back({option, change, secrecy});
  return option;
}

KeySettings ConfigKeys::Settings(const std::vector<std::string>& args, const std::string& config_path) const {
  KeySettings settings;
  for (const ConfigKey& key : keys_) {
    KeySetting setting;
    setting.name = key.name();
    setting.change = key.change;
    setting.secrecy = key.secrecy;
    const CLI::Option& option = *key.option;
    setting.help = option.get_description();
    setting.fallback = option.get_default_str();
    if (option.count() == 0) {
      setting.value = option.get_default_str();
      setting.source = "default";
    } else {
      setting.value = Join(option.results());
      const int line = LineOfKey(config_path, setting.name);
      if (GivenAsFlag(args, setting.name)) {
        setting.source = "flag";
      } else if (line > 0) {
        setting.source = config_path + ":" + std::to_string(line);
      } else if (std::getenv(option.get_envname().c_str()) != nullptr) {
        setting.source = "environment (" + option.get_envname() + ")";
      } else {
        setting.source = config_path;
      }
    }
    settings.push_back(std::move(setting));
  }
  return settings;
}

std::string ConfigKeys::MarkdownTable() const {
  std::string out = "| key | default | change | what it does |\n|---|---|---|---|\n";
  for (const ConfigKey& key : keys_) {
    const std::string fallback = key.option->get_default_str();
    out += "| `" + key.name() + "` | " + (fallback.empty() ? "" : "`" + Cell(fallback) + "`") + " | " +
           KeyChangeName(key.change) + " | " + Cell(key.option->get_description()) + " |\n";
  }
  return out;
}

const char* KeyChangeName(KeyChange change) { return change == KeyChange::kLive ? "live" : "restart"; }

std::string EnvironmentName(const std::string& key) {
  std::string name = "DDB_";
  for (char c : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

void OverrideSetting(KeySettings* settings, const std::string& name, const std::string& value) {
  for (KeySetting& setting : *settings) {
    if (setting.name == name) setting.value = value;
  }
}

const KeySetting* FindSetting(const KeySettings& settings, const std::string& name) {
  for (const KeySetting& setting : settings) {
    if (setting.name == name) return &setting;
  }
  return nullptr;
}

std::string PrintSettings(const KeySettings& settings) {
  // Sources line up, except after a value too long to wait for.
  constexpr size_t kMaxWidth = 48;
  size_t width = 0;
  for (const KeySetting& setting : settings) {
    const size_t used = setting.name.size() + 3 + setting.Shown().size();
    if (used <= kMaxWidth) width = std::max(width, used);
  }
  std::string out;
  for (const KeySetting& setting : settings) {
    std::string line = setting.name + " = " + setting.Shown();
    line.resize(std::max(line.size(), width), ' ');
    out += line + "  # " + setting.source + "\n";
  }
  return out;
}

int LineOfKey(const std::string& path, const std::string& key) {
  // The first: CLI11 takes a key's first value.
  for (const auto& [name, line] : KeyLines(path)) {
    if (name == key) return line;
  }
  return 0;
}

}  // namespace ddb
