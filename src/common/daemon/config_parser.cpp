#include "ddb/daemon/config_parser.h"

#include <fstream>
#include <map>
#include <memory>
#include <set>
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

// The key a CLI11 error is about: the first "--name" it mentions that is an
// option of `app`, or "" when it names none.
std::string KeyOfError(const CLI::App& app, const std::string& message) {
  for (size_t at = message.find("--"); at != std::string::npos; at = message.find("--", at + 2)) {
    size_t end = at + 2;
    while (end < message.size() &&
           (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '_')) {
      ++end;
    }
    const std::string name = message.substr(at + 2, end - at - 2);
    if (!name.empty() && app.get_option_no_throw("--" + name) != nullptr) return name;
  }
  return "";
}

// CLI11's INI reader, leaving out keys already reported as bad, so the rest
// of the file can still be parsed and checked.
class SkippingConfig : public CLI::ConfigTOML {
 public:
  explicit SkippingConfig(const std::set<std::string>* skipped) : skipped_(skipped) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    std::vector<CLI::ConfigItem> items = CLI::ConfigTOML::from_config(input);
    std::erase_if(items, [this](const CLI::ConfigItem& item) { return skipped_->count(item.name) > 0; });
    return items;
  }

 private:
  const std::set<std::string>* skipped_;
};

std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// A key set twice is one problem, named with both lines, and set aside
// (CLI11 would only say it got two values).
void SetAsideKeysSetTwice(const std::string& path, ConfigProblems* problems, std::set<std::string>* skipped) {
  std::map<std::string, int> first;
  for (const auto& [key, line] : KeyLines(path)) {
    if (const auto [at, added] = first.emplace(key, line); !added && skipped->insert(key).second) {
      problems->Add(key, "set twice (lines " + std::to_string(at->second) + " and " + std::to_string(line) +
                             "); keep one");
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, int>> KeyLines(const std::string& path) {
  std::vector<std::pair<std::string, int>> keys;
  std::ifstream in(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string text = Trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';' || text[0] == '[') continue;
    if (const size_t equals = text.find('='); equals != std::string::npos) {
      keys.emplace_back(Trim(text.substr(0, equals)), number);
    }
  }
  return keys;
}

void ConfigProblems::Add(const std::string& key, const std::string& what) {
  problems_.push_back({key, file_ + ": key '" + key + "': " + what});
}

void ConfigProblems::AddLine(const std::string& key, std::string message) {
  problems_.push_back({key, std::move(message)});
}

bool ConfigProblems::Has(const std::string& key) const {
  for (const ConfigProblem& problem : problems_) {
    if (problem.key == key) return true;
  }
  return false;
}

Status ConfigProblems::ToStatus() const {
  if (problems_.empty()) return Status::Ok();
  std::string text;
  for (const ConfigProblem& problem : problems_) text += (text.empty() ? "" : "\n") + problem.message;
  return Status::InvalidArgument(text);
}

void AddConfigFileOption(CLI::App& app, const std::string& default_path, std::string* config_path,
                         bool required) {
  *config_path = required ? default_path : "";
  app.set_config("--config", required ? default_path : "",
                 "Config file (every key may also be given as a flag)", required);
  app.allow_config_extras(CLI::config_extras_mode::error);
}

std::string ConfigPathIn(const std::vector<std::string>& args, const std::string& default_path) {
  std::string path = default_path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) path = args[i + 1];
    if (args[i].rfind("--config=", 0) == 0) path = args[i].substr(9);
  }
  return path;
}

bool ParseArguments(CLI::App& app, const std::vector<std::string>& args, ConfigProblems* problems,
                    ParseResult* result) {
  std::set<std::string> skipped;
  app.config_formatter(std::make_shared<SkippingConfig>(&skipped));
  const std::string& path = problems->file();
  SetAsideKeysSetTwice(path, problems, &skipped);
  // Each round either parses or sets one more bad key aside; a key that
  // fails again once set aside came from the command line: stop there.
  for (;;) {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    std::string failed_key, message;
    try {
      app.parse(reversed);
      result->read = true;
      return true;
    } catch (const CLI::CallForHelp&) {
      result->exit_now = true;
      result->output = app.help();
      return false;
    } catch (const CLI::CallForAllHelp&) {
      result->exit_now = true;
      result->output = app.help("", CLI::AppFormatMode::All);
      return false;
    } catch (const CLI::ConfigError& e) {
      const std::string what = e.what();
      const std::string extras = "INI was not able to parse ";
      const std::string not_configurable = ": This option is not allowed in a configuration file";
      if (what.rfind(extras, 0) == 0) {
        failed_key = what.substr(extras.size());
        message = path + ": unknown key '" + failed_key + "'";
      } else if (const size_t at = what.find(not_configurable); at != std::string::npos) {
        failed_key = what.substr(0, at);
        message = path + ": key '" + failed_key + "' is a command-line flag, not a config file key";
      } else {
        failed_key = KeyOfError(app, what);
        message = path + ": " + KeyNamesFromFlags(what);
      }
    } catch (const CLI::FileError& e) {
      problems->AddLine("", path + ": cannot read config file (" + std::string(e.what()) + ")");
      return false;
    } catch (const CLI::ParseError& e) {
      failed_key = KeyOfError(app, e.what());
      message = path + ": " + KeyNamesFromFlags(e.what());
    }
    // Set aside already: it came from the command line, and is reported.
    if (skipped.count(failed_key) > 0) return false;
    problems->AddLine(failed_key, message);
    if (failed_key.empty()) return false;
    skipped.insert(failed_key);
  }
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
