// Fiber stack pool and AddressSanitizer switch annotations.
#include "core/fiber_stack.hpp"

#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define SHARDSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHARDSIM_ASAN 1
#endif
#endif

#ifdef SHARDSIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace shardsim::core {

StackPool::~StackPool() {
  for (void* p : free_) std::free(p);
}

boost::context::stack_context StackPool::allocate() {
  void* base;
  if (free_.empty()) {
    base = std::malloc(stack_bytes_);
    if (base == nullptr) throw std::bad_alloc();
  } else {
    base = free_.back();
    free_.pop_back();
  }
#ifdef SHARDSIM_ASAN
  ASAN_UNPOISON_MEMORY_REGION(base, stack_bytes_);  // frames of an earlier fiber left redzones
#endif
  boost::context::stack_context sctx;
  sctx.size = stack_bytes_;
  sctx.sp = static_cast<char*>(base) + stack_bytes_;
  last_ = StackBounds{base, stack_bytes_};
  return sctx;
}

void StackPool::deallocate(boost::context::stack_context& sctx) {
  void* base = static_cast<char*>(sctx.sp) - sctx.size;
#ifdef SHARDSIM_ASAN
  ASAN_UNPOISON_MEMORY_REGION(base, sctx.size);
#endif
  free_.push_back(base);
}

#ifdef SHARDSIM_ASAN
void* asan_start_switch(const StackBounds& to) {
  void* fake = nullptr;
  __sanitizer_start_switch_fiber(&fake, to.bottom, to.size);
  return fake;
}
void asan_finish_switch(void* fake_stack, StackBounds* from) {
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
  if (from != nullptr) *from = StackBounds{bottom, size};
}
#else
void* asan_start_switch(const StackBounds&) { return nullptr; }
void asan_finish_switch(void*, StackBounds*) {}
#endif

}  // namespace shardsim::core
