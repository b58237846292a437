// Tests app/observe/cascade's linking by exposure: a scripted dump moves a feed, the move
// liquidates, the liquidations' sales move the feed again, the protocol's bad debt follows its
// liquidations; an unrelated fault in between explains nothing; scripted events and price moves
// that caused nothing are dropped; a broker's insolvency follows a decree on it and the price move
// before it; the depth is the longest chain.
#include "app/observe/cascade.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shardsim::app {
namespace {

constexpr std::int64_t kS = 1'000'000;

CascadeEvent ev(std::string who, CascadeKind kind, std::int64_t at_s, std::optional<std::uint32_t> shard,
                std::optional<std::uint32_t> asset = std::nullopt, std::string protocol = {}) {
  CascadeEvent e{.who = std::move(who), .what = "x", .at_us = at_s * kS, .kind = kind};
  e.shard = shard;
  e.asset = asset;
  e.protocol = std::move(protocol);
  e.until_us = e.at_us + 600 * kS;
  return e;
}

const CascadeEvent& find(const std::vector<CascadeEvent>& events, const std::string& who) {
  for (const CascadeEvent& e : events) {
    if (e.who == who) return e;
  }
  ADD_FAILURE() << "no event " << who;
  return events.front();
}

std::vector<std::string> causes(const std::vector<CascadeEvent>& events, const std::string& who) {
  std::vector<std::string> out;
  for (const std::size_t c : find(events, who).causes) out.push_back(events[c].who);
  return out;
}

using V = std::vector<std::string>;

TEST(CascadeLinks, ASpiralChainsFromTheDumpNotFromTheLatestEvent) {
  constexpr std::uint32_t kLend = 0, kOther = 1, kEth = 1;
  std::vector<CascadeEvent> events;
  events.push_back(ev("protocol:aave", CascadeKind::bad_debt, 780, kLend, std::nullopt, "aave"));
  events.push_back(ev("liq@660", CascadeKind::liquidations, 660, kLend, std::nullopt, "aave"));
  events.push_back(ev("liq@720", CascadeKind::liquidations, 720, kLend, std::nullopt, "aave"));
  events.push_back(ev("price@660", CascadeKind::price_move, 660, kLend, kEth));
  events.back().move = -0.15;
  events.push_back(ev("usdc@660", CascadeKind::price_move, 660, kLend, 0));  // the smaller move at the same time
  events.back().move = 0.02;
  events.push_back(ev("price@720", CascadeKind::price_move, 720, kLend, kEth));
  events.push_back(ev("script:dump", CascadeKind::script, 600, kLend));  // a swap: moves every feed of its shard
  events.push_back(ev("script:unrelated", CascadeKind::script, 30, kOther, kEth));
  events.push_back(ev("fault:halt other", CascadeKind::fault, 700, kOther));
  events.push_back(ev("price@900 other", CascadeKind::price_move, 900, kOther, kEth));  // explains nothing after it
  const std::size_t depth = link_causes(events);
  EXPECT_EQ(causes(events, "script:dump"), V{});
  EXPECT_EQ(causes(events, "price@660"), V{"script:dump"});
  EXPECT_EQ(causes(events, "liq@660"), V{"price@660"});
  EXPECT_EQ(causes(events, "price@720"), V{"liq@660"});  // the first wave's sales
  EXPECT_EQ(causes(events, "liq@720"), V{"price@720"});
  EXPECT_EQ(causes(events, "protocol:aave"), V{"liq@720"});
  EXPECT_EQ(causes(events, "fault:halt other"), V{});
  EXPECT_EQ(depth, 6u);  // dump, move, wave, move, wave, bad debt
  for (const CascadeEvent& e : events) {
    EXPECT_NE(e.who, "usdc@660");  // the wave followed the larger move: the smaller caused nothing
    EXPECT_NE(e.who, "script:unrelated");
    EXPECT_NE(e.who, "price@900 other");
  }
  // Sorted by time, causes always before the event.
  for (std::size_t i = 0; i < events.size(); ++i) {
    for (const std::size_t c : events[i].causes) EXPECT_LT(c, i);
  }
}

TEST(CascadeLinks, ABrokersInsolvencyFollowsTheDecreeOnItAndThePriceMoveBeforeIt) {
  std::vector<CascadeEvent> events;
  CascadeEvent decree = ev("fault:broker_default giant", CascadeKind::fault, 1200, std::nullopt);
  decree.broker = "giant";
  events.push_back(decree);
  CascadeEvent other = ev("fault:broker_default small", CascadeKind::fault, 1100, std::nullopt);
  other.broker = "small";
  events.push_back(other);
  events.push_back(ev("price@1150", CascadeKind::price_move, 1150, 1, 0));
  CascadeEvent giant = ev("broker:giant", CascadeKind::insolvent, 1200, std::nullopt);
  giant.broker = "giant";
  events.push_back(giant);
  CascadeEvent b2 = ev("broker:b2", CascadeKind::insolvent, 1300, std::nullopt);
  b2.broker = "b2";
  b2.clearing_loss = true;  // it booked obligations giant did not pay
  events.push_back(b2);
  CascadeEvent loss = ev("broker:giant shortfall", CascadeKind::shortfall, 1500, std::nullopt);
  loss.broker = "giant";
  events.push_back(loss);
  events.push_back(ev("fault:price_crash ETH", CascadeKind::fault, 1490, std::nullopt, 0));
  link_causes(events);
  EXPECT_EQ(causes(events, "broker:giant"), (V{"fault:broker_default giant", "price@1150"}));
  // The loss past its capital: after its insolvency, booked on the crash (later than the move).
  EXPECT_EQ(causes(events, "broker:giant shortfall"),
            (V{"broker:giant", "fault:broker_default giant", "fault:price_crash ETH"}));
  EXPECT_EQ(causes(events, "broker:b2"), (V{"price@1150", "broker:giant"}));
  const nlohmann::ordered_json edges = cascade_edges_json(events);
  EXPECT_EQ(edges.size(), 7u);
}

TEST(CascadeLinks, NoEventsNoDepth) {
  std::vector<CascadeEvent> events;
  EXPECT_EQ(link_causes(events), 0u);
  events.push_back(ev("script:alone", CascadeKind::script, 5, 0, 0));
  EXPECT_EQ(link_causes(events), 0u);  // a scripted event that caused nothing is dropped
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace shardsim::app
