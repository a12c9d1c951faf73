#include "ddb/daemon/metrics.h"

#include <cmath>
#include <cstdio>

namespace ddb {
namespace {

std::string EscapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // %.17g round-trips a double; integers print without a fraction.
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

}  // namespace

void MetricsText::Gauge(const std::string& name, const std::string& help, double value,
                        const MetricLabels& labels) {
  Add(name, "gauge", help, value, labels);
}

void MetricsText::Counter(const std::string& name, const std::string& help, double value,
                          const MetricLabels& labels) {
  Add(name, "counter", help, value, labels);
}

void MetricsText::Add(const std::string& name, const std::string& type, const std::string& help, double value,
                      const MetricLabels& labels) {
  auto [it, inserted] = families_.try_emplace(name, Family{type, help, {}});
  if (inserted) order_.push_back(name);
  std::string sample = name;
  if (!labels.empty()) {
    sample += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i) sample += ',';
      sample += labels[i].first + "=\"" + EscapeLabel(labels[i].second) + "\"";
    }
    sample += '}';
  }
  it->second.samples.push_back(sample + " " + FormatValue(value));
}

std::string MetricsText::Render() const {
  std::string out;
  for (const std::string& name : order_) {
    const Family& family = families_.at(name);
    out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + " " + family.type + "\n";
    for (const std::string& sample : family.samples) out += sample + "\n";
  }
  return out;
}

}  // namespace ddb
