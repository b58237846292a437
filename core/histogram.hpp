// Models a latency histogram with bounded memory: log-linear buckets (32 per power of two, so a
// bucket spans at most 1/32 of its values) that keep each bucket's count and sum. A percentile is
// the mean of the values in the bucket that holds it: exact when those values are equal (a
// constant latency), within about 3% otherwise. Counts, min and max are exact.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

namespace shardsim::core {

class Histogram {
 public:
  void add(std::int64_t value) {
    const std::uint64_t v = value < 0 ? 0 : static_cast<std::uint64_t>(value);
    const std::size_t i = index(v);
    if (i >= buckets_.size()) buckets_.resize(i + 1);
    ++buckets_[i].count;
    buckets_[i].sum += v;
    ++count_;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  std::uint64_t count() const { return count_; }
  std::int64_t min() const { return count_ == 0 ? 0 : min_; }
  std::int64_t max() const { return count_ == 0 ? 0 : max_; }
  // Nearest-rank percentile, p in (0, 100]; 0 when empty.
  std::int64_t percentile(double p) const {
    if (count_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(count_) + 0.999999999);
    rank = std::clamp<std::uint64_t>(rank, 1, count_);
    std::uint64_t seen = 0;
    for (const Bucket& b : buckets_) {
      seen += b.count;
      if (seen >= rank) return std::clamp(static_cast<std::int64_t>(b.sum / b.count), min(), max());
    }
    return max();
  }
  void merge(const Histogram& o) {
    if (o.buckets_.size() > buckets_.size()) buckets_.resize(o.buckets_.size());
    for (std::size_t i = 0; i < o.buckets_.size(); ++i) {
      buckets_[i].count += o.buckets_[i].count;
      buckets_[i].sum += o.buckets_[i].sum;
    }
    count_ += o.count_;
    min_ = std::min(min_, o.min_);
    max_ = std::max(max_, o.max_);
  }

 private:
  static constexpr int kSubBits = 5;  // 32 sub-buckets per power of two
  static std::size_t index(std::uint64_t v) {
    if (v < (2u << kSubBits)) return static_cast<std::size_t>(v);  // small values are exact
    const int msb = 63 - std::countl_zero(v);
    const int shift = msb - kSubBits;
    const std::uint64_t sub = (v >> shift) & ((1u << kSubBits) - 1);
    return (2u << kSubBits) + static_cast<std::size_t>(msb - kSubBits - 1) * (1u << kSubBits) + sub;
  }
  struct Bucket {
    std::uint64_t count = 0;
    std::uint64_t sum = 0;
  };
  std::vector<Bucket> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace shardsim::core
