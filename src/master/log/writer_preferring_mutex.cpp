#include "writer_preferring_mutex.h"

#include <system_error>

namespace ddb {
namespace {

void Check(int error, const char* what) {
  if (error != 0) throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

WriterPreferringMutex::WriterPreferringMutex() {
  pthread_rwlockattr_t attributes;
  Check(pthread_rwlockattr_init(&attributes), "pthread_rwlockattr_init");
  // glibc's writer preference; it holds only for a lock no thread takes
  // shared twice (see the header).
  Check(pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP),
        "pthread_rwlockattr_setkind_np");
  Check(pthread_rwlock_init(&lock_, &attributes), "pthread_rwlock_init");
  pthread_rwlockattr_destroy(&attributes);
}

WriterPreferringMutex::~WriterPreferringMutex() { pthread_rwlock_destroy(&lock_); }

void WriterPreferringMutex::lock() { Check(pthread_rwlock_wrlock(&lock_), "pthread_rwlock_wrlock"); }

bool WriterPreferringMutex::try_lock() { return pthread_rwlock_trywrlock(&lock_) == 0; }

void WriterPreferringMutex::unlock() { pthread_rwlock_unlock(&lock_); }

void WriterPreferringMutex::lock_shared() { Check(pthread_rwlock_rdlock(&lock_), "pthread_rwlock_rdlock"); }

bool WriterPreferringMutex::try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }

void WriterPreferringMutex::unlock_shared() { pthread_rwlock_unlock(&lock_); }

}  // namespace ddb
