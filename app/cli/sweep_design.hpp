// Models how a sweep lays out its points beyond a list of values: `range:LO..HI` parameters
// sampled by Latin hypercube or plain random sampling (deterministic from a seed through
// core::Rng), numbers with their units (`2s`, `10 slots`, `20%`), and whether a parameter's
// values lie on a numeric axis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim::app {

// A number as a topology writes it: `12`, `2.5s`, `10 slots`, `20%`, `-1.5`, `100k` (a count
// suffix k, M or B scales the number: `100k` is 100000 with no unit).
struct Quantity {
  double value = 0;
  std::string unit;  // the text after the number, as written (` slots`, `s`, `%`, or empty)
  int decimals = 0;  // digits written after the point
};
std::optional<Quantity> parse_quantity(std::string_view text);

// `LO..HI`, both in one unit (or the unit on HI only: `10..40 slots`), LO <= HI.
struct Range {
  Quantity lo, hi;
};
// Throws ParamError naming `--param PATH=range:TEXT`.
Range parse_range(const std::string& path, const std::string& text);

// The value at u in [0,1): LO + u (HI - LO), with as many decimals as the more precise bound
// (`2s..20s` gives whole seconds, `2.0s..20.0s` tenths), followed by the unit (a duration's
// unit with no space: `2 s..20 s` gives `11s`).
std::string range_value(const Range& range, double u);

enum class SampleMethod : std::uint8_t { lhs, random };
struct SampleSpec {
  SampleMethod method = SampleMethod::lhs;
  std::uint64_t n = 0;
};
// `lhs:N` or `random:N` (N >= 1); throws ParamError.
SampleSpec parse_sample(const std::string& text);

// design[i][k] in [0,1): sample i's coordinate in dimension k, a pure function of the arguments.
// lhs: in every dimension each of the n strata [j/n, (j+1)/n) holds exactly one sample;
// random: independent uniforms. Samples come sorted by their first coordinate.
std::vector<std::vector<double>> unit_design(SampleMethod method, std::uint64_t n, std::size_t dims, std::uint64_t seed);

// A parameter's values placed on an axis: numeric when every value is a number in one common
// unit (`2s,8s,20s`), or every value a duration (`500ms,2s,1m`: in seconds); else a category.
struct Axis {
  bool numeric = false;
  std::string unit;            // trimmed: `s`, `slots`, `%`, or empty
  std::vector<double> values;  // one per value when numeric
};
Axis numeric_axis(const std::vector<std::string>& values);

}  // namespace shardsim::app
