// The progress line: `\r` + text + clear-to-end-of-line on stderr, throttled.
#include "app/cli/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace shardsim::app {

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled), start_(Clock::now()), last_draw_(start_) {}

ProgressLine::~ProgressLine() { clear(); }

bool ProgressLine::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

double ProgressLine::elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

void ProgressLine::update(const std::string& text) {
  if (!enabled_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto now = Clock::now();
  if (now - start_ < std::chrono::seconds(2)) return;
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  drawn_ = true;
  std::cerr << "\r" << text << "\x1b[K" << std::flush;
}

void ProgressLine::update_run(std::int64_t now_us, std::int64_t end_us, std::uint64_t events) {
  if (!enabled_) return;
  const double wall = elapsed_seconds();
  const double fraction = end_us > 0 ? static_cast<double>(now_us) / static_cast<double>(end_us) : 0.0;
  char buf[160];
  std::snprintf(buf, sizeof buf, "sim %5.1f%%  %.0f events/s  ETA %s", 100.0 * fraction,
                wall > 0 ? static_cast<double>(events) / wall : 0.0,
                fraction > 0 ? format_eta(wall * (1.0 - fraction) / fraction).c_str() : "?");
  update(buf);
}

void ProgressLine::update_replicas(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const double wall = elapsed_seconds();
  char buf[160];
  std::snprintf(buf, sizeof buf, "replicas %llu/%llu  ETA %s", static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total),
                done > 0 ? format_eta(wall * static_cast<double>(total - done) / static_cast<double>(done)).c_str()
                         : "?");
  update(buf);
}

void ProgressLine::clear() {
  if (!enabled_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!drawn_) return;
  std::cerr << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

std::string format_eta(double seconds) {
  if (seconds < 0) seconds = 0;
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%llds", s);
  }
  return buf;
}

}  // namespace shardsim::app
