#include "sysbench_report.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <stdexcept>

#include "report.h"

namespace ddb::bench {
namespace {

int SweepRunCount(const std::vector<SweepSample>& samples) {
  int runs = 0;
  for (const auto& s : samples) runs = std::max(runs, s.run + 1);
  return runs;
}

// The sample of one (run, test, threads, setup), or nullptr if that run
// never got there (a later failure cut it short).
const SysbenchResult* FindSample(const std::vector<SweepSample>& samples, int run, const std::string& test,
                                 int threads, const std::string& setup) {
  for (const auto& s : samples) {
    if (s.run == run && s.test == test && s.threads == threads && s.setup == setup) return &s.result;
  }
  return nullptr;
}

using SampleField = std::function<double(const SysbenchResult&)>;

double SweepMedian(const std::vector<SweepSample>& samples, const std::string& test, int threads,
                   const std::string& setup, const SampleField& field) {
  std::vector<double> values;
  for (int run = 0; run < SweepRunCount(samples); ++run) {
    if (const SysbenchResult* r = FindSample(samples, run, test, threads, setup)) values.push_back(field(*r));
  }
  return Median(values);
}

// numerator's tps ÷ denominator's in run `run`; 0 when either is missing.
double RunRatio(const std::vector<SweepSample>& samples, int run, const std::string& test, int threads,
                const std::string& numerator, const std::string& denominator) {
  const SysbenchResult* n = FindSample(samples, run, test, threads, numerator);
  const SysbenchResult* d = FindSample(samples, run, test, threads, denominator);
  return n && d && d->tps > 0 ? n->tps / d->tps : 0;
}

double SweepMedianRatio(const std::vector<SweepSample>& samples, const std::string& test, int threads,
                        const std::string& numerator, const std::string& denominator) {
  std::vector<double> ratios;
  for (int run = 0; run < SweepRunCount(samples); ++run) {
    const double ratio = RunRatio(samples, run, test, threads, numerator, denominator);
    if (ratio > 0) ratios.push_back(ratio);
  }
  return Median(ratios);
}

// The ddb setups, each compared with native and with plain.
std::vector<const SweepSetup*> DdbSetups(const std::vector<SweepSetup>& setups) {
  std::vector<const SweepSetup*> out;
  for (const auto& s : setups) {
    if (s.ddb_slaves > 0) out.push_back(&s);
  }
  return out;
}

std::string RatioHeadings(const std::vector<const SweepSetup*>& ddbs, const std::string& separator) {
  std::string out;
  for (const SweepSetup* d : ddbs) out += separator + d->key + " / native" + separator + d->key + " / plain";
  return out;
}

std::filesystem::path RunsPath(const std::filesystem::path& path) {
  return path.parent_path() / (path.stem().string() + "-runs" + path.extension().string());
}

}  // namespace

void WriteSweepMarkdown(const SweepOptions& options, const std::vector<SweepSample>& samples,
                        std::ostream& out) {
  const auto setups = SweepSetups(options);
  const auto ddbs = DdbSetups(setups);
  const int runs = SweepRunCount(samples);
  for (const std::string& test : options.tests) {
    out << "\n### sysbench " << test << " (" << options.seconds << " s per step, " << options.tables.tables
        << " tables of " << options.tables.table_size << " rows, --db-ps-mode=disable; " << runs
        << " run(s), medians; ratios: median of each run's ratio)\n\n| threads";
    for (const auto& s : setups) out << " | " << s.label << " tps";
    out << RatioHeadings(ddbs, " | ") << " |\n|---:";
    for (size_t i = 0; i < setups.size() + 2 * ddbs.size(); ++i) out << "|---:";
    out << "|\n";
    for (int threads : options.threads) {
      out << "| " << threads;
      for (const auto& s : setups) {
        out << " | " << Fixed(SweepMedian(samples, test, threads, s.key, [](auto& r) { return r.tps; }), 1);
      }
      for (const SweepSetup* d : ddbs) {
        out << " | " << Fixed(SweepMedianRatio(samples, test, threads, d->key, "native"), 2) << " | "
            << Fixed(SweepMedianRatio(samples, test, threads, d->key, "plain"), 2);
      }
      out << " |\n";
    }

    out << "\np95 latency (ms, median), errors (retried deadlocks, all runs) and replicas equal (every "
           "run):\n\n"
           "| threads";
    for (const auto& s : setups) out << " | " << s.key << " p95";
    for (const auto& s : setups) out << " | " << s.key << " errors";
    out << " | replicas equal |\n|---:";
    for (size_t i = 0; i < 2 * setups.size() + 1; ++i) out << "|---:";
    out << "|\n";
    for (int threads : options.threads) {
      out << "| " << threads;
      for (const auto& s : setups) {
        out << " | "
            << Fixed(SweepMedian(samples, test, threads, s.key, [](auto& r) { return r.p95_ms; }), 2);
      }
      bool equal = true;
      for (const auto& s : setups) {
        long errors = 0;
        for (const auto& sample : samples) {
          if (sample.test == test && sample.threads == threads && sample.setup == s.key) {
            errors += sample.result.errors;
            equal = equal && sample.result.replicas_equal;
          }
        }
        out << " | " << errors;
      }
      out << " | " << (equal ? "yes" : "**NO**") << " |\n";
    }

    out << "\nPer run (tps; ratios within the run):\n\n| run | threads";
    for (const auto& s : setups) out << " | " << s.key;
    out << RatioHeadings(ddbs, " | ") << " |\n|---:|---:";
    for (size_t i = 0; i < setups.size() + 2 * ddbs.size(); ++i) out << "|---:";
    out << "|\n";
    for (int run = 0; run < runs; ++run) {
      for (int threads : options.threads) {
        out << "| " << run + 1 << " | " << threads;
        for (const auto& s : setups) {
          const SysbenchResult* r = FindSample(samples, run, test, threads, s.key);
          out << " | " << (r ? Fixed(r->tps, 1) : "");
        }
        for (const SweepSetup* d : ddbs) {
          out << " | " << Fixed(RunRatio(samples, run, test, threads, d->key, "native"), 2) << " | "
              << Fixed(RunRatio(samples, run, test, threads, d->key, "plain"), 2);
        }
        out << " |\n";
      }
    }
  }
}

void WriteSweepCsv(const SweepOptions& options, const std::vector<SweepSample>& samples,
                   const std::filesystem::path& path) {
  const auto setups = SweepSetups(options);
  const auto ddbs = DdbSetups(setups);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream medians(path);
  // Column names are what bench/plot_sweep.gp looks up: <key>_tps and
  // <ddb key>_over_native / _over_plain.
  medians << "test,threads";
  for (const auto& s : setups) medians << "," << s.key << "_tps";
  for (const auto& s : setups) medians << "," << s.key << "_p95_ms";
  for (const SweepSetup* d : ddbs) medians << "," << d->key << "_over_native," << d->key << "_over_plain";
  medians << "\n";
  for (const std::string& test : options.tests) {
    for (int threads : options.threads) {
      medians << test << "," << threads;
      for (const auto& s : setups) {
        medians << "," << Fixed(SweepMedian(samples, test, threads, s.key, [](auto& r) { return r.tps; }), 2);
      }
      for (const auto& s : setups) {
        medians << ","
                << Fixed(SweepMedian(samples, test, threads, s.key, [](auto& r) { return r.p95_ms; }), 2);
      }
      for (const SweepSetup* d : ddbs) {
        medians << "," << Fixed(SweepMedianRatio(samples, test, threads, d->key, "native"), 3) << ","
                << Fixed(SweepMedianRatio(samples, test, threads, d->key, "plain"), 3);
      }
      medians << "\n";
    }
  }
  std::ofstream each(RunsPath(path));
  each << "run,test,threads,setup,tps,p95_ms,errors,replicas_equal\n";
  for (const auto& s : samples) {
    each << s.run + 1 << "," << s.test << "," << s.threads << "," << s.setup << "," << Fixed(s.result.tps, 2)
         << "," << Fixed(s.result.p95_ms, 2) << "," << s.result.errors << ","
         << (s.result.replicas_equal ? 1 : 0) << "\n";
  }
  if (!medians || !each) throw std::runtime_error("cannot write " + path.string() + " or its -runs file");
}

}  // namespace ddb::bench
