// WriterPreferringMutex: a shared mutex whose waiting exclusive owner goes
// before shared owners that arrive after it.
//
// std::shared_mutex is glibc's default rwlock, which prefers readers: while
// shared owners keep overlapping, an exclusive one waits however long that
// lasts. The replication log's DDL barrier is shared by every commit window
// and taken exclusively by each DDL, so under many writers a DDL (an ALTER
// of a table nobody writes) waited seconds for a moment with no commit in
// flight. Here a waiting exclusive owner holds back new shared owners, so it
// waits for the commits already in their window and no longer.
//
// Not recursive: a thread that holds it shared must not take it shared
// again (a waiting exclusive owner would deadlock them both). Meets the
// SharedMutex requirements std::unique_lock and std::shared_lock need.
#pragma once

#include <pthread.h>

namespace ddb {

class WriterPreferringMutex {
 public:
  WriterPreferringMutex();
  ~WriterPreferringMutex();
  WriterPreferringMutex(const WriterPreferringMutex&) = delete;
  WriterPreferringMutex& operator=(const WriterPreferringMutex&) = delete;

  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  bool try_lock_shared();
  void unlock_shared();

 private:
  pthread_rwlock_t lock_;
};

}  // namespace ddb
