// MetricsText: builds a Prometheus text exposition (format 0.0.4) page.
//
// Samples of one metric family are grouped under a single HELP/TYPE header
// whatever order they are added in, as the format requires. Label values are
// escaped (backslash, quote, newline).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ddb {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class MetricsText {
 public:
  void Gauge(const std::string& name, const std::string& help, double value, const MetricLabels& labels = {});
  void Counter(const std::string& name, const std::string& help, double value,
               const MetricLabels& labels = {});

  std::string Render() const;

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Family {
    std::string type;
    std::string help;
    std::vector<std::string> samples;  // "name{labels} value"
  };
  void Add(const std::string& name, const std::string& type, const std::string& help, double value,
           const MetricLabels& labels);

  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
};

}  // namespace ddb
