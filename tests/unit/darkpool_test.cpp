// Tests the dark pool (protocols/darkpool) on a real shard ledger: a worked example of crosses at
// the oracle mid (exact quote to the unit, time priority, the limit price, partial fills), expiry
// returning escrow, the maker's Poisson contra flow, conservation of every asset; and the
// loader's `darkpool` params with their one-line errors.
#include <gtest/gtest.h>

#include "app/topology/topology_loader.hpp"
#include "protocols/api/hedge_venue.hpp"
#include "protocols/darkpool/darkpool.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim {
namespace {

namespace dp = protocols::darkpool;
using protocols::TxArg;

struct DarkRig {
  testing::ProtocolRig rig{{{"USDC", 6}, {"ETH", 18}}};
  std::unique_ptr<dp::DarkPool> pool;
  explicit DarkRig(dp::Params p = {}) {
    p.underlying = rig.asset("ETH");
    p.quote = rig.asset("USDC");
    pool = std::make_unique<dp::DarkPool>(p, "dark", rig.account("pool:dark"));
    rig.set_price("ETH", 2000);
    rig.set_price("USDC", 1);
  }
  protocols::OpResult op(const std::string& who, const std::string& name, std::vector<TxArg> args) {
    return rig.apply(*pool, who, name, args);
  }
  protocols::i128 out(const protocols::OpResult& r, const std::string& key) {
    const protocols::TxOutput* o = protocols::find_output(r.outputs, key);
    return o == nullptr ? -1 : o->raw;
  }
};

TEST(DarkPool, CrossesAtTheOracleMidAgainstRestingContraOrders) {
  DarkRig d;
  d.rig.fund("mm", "ETH", "100");
  d.rig.fund("mm", "USDC", "1000000");
  d.rig.fund("b", "USDC", "50000");
  d.rig.fund("b", "ETH", "10");
  ASSERT_TRUE(d.op("mm", "post", {{"side", "sell"}, {"qty", "4"}}).ok);
  ASSERT_TRUE(d.op("mm", "post", {{"side", "sell"}, {"qty", "6"}}).ok);
  ASSERT_TRUE(d.op("mm", "post", {{"side", "buy"}, {"qty", "5"}, {"budget", "9000"}}).ok);
  EXPECT_EQ(d.rig.balance("mm", "ETH"), d.rig.amount("ETH", "90"));
  // Nothing crosses beyond the limit.
  EXPECT_EQ(d.op("b", "cross", {{"side", "buy"}, {"qty", "1"}, {"limit_price", "1999.99"}}).reason, "mid beyond the limit price");
  // A buy of 15 takes both sell orders (10 ETH) at 2000 and returns the rest: 20,000 USDC exactly.
  const protocols::OpResult r = d.op("b", "cross", {{"side", "buy"}, {"qty", "15"}, {"limit_price", "2100"}});
  ASSERT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(d.out(r, "filled"), d.rig.amount("ETH", "10").raw());
  EXPECT_EQ(d.out(r, "quote"), d.rig.amount("USDC", "20000").raw());
  EXPECT_EQ(d.rig.balance("b", "ETH"), d.rig.amount("ETH", "20"));
  EXPECT_EQ(d.rig.balance("b", "USDC"), d.rig.amount("USDC", "30000"));
  EXPECT_EQ(d.rig.balance("mm", "USDC"), d.rig.amount("USDC", "1011000"));  // 1M - 9,000 escrow + 20,000
  EXPECT_EQ(d.op("b", "cross", {{"side", "buy"}, {"qty", "1"}}).reason, "no contra liquidity");
  // A sell of 7 meets the buy order, whose 9,000 USDC buy 4.5 ETH at 2000: a partial fill.
  const protocols::OpResult s = d.op("b", "cross", {{"side", "sell"}, {"qty", "7"}, {"limit_price", "1900"}});
  ASSERT_TRUE(s.ok) << s.reason;
  EXPECT_EQ(d.out(s, "filled"), d.rig.amount("ETH", "4.5").raw());
  EXPECT_EQ(d.out(s, "quote"), d.rig.amount("USDC", "9000").raw());
  EXPECT_EQ(d.rig.balance("b", "ETH"), d.rig.amount("ETH", "15.5"));
  EXPECT_EQ(d.rig.balance("mm", "ETH"), d.rig.amount("ETH", "94.5"));
  d.rig.expect_conserved();
}

TEST(DarkPool, UnfilledOrdersExpireAndTheirEscrowGoesBack) {
  dp::Params p;
  p.ttl = core::Duration::min(5);
  DarkRig d(p);
  d.rig.fund("mm", "ETH", "3");
  ASSERT_TRUE(d.op("mm", "post", {{"side", "sell"}, {"qty", "3"}}).ok);
  EXPECT_EQ(d.rig.balance("mm", "ETH"), core::Amount{});
  d.rig.advance(core::Duration::min(4), *d.pool);
  EXPECT_EQ(d.rig.balance("mm", "ETH"), core::Amount{});
  d.rig.advance(core::Duration::min(2), *d.pool);
  EXPECT_EQ(d.rig.balance("mm", "ETH"), d.rig.amount("ETH", "3"));
  EXPECT_EQ(d.rig.balance("pool:dark", "ETH"), core::Amount{});
  d.rig.expect_conserved();
}

TEST(DarkPool, TheMakersPoissonFlowRestsEscrowedContraOrders) {
  dp::Params p;
  p.maker = "mm";
  p.contra_every = core::Duration::min(1);
  p.contra_size = core::Amount::units(2 * protocols::kWadUnit);
  p.ttl = core::Duration::min(3);
  DarkRig d(p);
  d.rig.fund("mm", "ETH", "1000");
  d.rig.fund("mm", "USDC", "10000000");
  for (int i = 0; i < 1800; ++i) d.rig.advance(core::Duration::s(2), *d.pool);  // one hour
  const nlohmann::ordered_json st = d.pool->state(*d.rig.host);
  const auto posted = st.at("posted").get<std::uint64_t>();
  EXPECT_GT(posted, 40u);   // ~60 expected in an hour
  EXPECT_LT(posted, 85u);
  EXPECT_EQ(st.at("expired").get<std::uint64_t>() + st.at("orders").size(), posted);
  // Everything not resting is back with the maker, to the unit.
  protocols::i128 resting_eth = 0;
  for (const auto& o : st.at("orders")) {
    if (o.at("side") == "sell") resting_eth += d.rig.amount("ETH", o.at("qty").get<std::string>()).raw();
  }
  EXPECT_EQ(d.rig.balance("pool:dark", "ETH").raw(), resting_eth);
  EXPECT_EQ(d.rig.balance("mm", "ETH").raw() + resting_eth, d.rig.amount("ETH", "1000").raw());
  d.rig.expect_conserved();
}

TEST(DarkPool, ItsHedgeVenueBuildsACrossAndReadsTheFillExactly) {
  DarkRig d;
  const protocols::HedgeVenues venues = d.pool->hedge_venues(*d.rig.host);
  ASSERT_EQ(venues.size(), 1u);
  const protocols::HedgeVenue& v = *venues[0];
  EXPECT_TRUE(v.market().dark);
  EXPECT_EQ(v.market().instrument, "dark.ETH");
  const protocols::HedgeOrder o{3 * protocols::kWadUnit, 2000 * protocols::kWadUnit, protocols::kWadUnit / 100};
  const protocols::HedgeCall c = v.call(o);
  EXPECT_EQ(c.op, "cross");
  EXPECT_EQ(c.value, d.rig.amount("USDC", "6060"));  // 3 at the 1% limit, 2020
  const std::optional<protocols::HedgeFill> f =
      v.fill(o, {{"filled", 2 * protocols::kWadUnit, 18}, {"quote", 4'000'000'000, 6}, {"mid", 2000 * protocols::kWadUnit, 18}});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->qty_wad, 2 * protocols::kWadUnit);
  EXPECT_EQ(f->quote_spent, d.rig.amount("USDC", "4000"));
  EXPECT_EQ(f->avg_price_wad, 2000 * protocols::kWadUnit);
}

std::string topology(const std::string& params) {
  return "name: d\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, ETH: {}}\n"
         "shards:\n"
         "  - id: dex\n"
         "    slot: 2s\n"
         "    gas_per_block: 30M\n"
         "    protocols: [{kind: darkpool, name: dark" + (params.empty() ? "" : ", params: " + params) + "}]\n"
         "links: {default: {latency: {model: constant, value: 1s}}}\n"
         "accounts: {mm: {shard: dex, balances: {ETH: 10}}}\n";
}

void expect_error(const std::string& yaml, const std::string& path, const std::string& words) {
  try {
    app::load_topology_string(yaml, "t.yaml");
    FAIL() << "expected an error at " << path;
  } catch (const app::TopologyError& e) {
    EXPECT_EQ(e.key_path(), path) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(DarkPoolLoader, DeploysItsParamsAndRejectsBadOnes) {
  const app::Topology t = app::load_topology_string(
      topology("{underlying: ETH, maker: mm, contra_every: 1m, contra_size: 2.5, ttl: 5m, flow_seed: 3}"), "t.yaml");
  ASSERT_EQ(t.shards[0].protocols.size(), 1u);
  EXPECT_EQ(t.shards[0].protocols[0].kind, "darkpool");
  const std::string p = "shards.0.protocols.0.params";
  expect_error(topology(""), p, "a dark pool names its underlying");
  expect_error(topology("{underlying: BTC}"), p + ".underlying", "unknown asset \"BTC\"");
  expect_error(topology("{underlying: USDC}"), p + ".underlying", "must differ from the quote");
  expect_error(topology("{underlying: ETH, contra_every: 1m}"), p + ".contra_every", "needs the maker");
  expect_error(topology("{underlying: ETH, contra_buy_share: 120%}"), p + ".contra_buy_share", "above 100%");
  expect_error(topology("{underlying: ETH, contra_size: -1}"), p + ".contra_size", "");
  expect_error(topology("{underlying: ETH, spread: 1%}"), p + ".spread", "");
}

}  // namespace
}  // namespace shardsim
