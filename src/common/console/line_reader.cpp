#include "ddb/console/line_reader.h"

#include <fcntl.h>
#include <histedit.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <clocale>
#include <cstring>
#include <cwchar>

namespace ddb {
namespace {

// How many entries the history keeps (in memory and in the file).
constexpr int kHistorySize = 1000;
// The key the interrupt is delivered as. With the terminal's ISIG on (as
// libedit leaves it), a typed Ctrl-C becomes SIGINT and never arrives as a
// character; should it arrive (ISIG off), it means the same thing.
constexpr wchar_t kInterruptKey = 0x03;

// libedit's own API rather than its readline emulation: the emulation reads
// keys one byte at a time through rl_getc_function, which breaks multibyte
// input, and its line cannot be abandoned from another thread. Here keys come
// through ReadKey, which also watches a pipe that Interrupt() writes to.
class TerminalLineReader : public LineReader {
 public:
  explicit TerminalLineReader(std::string history_file) : history_file_(std::move(history_file)) {
    // Multibyte keys decode by the user's locale, as libedit's own reader does.
    std::setlocale(LC_CTYPE, "");
    if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
    history_ = history_init();
    HistEvent event;
    history(history_, &event, H_SETSIZE, kHistorySize);
    if (!history_file_.empty()) history(history_, &event, H_LOAD, history_file_.c_str());
    editor_ = el_init("ddb", stdin, stdout, stderr);
    el_set(editor_, EL_CLIENTDATA, this);
    el_set(editor_, EL_EDITOR, "emacs");
    el_set(editor_, EL_SIGNAL, 1);  // resize and Ctrl-Z are handled as readline does
    el_set(editor_, EL_HIST, history, history_);
    el_set(editor_, EL_PROMPT, &TerminalLineReader::PromptOf);
    el_set(editor_, EL_GETCFN, &TerminalLineReader::ReadKey);
    // el_wset, not el_set: the narrow EL_ADDFN copies the name and help
    // with wcsdup and never frees them (a leak libedit's own source admits);
    // the wide one keeps these static strings.
    el_wset(editor_, EL_ADDFN, L"ddb-interrupt", L"drop the line being typed",
            &TerminalLineReader::OnInterruptKey);
    el_set(editor_, EL_BIND, "^C", "ddb-interrupt", nullptr);
    el_source(editor_, nullptr);  // ~/.editrc, as the readline emulation read it
  }

  ~TerminalLineReader() override {
    HistEvent event;
    if (!history_file_.empty()) history(history_, &event, H_SAVE, history_file_.c_str());
    el_end(editor_);
    history_end(history_);
    for (int fd : wake_) {
      if (fd >= 0) close(fd);
    }
  }

  ReadStatus ReadLine(const std::string& prompt, std::string* line) override {
    DrainWakeups();
    interrupted_ = false;
    prompt_ = prompt;
    int count = 0;
    const char* raw = el_gets(editor_, &count);
    if (interrupted_) return ReadStatus::kInterrupted;
    if (raw == nullptr || count <= 0) return ReadStatus::kEnd;
    line->assign(raw, static_cast<size_t>(count));
    if (!line->empty() && line->back() == '\n') line->pop_back();
    if (line->find_first_not_of(" \t") != std::string::npos) {
      HistEvent event;
      history(history_, &event, H_ENTER, line->c_str());
    }
    return ReadStatus::kLine;
  }

  void Interrupt() override {
    const char byte = 1;
    if (wake_[1] >= 0) (void)!write(wake_[1], &byte, 1);  // a full pipe already holds a wake-up
  }

 private:
  static TerminalLineReader* Of(EditLine* editor) {
    void* self = nullptr;
    el_get(editor, EL_CLIENTDATA, &self);
    return static_cast<TerminalLineReader*>(self);
  }

  static char* PromptOf(EditLine* editor) { return Of(editor)->prompt_.data(); }

  // Bound to kInterruptKey: marks the line as abandoned, shows "^C" at its
  // end as the mysql client does, and ends it with a newline (pushed as
  // input, so libedit moves below the line before returning it).
  static unsigned char OnInterruptKey(EditLine* editor, int) {
    Of(editor)->interrupted_ = true;
    const LineInfo* info = el_line(editor);
    el_cursor(editor, static_cast<int>(info->lastchar - info->cursor));
    el_insertstr(editor, "^C");
    el_push(editor, "\n");
    return CC_REFRESH;
  }

  // libedit's key source: the next character from the terminal, or
  // kInterruptKey once Interrupt() was called. 1: a key, 0: end of input,
  // -1: error.
  static int ReadKey(EditLine* editor, wchar_t* key) {
    TerminalLineReader& self = *Of(editor);
    for (;;) {
      pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {self.wake_[0], POLLIN, 0}};
      if (poll(fds, self.wake_[0] >= 0 ? 2 : 1, -1) < 0) {
        if (errno == EINTR) continue;  // a resize: libedit's handler has run
        return -1;
      }
      if (self.wake_[0] >= 0 && (fds[1].revents & POLLIN) != 0) {
        self.DrainWakeups();
        *key = kInterruptKey;
        return 1;
      }
      if (fds[0].revents == 0) continue;
      char byte = 0;
      const ssize_t got = read(STDIN_FILENO, &byte, 1);
      if (got == 0) return 0;
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return -1;
      }
      wchar_t decoded = 0;
      const size_t used = std::mbrtowc(&decoded, &byte, 1, &self.decoding_);
      if (used == static_cast<size_t>(-2)) continue;  // the middle of a multibyte key
      if (used == static_cast<size_t>(-1)) {
        // Not a character in this locale: pass the byte on, as it came.
        self.decoding_ = std::mbstate_t{};
        decoded = static_cast<unsigned char>(byte);
      }
      *key = decoded;
      return 1;
    }
  }

  void DrainWakeups() {
    char bytes[64];
    while (wake_[0] >= 0 && read(wake_[0], bytes, sizeof bytes) > 0) {
    }
  }

  std::string history_file_;
  EditLine* editor_ = nullptr;
  History* history_ = nullptr;
  std::string prompt_;
  int wake_[2] = {-1, -1};  // Interrupt() writes to [1]; ReadKey watches [0]
  std::atomic<bool> interrupted_{false};
  std::mbstate_t decoding_{};
};

class StreamLineReader : public LineReader {
 public:
  explicit StreamLineReader(std::istream& in) : in_(in) {}

  ReadStatus ReadLine(const std::string&, std::string* line) override {
    if (!std::getline(in_, *line)) return ReadStatus::kEnd;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return ReadStatus::kLine;
  }

 private:
  std::istream& in_;
};

}  // namespace

std::unique_ptr<LineReader> MakeTerminalLineReader(const std::string& history_file) {
  return std::make_unique<TerminalLineReader>(history_file);
}

std::unique_ptr<LineReader> MakeStreamLineReader(std::istream& in) {
  return std::make_unique<StreamLineReader>(in);
}

}  // namespace ddb
