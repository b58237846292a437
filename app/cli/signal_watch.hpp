// Models the wall-clock side of a run: a Boost.Asio signal_set on its own thread turns SIGINT
// and SIGTERM into a stop request, so the run ends at the next check and still writes results.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace shardsim::app {

class SignalWatch {
 public:
  explicit SignalWatch(std::function<void()> on_signal);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;
  bool fired() const { return fired_.load(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

}  // namespace shardsim::app
