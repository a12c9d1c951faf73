#include "ddb/daemon/config_parser.h"

#include <filesystem>
#include <sstream>

namespace ddb {
namespace {

// CLI11 names options "--key"; in a config file users wrote "key".
std::string KeyNamesFromFlags(std::string message) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    if (message.compare(i, 2, "--") == 0 && (i == 0 || message[i - 1] == ' ' || message[i - 1] == '[')) {
      size_t end = i + 2;
      while (end < message.size() &&
             (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '_')) {
        ++end;
      }
      out += "key '" + message.substr(i + 2, end - i - 2) + "'";
      i = end - 1;
    } else {
      out += message[i];
    }
  }
  return out;
}

}  // namespace

void AddConfigFileOption(CLI::App& app, const std::string& default_path, std::string* config_path) {
  *config_path = default_path;
  app.set_config("--config", default_path, "Config file (every key may also be given as a flag)",
                 /*config_required=*/true);
  app.allow_config_extras(CLI::config_extras_mode::error);
}

ParseResult ParseArguments(CLI::App& app, int argc, const char* const argv[],
                           const std::string& default_path) {
  ParseResult result;
  // Read the --config value first so errors can name the file actually used.
  std::string config_path = default_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) config_path = argv[i + 1];
    if (arg.rfind("--config=", 0) == 0) config_path = arg.substr(9);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.exit_now = true;
    result.output = app.help();
  } catch (const CLI::CallForAllHelp&) {
    result.exit_now = true;
    result.output = app.help("", CLI::AppFormatMode::All);
  } catch (const CLI::ConfigError& e) {
    std::string what = e.what();
    const std::string extras = "INI was not able to parse ";
    if (what.rfind(extras, 0) == 0) {
      what = "unknown key '" + what.substr(extras.size()) + "'";
    }
    result.status = Status::InvalidArgument(config_path + ": " + KeyNamesFromFlags(what));
  } catch (const CLI::FileError& e) {
    result.status =
        Status::InvalidArgument(config_path + ": cannot read config file (" + std::string(e.what()) + ")");
  } catch (const CLI::ParseError& e) {
    result.status = Status::InvalidArgument(config_path + ": " + KeyNamesFromFlags(e.what()));
  }
  return result;
}

Status ConfigKeyError(const std::string& config_path, const std::string& key, const std::string& what) {
  return Status::InvalidArgument(config_path + ": key '" + key + "': " + what);
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const auto begin = item.find_first_not_of(" \t");
    const auto end = item.find_last_not_of(" \t");
    if (begin == std::string::npos) continue;
    items.push_back(item.substr(begin, end - begin + 1));
  }
  return items;
}

}  // namespace ddb
