// SIGINT/SIGTERM through Boost.Asio, on a thread that never touches simulation state except to
// request a stop.
#include "app/cli/signal_watch.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

namespace shardsim::app {

struct SignalWatch::Impl {
  boost::asio::io_context io;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
};

SignalWatch::SignalWatch(std::function<void()> on_signal) : impl_(std::make_unique<Impl>()) {
  impl_->signals.async_wait([this, cb = std::move(on_signal)](const boost::system::error_code& ec, int) {
    if (ec) return;
    fired_.store(true);
    cb();
  });
  thread_ = std::thread([this] { impl_->io.run(); });
}

SignalWatch::~SignalWatch() {
  impl_->guard.reset();
  impl_->io.stop();
  thread_.join();
}

}  // namespace shardsim::app
