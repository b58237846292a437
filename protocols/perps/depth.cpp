// Perps finite depth: in a market with `vamm_depth`, what the book does not fill trades against
// a virtual AMM (protocols/api/vamm.hpp) whose price moves with every trade. Re-peg rule: whenever
// the market's index (oracle) price differs from the one it was last pegged at, the vAMM is
// pegged afresh at the index with its configured depth (quote = depth, base = depth / index), the
// oracle update being the arbitrage that brings the perp back to the index. So a trade's impact
// lasts until the next oracle update (deviation threshold or heartbeat) and trades in between
// walk the curve. The re-peg is applied lazily by the first trade after the update, and at every
// block.
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {

std::optional<VammState> Perps::vamm_now(const ShardContext& ctx, std::size_t m) const {
  const MarketConfig& mk = config_.markets[m];
  if (mk.vamm_depth_wad <= 0) return std::nullopt;
  const auto index = ctx.oracle_price_wad(mk.index);
  if (!index || *index <= 0) return std::nullopt;
  const MarketBook& b = books_[m];
  if (b.vamm_index_wad == *index) return b.vamm;
  return vamm_pegged(*index, mk.vamm_depth_wad);
}

void Perps::repeg_if_due(const ShardContext& ctx, std::size_t m) {
  const MarketConfig& mk = config_.markets[m];
  if (mk.vamm_depth_wad <= 0) return;
  const auto index = ctx.oracle_price_wad(mk.index);
  MarketBook& b = books_[m];
  if (!index || *index <= 0 || b.vamm_index_wad == *index) return;
  b.vamm = vamm_pegged(*index, mk.vamm_depth_wad);
  b.vamm_index_wad = *index;
  ++b.vamm_repegs;
}

i128 Perps::vamm_depth_wad(std::size_t market) const {
  return market < config_.markets.size() ? config_.markets[market].vamm_depth_wad : 0;
}

std::optional<PerpsVamm> Perps::vamm(const ShardContext& ctx, std::size_t market) const {
  if (market >= config_.markets.size()) return std::nullopt;
  const auto state = vamm_now(ctx, market);
  if (!state) return std::nullopt;
  const MarketBook& b = books_[market];
  const i128 index = *ctx.oracle_price_wad(config_.markets[market].index);
  return PerpsVamm{*state, index, b.vamm_repegs + (b.vamm_index_wad == index ? 0 : 1)};
}

}  // namespace shardsim::protocols::perps
