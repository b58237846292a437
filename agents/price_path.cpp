// Models the exogenous true-price process: GBM, correlated GBM, Merton jump diffusion and CSV
// replay on a fixed grid, then scripted set/shock moves, then pegged assets (peg x depeg ratio);
// a pure function of (seed, asset, time).
#include "agents/price_path.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "core/rng.hpp"

namespace shardsim::agents {
namespace {

constexpr double kSecondsPerYear = 365.0 * 86400.0;
// Cholesky pivots within this of zero count as zero (a semi-definite, rank-deficient matrix).
constexpr double kCholeskyTolerance = 1e-12;
// With a zero pivot d_j, PSD bounds each residual below it by sqrt(d_j * d_i) <= sqrt(tolerance).
const double kCholeskyResidualTolerance = std::sqrt(kCholeskyTolerance);

[[noreturn]] void invalid(const std::string& message) {
  throw std::invalid_argument(message);
}

std::string symbol_of(const std::vector<std::string>& symbols, std::uint32_t asset) {
  return asset < symbols.size() ? symbols[asset] : "asset index " + std::to_string(asset);
}

// K + 1 grid points for K = ceil(horizon / step).
std::size_t grid_point_count(core::Duration step, core::Duration horizon) {
  if (step <= core::Duration{}) invalid("step must be > 0, got " + step.str());
  if (horizon < core::Duration{}) invalid("horizon must be >= 0, got " + horizon.str());
  if (horizon > core::Duration::max() - step) invalid("horizon " + horizon.str() + " is too long");
  const std::int64_t steps = (horizon.count_us() + step.count_us() - 1) / step.count_us();
  return static_cast<std::size_t>(steps) + 1;
}

void check_grid_budget(std::size_t grid_points, std::size_t path_count) {
  if (path_count == 0) return;
  if (grid_points > PricePath::kMaxTotalGridPoints / path_count) {
    invalid("the price grid would hold " + std::to_string(grid_points) + " points for each of " +
            std::to_string(path_count) + " assets, more than " +
            std::to_string(PricePath::kMaxTotalGridPoints) + " in total; use a coarser step");
  }
}

double year_fraction(core::Duration step) { return step.seconds() / kSecondsPerYear; }

void check_finite(double value, const std::string& what) {
  if (!std::isfinite(value)) invalid(what + " must be finite");
}

void validate_asset_spec(const PriceAssetSpec& a, const std::vector<std::string>& symbols,
                         PriceModelKind model) {
  if (a.asset >= symbols.size()) {
    invalid("asset index " + std::to_string(a.asset) + " is out of range (" +
            std::to_string(symbols.size()) + " assets)");
  }
  const std::string& name = symbols[a.asset];
  if (model == PriceModelKind::replay) return;  // the stochastic parameters are unused
  if (!(a.initial > 0) || !std::isfinite(a.initial)) invalid(name + ": initial must be finite and > 0");
  if (!(a.vol_annual >= 0) || !std::isfinite(a.vol_annual)) invalid(name + ": vol_annual must be finite and >= 0");
  check_finite(a.drift_annual, name + ": drift_annual");
  if (model != PriceModelKind::jump_diffusion) return;
  if (!(a.jump_intensity_annual >= 0) || !std::isfinite(a.jump_intensity_annual)) {
    invalid(name + ": jump_intensity_annual must be finite and >= 0");
  }
  check_finite(a.jump_mean, name + ": jump_mean");
  if (!(a.jump_stddev >= 0) || !std::isfinite(a.jump_stddev)) invalid(name + ": jump_stddev must be finite and >= 0");
}

// Per asset index: the peg of each pegged asset (checked to have a process of its own once the
// processes are built). Every asset is configured at most once.
std::vector<std::optional<std::uint32_t>> validate_asset_specs(const PricesSpec& spec,
                                                               const std::vector<std::string>& symbols) {
  std::vector<bool> seen(symbols.size(), false);
  std::vector<std::optional<std::uint32_t>> peg_of(symbols.size());
  for (const PriceAssetSpec& a : spec.assets) {
    if (a.peg && a.asset < symbols.size()) {
      peg_of[a.asset] = a.peg;
    } else {
      validate_asset_spec(a, symbols, spec.model);
    }
    if (seen[a.asset]) invalid(symbols[a.asset] + " is configured twice");
    seen[a.asset] = true;
  }
  return peg_of;
}

// The spec without its pegged assets: the processes to generate.
PricesSpec unpegged_spec(const PricesSpec& spec) {
  PricesSpec base = spec;
  std::erase_if(base.assets, [](const PriceAssetSpec& a) { return a.peg.has_value(); });
  return base;
}

// ---- GBM ---------------------------------------------------------------------------------

// Per-step log-return = drift_per_step + vol_per_sqrt_step * Z (+ jumps).
struct StepParams {
  double drift_per_step = 0;
  double vol_per_sqrt_step = 0;
};

StepParams gbm_step_params(const PriceAssetSpec& a, double dt_years) {
  return {(a.drift_annual - 0.5 * a.vol_annual * a.vol_annual) * dt_years,
          a.vol_annual * std::sqrt(dt_years)};
}

std::vector<double> gbm_path(const PriceAssetSpec& a, const std::string& symbol, std::uint64_t seed,
                             double dt_years, std::size_t grid_points) {
  core::Rng rng = core::Rng::for_entity(seed, "price:" + symbol);
  const StepParams p = gbm_step_params(a, dt_years);
  std::vector<double> path(grid_points);
  path[0] = a.initial;
  for (std::size_t k = 1; k < grid_points; ++k) {
    const double z = rng.normal(0.0, 1.0);
    path[k] = path[k - 1] * std::exp(p.drift_per_step + p.vol_per_sqrt_step * z);
  }
  return path;
}

// ---- Merton jump diffusion ------------------------------------------------------------------

// kappa = E[e^J] - 1 for one log-jump J ~ N(mean, stddev).
double mean_jump_return(const PriceAssetSpec& a) {
  return std::exp(a.jump_mean + 0.5 * a.jump_stddev * a.jump_stddev) - 1.0;
}

// Sum of `count` log-jumps.
double log_jump_sum(core::Rng& rng, std::uint64_t count, double mean, double stddev) {
  double sum = 0;
  for (std::uint64_t i = 0; i < count; ++i) sum += rng.normal(mean, stddev);
  return sum;
}

// Per step, in stream order: Z, then N ~ Poisson(lambda dt), then N log-jumps.
std::vector<double> jump_diffusion_path(const PriceAssetSpec& a, const std::string& symbol,
                                        std::uint64_t seed, double dt_years, std::size_t grid_points) {
  core::Rng rng = core::Rng::for_entity(seed, "price:" + symbol);
  const StepParams p = gbm_step_params(a, dt_years);
  const double jumps_per_step = a.jump_intensity_annual * dt_years;
  const double compensator_per_step = a.jump_intensity_annual * mean_jump_return(a) * dt_years;
  const double drift_per_step = p.drift_per_step - compensator_per_step;
  std::vector<double> path(grid_points);
  path[0] = a.initial;
  for (std::size_t k = 1; k < grid_points; ++k) {
    const double z = rng.normal(0.0, 1.0);
    const std::uint64_t jump_count = rng.poisson(jumps_per_step);
    const double jumps = log_jump_sum(rng, jump_count, a.jump_mean, a.jump_stddev);
    path[k] = path[k - 1] * std::exp(drift_per_step + p.vol_per_sqrt_step * z + jumps);
  }
  return path;
}

// ---- Correlated GBM -------------------------------------------------------------------------

// Square matrix, row-major.
struct Matrix {
  std::size_t n = 0;
  std::vector<double> cells;
  double& at(std::size_t i, std::size_t j) { return cells[i * n + j]; }
  double at(std::size_t i, std::size_t j) const { return cells[i * n + j]; }
};

Matrix identity(std::size_t n) {
  Matrix m{n, std::vector<double>(n * n, 0.0)};
  for (std::size_t i = 0; i < n; ++i) m.at(i, i) = 1.0;
  return m;
}

// Correlation matrix over the configured assets, in PriceAssetSpec order.
Matrix correlation_matrix(const PricesSpec& spec, const std::vector<std::string>& symbols) {
  std::map<std::uint32_t, std::size_t> position_of_asset;
  for (std::size_t i = 0; i < spec.assets.size(); ++i) position_of_asset[spec.assets[i].asset] = i;
  Matrix m = identity(spec.assets.size());
  Matrix set = identity(spec.assets.size());  // 1 where a pair was given
  for (const CorrelationSpec& c : spec.correlations) {
    const std::string pair = symbol_of(symbols, c.a) + "-" + symbol_of(symbols, c.b);
    const auto a = position_of_asset.find(c.a);
    const auto b = position_of_asset.find(c.b);
    if (a == position_of_asset.end() || b == position_of_asset.end()) {
      invalid("correlation " + pair + " names an asset with no price process");
    }
    if (c.a == c.b) invalid("correlation " + pair + " pairs an asset with itself");
    if (!(c.rho >= -1.0 && c.rho <= 1.0)) invalid("correlation " + pair + " must be in [-1, 1]");
    if (set.at(a->second, b->second) != 0) invalid("correlation " + pair + " is given twice");
    set.at(a->second, b->second) = set.at(b->second, a->second) = 1;
    m.at(a->second, b->second) = m.at(b->second, a->second) = c.rho;
  }
  return m;
}

// Lower-triangular L with L L^T = m. Zero pivots (within tolerance) are allowed for
// semi-definite matrices; anything else that is not PSD throws.
Matrix cholesky_lower(const Matrix& m, const PricesSpec& spec, const std::vector<std::string>& symbols) {
  const auto not_psd = [&](std::size_t j) {
    invalid("the correlation matrix is not positive semi-definite (Cholesky fails at " +
            symbols[spec.assets[j].asset] + ")");
  };
  Matrix l{m.n, std::vector<double>(m.n * m.n, 0.0)};
  for (std::size_t j = 0; j < m.n; ++j) {
    double pivot = m.at(j, j);
    for (std::size_t k = 0; k < j; ++k) pivot -= l.at(j, k) * l.at(j, k);
    if (pivot < -kCholeskyTolerance) not_psd(j);
    const bool zero_pivot = pivot <= kCholeskyTolerance;
    l.at(j, j) = zero_pivot ? 0.0 : std::sqrt(pivot);
    for (std::size_t i = j + 1; i < m.n; ++i) {
      double residual = m.at(i, j);
      for (std::size_t k = 0; k < j; ++k) residual -= l.at(i, k) * l.at(j, k);
      if (zero_pivot && std::fabs(residual) > kCholeskyResidualTolerance) not_psd(j);
      l.at(i, j) = zero_pivot ? 0.0 : residual / l.at(j, j);
    }
  }
  return l;
}

// One joint stream; per step the independent normals are drawn in PriceAssetSpec order.
std::vector<std::vector<double>> correlated_gbm_paths(const PricesSpec& spec, const Matrix& cholesky,
                                                      std::uint64_t seed, double dt_years,
                                                      std::size_t grid_points) {
  const std::size_t n = spec.assets.size();
  core::Rng rng = core::Rng::for_entity(seed, "prices:correlated");
  std::vector<StepParams> params;
  std::vector<std::vector<double>> paths(n, std::vector<double>(grid_points));
  for (std::size_t i = 0; i < n; ++i) {
    params.push_back(gbm_step_params(spec.assets[i], dt_years));
    paths[i][0] = spec.assets[i].initial;
  }
  std::vector<double> independent(n);
  for (std::size_t k = 1; k < grid_points; ++k) {
    for (double& e : independent) e = rng.normal(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      double z = 0;
      for (std::size_t j = 0; j <= i; ++j) z += cholesky.at(i, j) * independent[j];
      paths[i][k] = paths[i][k - 1] * std::exp(params[i].drift_per_step + params[i].vol_per_sqrt_step * z);
    }
  }
  return paths;
}

// ---- Replay ---------------------------------------------------------------------------------

// Rows per asset index, in input order; unknown symbols and bad rows throw.
std::vector<std::vector<const PricePoint*>> replay_rows_by_asset(const std::vector<PricePoint>& replay,
                                                                 const std::vector<std::string>& symbols) {
  std::map<std::string, std::uint32_t, std::less<>> index_of_symbol;
  for (std::uint32_t i = 0; i < symbols.size(); ++i) index_of_symbol.emplace(symbols[i], i);
  std::vector<std::vector<const PricePoint*>> rows(symbols.size());
  for (const PricePoint& row : replay) {
    const auto it = index_of_symbol.find(row.asset);
    if (it == index_of_symbol.end()) invalid("replay asset `" + row.asset + "` is not in the topology");
    if (!(row.price > 0) || !std::isfinite(row.price)) invalid("replay price for " + row.asset + " must be finite and > 0");
    std::vector<const PricePoint*>& asset_rows = rows[it->second];
    if (!asset_rows.empty() && row.at < asset_rows.back()->at) {
      invalid("replay rows for " + row.asset + " go backwards in time at " + row.at.str());
    }
    asset_rows.push_back(&row);
  }
  return rows;
}

// At t_k: the price of the last row with time <= t_k; before the first row, the first row's.
std::vector<double> replay_path(const std::vector<const PricePoint*>& rows, core::Duration step,
                                std::size_t grid_points) {
  std::vector<double> path(grid_points);
  std::size_t current = 0;
  for (std::size_t k = 0; k < grid_points; ++k) {
    const core::SimTime t_k = core::SimTime::zero() + step * static_cast<std::int64_t>(k);
    while (current + 1 < rows.size() && rows[current + 1]->at <= t_k) ++current;
    path[k] = rows[current]->price;
  }
  return path;
}

std::size_t path_count(const PricesSpec& spec, const std::vector<std::vector<const PricePoint*>>& replay_rows) {
  if (spec.model != PriceModelKind::replay) return spec.assets.size();
  return static_cast<std::size_t>(std::count_if(replay_rows.begin(), replay_rows.end(),
                                                [](const auto& rows) { return !rows.empty(); }));
}

void validate_depeg(const Depeg& d, const std::vector<std::string>& symbols,
                    const std::vector<std::optional<std::uint32_t>>& peg_of) {
  const std::string symbol = symbol_of(symbols, d.asset);
  if (d.asset >= peg_of.size() || !peg_of[d.asset]) invalid("depeg of " + symbol + ", which is not pegged");
  if (!(d.to > 0) || !std::isfinite(d.to)) invalid("depeg of " + symbol + " at " + d.at.str() + ": to must be finite and > 0");
  if (d.over < core::Duration{}) invalid("depeg of " + symbol + " must have over >= 0");
}

// The ratio the first `count` depegs of one asset (sorted by at) give at t: the last one started
// by t moves from the ratio at its start (start_ratio) to its `to`; before the first, 1.
double depeg_ratio(const std::vector<const Depeg*>& depegs, std::size_t count, const std::vector<double>& start_ratio,
                   core::SimTime t) {
  for (std::size_t i = count; i-- > 0;) {
    const Depeg& d = *depegs[i];
    if (t < d.at) continue;
    const core::Duration elapsed = t - d.at;
    if (elapsed >= d.over) return d.to;
    const double fraction = static_cast<double>(elapsed.count_us()) / static_cast<double>(d.over.count_us());
    return start_ratio[i] + (d.to - start_ratio[i]) * fraction;
  }
  return 1.0;
}

void validate_move(const PriceMove& move, const std::string& symbol) {
  if (move.set.has_value() == move.shock.has_value()) {
    invalid("price move for " + symbol + " at " + move.at.str() + " needs exactly one of set or shock");
  }
  if (move.set && (!(*move.set > 0) || !std::isfinite(*move.set))) {
    invalid("price set for " + symbol + " at " + move.at.str() + " must be finite and > 0");
  }
  if (move.shock && (!(*move.shock > -1.0) || !std::isfinite(*move.shock))) {
    invalid("price shock for " + symbol + " at " + move.at.str() + " must be finite and > -100%");
  }
  if (move.over < core::Duration{}) invalid("price shock for " + symbol + " must have over >= 0");
}

}  // namespace

void PricePath::check(const PricesSpec& spec, const std::vector<std::string>& asset_symbols, core::Duration horizon,
                      const std::vector<PriceMove>& moves, const std::vector<PricePoint>& replay,
                      const std::vector<Depeg>& depegs) {
  const std::size_t grid_points = grid_point_count(spec.step, horizon);
  const auto peg_of = validate_asset_specs(spec, asset_symbols);
  for (const Depeg& d : depegs) validate_depeg(d, asset_symbols, peg_of);
  const PricesSpec base = unpegged_spec(spec);
  const bool replay_model = spec.model == PriceModelKind::replay;
  const auto replay_rows = replay_model ? replay_rows_by_asset(replay, asset_symbols)
                                        : std::vector<std::vector<const PricePoint*>>{};
  check_grid_budget(grid_points, path_count(base, replay_rows) + (spec.assets.size() - base.assets.size()));
  if (spec.model == PriceModelKind::correlated_gbm) {
    (void)cholesky_lower(correlation_matrix(base, asset_symbols), base, asset_symbols);
  }
  // Which assets get a process of their own, as the constructor builds them.
  std::vector<bool> own(asset_symbols.size(), false);
  for (const PriceAssetSpec& a : base.assets) {
    if (replay_model && replay_rows[a.asset].empty()) invalid("replay asset " + asset_symbols[a.asset] + " has no rows");
    own[a.asset] = true;
  }
  for (std::size_t i = 0; i < replay_rows.size(); ++i) own[i] = own[i] || !replay_rows[i].empty();
  std::vector<bool> has = own;
  for (std::uint32_t asset = 0; asset < peg_of.size(); ++asset) {
    if (!peg_of[asset]) continue;
    const std::uint32_t peg = *peg_of[asset];
    if (peg >= own.size() || !own[peg]) {
      invalid(asset_symbols[asset] + " is pegged to " + symbol_of(asset_symbols, peg) +
              ", which has no price process of its own");
    }
    has[asset] = true;
  }
  for (const PriceMove& move : moves) {
    const std::string symbol = symbol_of(asset_symbols, move.asset);
    if (move.asset >= has.size() || !has[move.asset]) invalid("price move for " + symbol + ", which has no price process");
    validate_move(move, symbol);
  }
}

PricePath::PricePath(const PricesSpec& spec, std::vector<std::string> asset_symbols, std::uint64_t seed,
                     core::Duration horizon, const std::vector<PriceMove>& moves,
                     const std::vector<PricePoint>& replay, const std::vector<Depeg>& depegs)
    : asset_symbols_(std::move(asset_symbols)),
      step_(spec.step),
      grid_points_(grid_point_count(spec.step, horizon)),
      paths_(asset_symbols_.size()) {
  peg_of_ = validate_asset_specs(spec, asset_symbols_);
  for (const Depeg& d : depegs) validate_depeg(d, asset_symbols_, peg_of_);
  const PricesSpec base = unpegged_spec(spec);  // the processes of their own
  const std::size_t pegged_count = spec.assets.size() - base.assets.size();
  const auto replay_rows = spec.model == PriceModelKind::replay
                               ? replay_rows_by_asset(replay, asset_symbols_)
                               : std::vector<std::vector<const PricePoint*>>{};
  check_grid_budget(grid_points_, path_count(base, replay_rows) + pegged_count);
  const double dt_years = year_fraction(step_);

  switch (spec.model) {
    case PriceModelKind::gbm:
      for (const PriceAssetSpec& a : base.assets) {
        paths_[a.asset] = gbm_path(a, asset_symbols_[a.asset], seed, dt_years, grid_points_);
      }
      break;
    case PriceModelKind::jump_diffusion:
      for (const PriceAssetSpec& a : base.assets) {
        paths_[a.asset] = jump_diffusion_path(a, asset_symbols_[a.asset], seed, dt_years, grid_points_);
      }
      break;
    case PriceModelKind::correlated_gbm: {
      const Matrix cholesky = cholesky_lower(correlation_matrix(base, asset_symbols_), base, asset_symbols_);
      auto paths = correlated_gbm_paths(base, cholesky, seed, dt_years, grid_points_);
      for (std::size_t i = 0; i < base.assets.size(); ++i) paths_[base.assets[i].asset] = std::move(paths[i]);
      break;
    }
    case PriceModelKind::replay:
      for (const PriceAssetSpec& a : base.assets) {
        if (replay_rows[a.asset].empty()) invalid("replay asset " + asset_symbols_[a.asset] + " has no rows");
      }
      for (std::size_t i = 0; i < replay_rows.size(); ++i) {
        if (!replay_rows[i].empty()) paths_[i] = replay_path(replay_rows[i], step_, grid_points_);
      }
      break;
  }
  apply_moves(moves, false);
  build_pegged_paths(depegs);
  apply_moves(moves, true);
}

double PricePath::price(std::uint32_t asset, core::SimTime t) const {
  if (!has(asset)) {
    throw std::out_of_range("PricePath::price: no price process for " + symbol_of(asset_symbols_, asset));
  }
  return paths_[asset][grid_index(t)];
}

std::size_t PricePath::grid_index(core::SimTime t) const {
  if (t <= core::SimTime::zero()) return 0;
  const auto k = static_cast<std::size_t>(t.count_us() / step_.count_us());
  return std::min(k, grid_points_ - 1);
}

// Sorted by (at, input order); each move acts on the path left by the ones before it. The moves
// of unpegged assets go first (a pegged asset follows its peg, crashes included), then those of
// pegged assets on top of their pegged paths.
void PricePath::apply_moves(const std::vector<PriceMove>& moves, bool pegged) {
  std::vector<std::size_t> order(moves.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return moves[x].at < moves[y].at; });
  for (const std::size_t i : order) {
    const PriceMove& move = moves[i];
    if (peg_of(move.asset).has_value() != pegged) continue;
    const std::string symbol = symbol_of(asset_symbols_, move.asset);
    if (!has(move.asset)) invalid("price move for " + symbol + ", which has no price process");
    validate_move(move, symbol);
    if (move.set) apply_set(paths_[move.asset], move.at, *move.set);
    if (move.shock) apply_shock(paths_[move.asset], move.at, *move.shock, move.over);
  }
}

