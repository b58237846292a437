// Models fiber stacks: a pool of fixed-size stacks for actor fibers, plus the AddressSanitizer
// fiber-switch annotations. Boost.Context switches stacks behind ASan's back; telling ASan at
// every switch (and unpoisoning recycled stacks) keeps the sanitizer build free of false reports.
#pragma once

#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <memory>
#include <vector>

namespace shardsim::core {

struct StackBounds {
  const void* bottom = nullptr;
  std::size_t size = 0;
};

class StackPool {
 public:
  explicit StackPool(std::size_t stack_bytes) : stack_bytes_(stack_bytes) {}
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& sctx);
  StackBounds last_allocated() const { return last_; }

 private:
  std::size_t stack_bytes_;
  std::vector<void*> free_;
  StackBounds last_;
};

// The StackAllocator concept Boost.Fiber expects; copies share one pool, which lives as long as
// the last fiber that uses it.
class PooledStackAllocator {
 public:
  explicit PooledStackAllocator(std::shared_ptr<StackPool> pool) : pool_(std::move(pool)) {}
  boost::context::stack_context allocate() { return pool_->allocate(); }
  void deallocate(boost::context::stack_context& sctx) { pool_->deallocate(sctx); }

 private:
  std::shared_ptr<StackPool> pool_;
};

// ASan fiber-switch annotations; no-ops in builds without AddressSanitizer.
void* asan_start_switch(const StackBounds& to);  // returns the fake-stack handle
void asan_finish_switch(void* fake_stack, StackBounds* from);

}  // namespace shardsim::core
