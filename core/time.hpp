// Models virtual time: strong signed 64-bit microsecond types for instants (SimTime) and spans
// (Duration), with parsing and printing of unit-suffixed text such as `12s`, `250ms`, `1.5h`.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace shardsim::core {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration us(std::int64_t v) { return Duration{v}; }
  static constexpr Duration ms(std::int64_t v) { return Duration{v * 1'000}; }
  static constexpr Duration s(std::int64_t v) { return Duration{v * 1'000'000}; }
  static constexpr Duration min(std::int64_t v) { return Duration{v * 60'000'000}; }
  static constexpr Duration h(std::int64_t v) { return Duration{v * 3'600'000'000}; }
  static constexpr Duration d(std::int64_t v) { return Duration{v * 86'400'000'000}; }
  static constexpr Duration max() { return Duration{std::numeric_limits<std::int64_t>::max()}; }

  constexpr std::int64_t count_us() const { return us_; }
  constexpr double seconds() const { return static_cast<double>(us_) / 1e6; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration{us_ + o.us_}; }
  constexpr Duration operator-(Duration o) const { return Duration{us_ - o.us_}; }
  constexpr Duration operator-() const { return Duration{-us_}; }
  constexpr Duration operator*(std::int64_t k) const { return Duration{us_ * k}; }
  constexpr Duration operator/(std::int64_t k) const { return Duration{us_ / k}; }
  constexpr std::int64_t operator/(Duration o) const { return us_ / o.us_; }
  constexpr Duration operator%(Duration o) const { return Duration{us_ % o.us_}; }
  constexpr Duration& operator+=(Duration o) { us_ += o.us_; return *this; }
  constexpr Duration& operator-=(Duration o) { us_ -= o.us_; return *this; }

  // Parses `800us`, `250ms`, `12s`, `5m`, `1.5h`, `1d`, and sums such as `6h10m`. A leading
  // `-` is allowed. Returns nothing on malformed text or a fraction finer than 1us.
  static std::optional<Duration> parse(std::string_view text);
  // Prints in the largest unit that is exact to 3 decimals: 5400s -> `1.5h`, 250000us -> `250ms`.
  std::string str() const;

 private:
  constexpr explicit Duration(std::int64_t v) : us_(v) {}
  std::int64_t us_ = 0;
};

class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime from_us(std::int64_t v) { return SimTime{v}; }
  static constexpr SimTime zero() { return SimTime{0}; }
  static constexpr SimTime max() { return SimTime{std::numeric_limits<std::int64_t>::max()}; }

  constexpr std::int64_t count_us() const { return us_; }
  constexpr double seconds() const { return static_cast<double>(us_) / 1e6; }
  constexpr Duration since_start() const { return Duration::us(us_); }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(Duration d) const { return SimTime{us_ + d.count_us()}; }
  constexpr SimTime operator-(Duration d) const { return SimTime{us_ - d.count_us()}; }
  constexpr Duration operator-(SimTime o) const { return Duration::us(us_ - o.us_); }
  constexpr SimTime& operator+=(Duration d) { us_ += d.count_us(); return *this; }

  // A time is written as the span since the start of the run: `6h10m`, `1s`.
  static std::optional<SimTime> parse(std::string_view text);
  std::string str() const { return since_start().str(); }

 private:
  constexpr explicit SimTime(std::int64_t v) : us_(v) {}
  std::int64_t us_ = 0;
};

}  // namespace shardsim::core
