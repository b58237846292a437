// Models message latency: validation, floors, means and sampling of each latency kind.
#include "core/latency.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace shardsim::core {
namespace {

constexpr Duration kFloorMin = Duration::us(1);
constexpr int kNormalRejectionTriesMax = 64;
// Largest double we convert to microseconds; well inside int64 (about 292,000 years).
constexpr double kDrawUsMax = 9.0e18;

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("LatencySpec: " + message);
}

void require_non_negative(Duration d, const char* field) {
  if (d < Duration::us(0)) fail(std::string(field) + " must be >= 0, got " + d.str());
}

void require_finite_non_negative(double x, const char* field) {
  if (!std::isfinite(x) || x < 0) fail(std::string(field) + " must be finite and >= 0");
}

// Rounds a draw in microseconds to a Duration, clamped to [0, kDrawUsMax]; callers then
// raise it to the floor.
Duration round_to_duration(double us) {
  if (!(us > 0)) return Duration::us(0);
  return Duration::us(std::llround(std::min(us, kDrawUsMax)));
}

void validate_kind_fields(const LatencySpec& spec) {
  switch (spec.kind) {
    case LatencyKind::constant:
      require_non_negative(spec.value, "constant: value");
      return;
    case LatencyKind::uniform:
      require_non_negative(spec.low, "uniform: low");
      if (spec.low > spec.high) {
        fail("uniform: low must be <= high, got low " + spec.low.str() + " high " +
             spec.high.str());
      }
      return;
    case LatencyKind::lognormal:
      if (spec.median <= Duration::us(0)) fail("lognormal: median must be > 0");
      require_finite_non_negative(spec.sigma, "lognormal: sigma");
      return;
    case LatencyKind::normal:
      require_non_negative(spec.mean, "normal: mean");
      require_non_negative(spec.stddev, "normal: stddev");
      return;
    case LatencyKind::empirical:
      if (spec.table.empty()) fail("empirical: table must not be empty");
      for (const EmpiricalPoint& point : spec.table) {
        require_non_negative(point.value, "empirical: table value");
        if (!std::isfinite(point.weight) || point.weight <= 0) {
          fail("empirical: table weight must be finite and > 0");
        }
      }
      return;
  }
  fail("unknown latency kind " + std::to_string(static_cast<int>(spec.kind)));
}

void validate(const LatencySpec& spec) {
  validate_kind_fields(spec);
  if (spec.min) require_non_negative(*spec.min, "min");
}

// E[max(X, floor)] for X uniform on the integers [low, high].
double uniform_mean_us(std::int64_t low_us, std::int64_t high_us, std::int64_t floor_us) {
  const double low = static_cast<double>(low_us);
  const double high = static_cast<double>(high_us);
  const double floor = static_cast<double>(floor_us);
  if (floor <= low) return (low + high) / 2;
  if (floor >= high) return floor;
  const double count = high - low + 1;
  const double raised_sum = (floor - low) * floor + (floor + high) * (high - floor + 1) / 2;
  return raised_sum / count;
}

}  // namespace

LatencyModel LatencyModel::from_spec(const LatencySpec& spec) {
  validate(spec);
  return LatencyModel(spec);
}

LatencyModel::LatencyModel(const LatencySpec& spec) : spec_(spec) {
  double running_weight = 0;
  for (const EmpiricalPoint& point : spec_.table) {
    running_weight += point.weight;
    cumulative_weights_.push_back(running_weight);
  }
  if (spec_.kind == LatencyKind::empirical && !std::isfinite(running_weight)) {
    fail("empirical: sum of table weights must be finite");
  }
  floor_ = compute_floor();
  mean_estimate_ = compute_mean_estimate();
}

Duration LatencyModel::compute_floor() const {
  Duration kind_floor = kFloorMin;
  switch (spec_.kind) {
    case LatencyKind::constant: kind_floor = spec_.value; break;
    case LatencyKind::uniform: kind_floor = spec_.low; break;
    case LatencyKind::lognormal:
    case LatencyKind::normal: break;  // only spec.min (or 1us) bounds these
    case LatencyKind::empirical:
      kind_floor = std::min_element(spec_.table.begin(), spec_.table.end(),
                                    [](const auto& a, const auto& b) { return a.value < b.value; })
                       ->value;
      break;
  }
  if (spec_.min) kind_floor = std::max(kind_floor, *spec_.min);
  return std::max(kind_floor, kFloorMin);
}