// Each pegged asset: its peg's path times the ratio its depegs give at each grid time.
void PricePath::build_pegged_paths(const std::vector<Depeg>& depegs) {
  for (std::uint32_t asset = 0; asset < peg_of_.size(); ++asset) {
    if (!peg_of_[asset]) continue;
    std::vector<const Depeg*> mine;
    for (const Depeg& d : depegs) {
      if (d.asset == asset) mine.push_back(&d);
    }
    std::stable_sort(mine.begin(), mine.end(), [](const Depeg* x, const Depeg* y) { return x->at < y->at; });
    std::vector<double> start_ratio;  // per depeg: the ratio when it starts
    for (std::size_t i = 0; i < mine.size(); ++i) start_ratio.push_back(depeg_ratio(mine, i, start_ratio, mine[i]->at));
    const std::uint32_t peg_asset = *peg_of_[asset];
    if (!has(peg_asset) || peg_of(peg_asset)) {
      invalid(asset_symbols_[asset] + " is pegged to " + symbol_of(asset_symbols_, peg_asset) +
              ", which has no price process of its own");
    }
    const std::vector<double>& peg = paths_[peg_asset];
    std::vector<double>& path = paths_[asset];
    path.resize(grid_points_);
    for (std::size_t k = 0; k < grid_points_; ++k) {
      const core::SimTime t_k = core::SimTime::zero() + step_ * static_cast<std::int64_t>(k);
      path[k] = peg[k] * depeg_ratio(mine, mine.size(), start_ratio, t_k);
    }
  }
}

// From grid point floor(at / step) on (the one price(at) reads), scale so price(at) == value.
void PricePath::apply_set(std::vector<double>& path, core::SimTime at, double value) const {
  const std::size_t first = grid_index(at);
  const double factor = value / path[first];
  for (std::size_t k = first; k < path.size(); ++k) path[k] *= factor;
}

// Log-factor ln(1 + shock) * min(1, (t_k - at) / over) at grid times t_k >= at.
void PricePath::apply_shock(std::vector<double>& path, core::SimTime at, double shock,
                            core::Duration over) const {
  const double log_full = std::log1p(shock);
  const double full = 1.0 + shock;
  for (std::size_t k = 0; k < path.size(); ++k) {
    const core::SimTime t_k = core::SimTime::zero() + step_ * static_cast<std::int64_t>(k);
    if (t_k < at) continue;
    const core::Duration elapsed = t_k - at;
    if (elapsed >= over) {
      path[k] *= full;
    } else {
      const double fraction = static_cast<double>(elapsed.count_us()) / static_cast<double>(over.count_us());
      path[k] *= std::exp(log_full * fraction);
    }
  }
}

}  // namespace shardsim::agents
