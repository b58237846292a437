// Models the progress line of a long command on a terminal: one line on stderr, rewritten in
// place, shown only when stderr is a terminal, the command was not asked to be quiet, and the
// command has run for about 2 s of wall time. Wall time is read here for display only; nothing
// it shows reaches a result file.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace shardsim::app {

class ProgressLine {
 public:
  // `enabled`: false prints nothing ever (quiet, or stderr is not a terminal).
  explicit ProgressLine(bool enabled);
  ~ProgressLine();  // clears the line if one was drawn
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // True when stderr is a terminal.
  static bool stderr_is_terminal();
  double elapsed_seconds() const;
  // Draws `text` if enabled, at least 2 s have passed, and the line was not drawn in the last
  // 250 ms. Thread-safe.
  void update(const std::string& text);
  // `run`: simulated time done, events per wall second and the wall time left.
  void update_run(std::int64_t now_us, std::int64_t end_us, std::uint64_t events);
  // `compare` / `sweep`: replicas done of total and the wall time left.
  void update_replicas(std::uint64_t done, std::uint64_t total);
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
  std::mutex mutex_;
};

// "1m05s" style duration of wall seconds, for ETA displays.
std::string format_eta(double seconds);

}  // namespace shardsim::app