Duration LatencyModel::compute_mean_estimate() const {
  double mean_us = 0;
  switch (spec_.kind) {
    case LatencyKind::constant: mean_us = static_cast<double>(spec_.value.count_us()); break;
    case LatencyKind::uniform:
      mean_us = uniform_mean_us(spec_.low.count_us(), spec_.high.count_us(), floor_.count_us());
      break;
    case LatencyKind::lognormal:
      mean_us = static_cast<double>(spec_.median.count_us()) *
                std::exp(spec_.sigma * spec_.sigma / 2);
      break;
    case LatencyKind::normal: mean_us = static_cast<double>(spec_.mean.count_us()); break;
    case LatencyKind::empirical:
      for (const EmpiricalPoint& point : spec_.table) {
        mean_us += point.weight * static_cast<double>(std::max(point.value, floor_).count_us());
      }
      mean_us /= cumulative_weights_.back();
      break;
  }
  return std::max(round_to_duration(mean_us), floor_);
}

Duration LatencyModel::sample(Rng& rng) const { return std::max(draw_unfloored(rng), floor_); }

Duration LatencyModel::draw_unfloored(Rng& rng) const {
  switch (spec_.kind) {
    case LatencyKind::constant: return spec_.value;
    case LatencyKind::uniform:
      return Duration::us(rng.uniform_int(spec_.low.count_us(), spec_.high.count_us()));
    case LatencyKind::lognormal:
      return round_to_duration(static_cast<double>(spec_.median.count_us()) *
                               rng.lognormal(0.0, spec_.sigma));
    case LatencyKind::normal: return draw_normal_truncated(rng);
    case LatencyKind::empirical: return draw_empirical(rng);
  }
  return floor_;  // unreachable: the kind was validated
}

// Rejects draws below the floor; after kNormalRejectionTriesMax misses, returns the floor.
Duration LatencyModel::draw_normal_truncated(Rng& rng) const {
  const auto mean_us = static_cast<double>(spec_.mean.count_us());
  const auto stddev_us = static_cast<double>(spec_.stddev.count_us());
  for (int attempt = 0; attempt < kNormalRejectionTriesMax; ++attempt) {
    const Duration draw = round_to_duration(rng.normal(mean_us, stddev_us));
    if (draw >= floor_) return draw;
  }
  return floor_;
}

// Picks entry i with probability weight_i / total by binary search on the running sums.
Duration LatencyModel::draw_empirical(Rng& rng) const {
  const double target = rng.uniform01() * cumulative_weights_.back();
  const auto& sums = cumulative_weights_;
  const auto index = static_cast<std::size_t>(std::upper_bound(sums.begin(), sums.end(), target) -
                                              sums.begin());
  return spec_.table[std::min(index, sums.size() - 1)].value;  // guards target rounding to total
}

LinkTable::LinkTable(std::uint32_t endpoint_count, LatencySpec default_spec)
    : endpoint_count_(endpoint_count), default_model_(LatencyModel::from_spec(default_spec)) {
  if (endpoint_count_ == 0) throw std::invalid_argument("LinkTable: endpoint_count must be > 0");
}

std::uint64_t LinkTable::pair_key(std::uint32_t from, std::uint32_t to) {
  return (static_cast<std::uint64_t>(from) << 32) | to;
}

void LinkTable::check_endpoint(std::uint32_t endpoint) const {
  if (endpoint >= endpoint_count_) {
    throw std::out_of_range("LinkTable: endpoint " + std::to_string(endpoint) +
                            " out of range (endpoint_count " + std::to_string(endpoint_count_) +
                            ")");
  }
}

void LinkTable::set_pair(std::uint32_t from, std::uint32_t to, const LatencySpec& spec) {
  check_endpoint(from);
  check_endpoint(to);
  overrides_.insert_or_assign(pair_key(from, to), LatencyModel::from_spec(spec));
}

const LatencyModel& LinkTable::get(std::uint32_t from, std::uint32_t to) const {
  check_endpoint(from);
  check_endpoint(to);
  if (overrides_.empty()) return default_model_;
  const auto it = overrides_.find(pair_key(from, to));
  return it == overrides_.end() ? default_model_ : it->second;
}

Duration LinkTable::lookahead() const {
  const std::uint64_t distinct_pairs =
      static_cast<std::uint64_t>(endpoint_count_) * (endpoint_count_ - 1);
  std::uint64_t overridden_distinct_pairs = 0;
  Duration lookahead = Duration::max();
  for (const auto& [key, model] : overrides_) {
    if ((key >> 32) == (key & 0xFFFFFFFFULL)) continue;  // from == to is local, not a link
    ++overridden_distinct_pairs;
    lookahead = std::min(lookahead, model.floor());
  }
  if (overridden_distinct_pairs < distinct_pairs || endpoint_count_ == 1) {
    lookahead = std::min(lookahead, default_model_.floor());
  }
  return lookahead;
}

}  // namespace shardsim::core
