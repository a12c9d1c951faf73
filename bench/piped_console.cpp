#include "piped_console.h"

#include <fstream>
#include <stdexcept>

namespace ddb::bench {
namespace {

using namespace std::chrono_literals;

// How often the output is looked at while waiting for a marker. Small
// against the seconds a feed takes; reading a 2 KiB tail costs microseconds.
constexpr auto kMarkerPoll = 1ms;

}  // namespace

PipedConsole::PipedConsole(std::vector<std::string> argv, std::filesystem::path output)
    : output_(std::move(output)),
      process_(std::make_unique<testing::ChildProcess>(std::move(argv), output_,
                                                       testing::ChildProcess::StdinMode::kPipe)) {}

PipedConsole::~PipedConsole() {
  // A writer blocked on a full pipe ends when the process dies and the pipe
  // breaks, so kill first, then join.
  if (writer_.joinable()) process_->Kill9();
  JoinWriter();
}

void PipedConsole::JoinWriter() {
  if (writer_.joinable()) writer_.join();
}

std::string PipedConsole::NextMarker() {
  marker_ = "bench-marker-" + std::to_string(++markers_) + "-done";
  return "SELECT '" + marker_ + "' AS marker;\n";
}

void PipedConsole::StartWriter(std::string text) {
  JoinWriter();
  writer_started_ = Clock::now();
  testing::ChildProcess* process = process_.get();
  writer_ = std::thread([process, text = std::move(text)] { process->WriteStdin(text); });
}

void PipedConsole::StartPacedWriter(const std::vector<std::string>& statements, double per_second) {
  JoinWriter();
  const std::string marker = NextMarker();
  writer_started_ = Clock::now();
  testing::ChildProcess* process = process_.get();
  const Clock::time_point start = writer_started_;
  writer_ = std::thread([process, statements, per_second, start, marker] {
    const auto interval = std::chrono::duration<double>(1.0 / per_second);
    for (size_t i = 0; i < statements.size(); ++i) {
      std::this_thread::sleep_until(start +
                                    std::chrono::duration_cast<Clock::duration>(interval * double(i)));
      if (!process->WriteStdin(statements[i] + ";\n")) return;
    }
    process->WriteStdin(marker);
  });
}

Clock::time_point PipedConsole::RunScript(const std::string& script, std::chrono::milliseconds deadline,
                                          Clock::time_point* started) {
  StartWriter(script + NextMarker());
  if (started) *started = writer_started_;
  return WaitForMarker(deadline);
}

Clock::time_point PipedConsole::WaitForMarker(std::chrono::milliseconds deadline) {
  const auto give_up = writer_started_ + deadline;
  for (;;) {
    // The tail holds the marker's value once printed: both consoles print a
    // short result after it and nothing more until the next input.
    if (OutputTail().find(marker_) != std::string::npos) {
      const auto printed = Clock::now();
      JoinWriter();
      return printed;
    }
    if (!process_->Running() || Clock::now() > give_up) {
      const bool running = process_->Running();
      if (running) process_->Kill9();  // ends a writer blocked on a full pipe
      JoinWriter();
      throw std::runtime_error(std::string("console ") +
                               (running ? "did not finish in time" : "exited early") +
                               "; output ends with:\n" + OutputTail());
    }
    std::this_thread::sleep_for(kMarkerPoll);
  }
}

std::string PipedConsole::OutputTail(size_t bytes) const {
  std::ifstream in(output_, std::ios::binary | std::ios::ate);
  if (!in) return "";
  const std::streamoff size = in.tellg();
  const std::streamoff from =
      size > static_cast<std::streamoff>(bytes) ? size - static_cast<std::streamoff>(bytes) : 0;
  in.seekg(from);
  std::string tail(static_cast<size_t>(size - from), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  return tail;
}

bool PipedConsole::CloseAndWait(std::chrono::milliseconds grace) {
  JoinWriter();
  process_->CloseStdin();
  return process_->WaitForExit(grace);
}

}  // namespace ddb::bench
