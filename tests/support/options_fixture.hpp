// Test support: the options protocol `opyn` on a protocol rig with USDC, ETH and four series
// expiring at 1h (C2000, C2200 calls; P2000, P1800 puts; or at `expiry`) and C2000L (call, an
// hour later), the disputer
// `disputer`, funded writers and holders, and helpers to write options, move them, and run the
// expiry (report at 1h, final at 3h after the 2h dispute window).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "protocols/options/options_protocol.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::testing {

struct OptionsFixture {
  using Str = const std::string&;
  using Args = std::vector<protocols::TxArg>;
  ProtocolRig rig{{{"USDC", 6}, {"ETH", 18}, {"C2000", 8}, {"C2200", 8}, {"P2000", 8}, {"P1800", 8}, {"C2000L", 8}}};
  std::unique_ptr<protocols::options::OptionsProtocol> p;

  explicit OptionsFixture(protocols::options::Settlement settlement = protocols::options::Settlement::cash,
                          core::Duration expiry = core::Duration::h(1)) {
    namespace po = protocols::options;
    po::Params prm;
    prm.cash = rig.asset("USDC");
    prm.settlement = settlement;
    prm.disputer = "disputer";
    const core::SimTime h1 = core::SimTime::zero() + expiry;
    const auto series = [&](const char* name, double strike, bool put, core::SimTime expiry) {
      prm.series.push_back(po::Series{name, rig.asset(name), rig.asset("ETH"), protocols::double_to_wad(strike), expiry, put});
    };
    series("C2000", 2000, false, h1);
    series("C2200", 2200, false, h1);
    series("P2000", 2000, true, h1);
    series("P1800", 1800, true, h1);
    series("C2000L", 2000, false, h1 + core::Duration::h(1));
    p = std::make_unique<po::OptionsProtocol>(prm, "opyn", rig.account("options"));
    rig.account("disputer");
    rig.account("anyone");
    for (const char* who : {"writer", "lp", "holder", "w1", "w2"}) {
      rig.fund(who, "USDC", "1000000");
      rig.fund(who, "ETH", "1000");
    }
    rig.set_price("ETH", 2000);
    rig.set_price("USDC", 1);
  }
  protocols::OpResult op(Str who, Str name, const Args& args) { return rig.apply(*p, who, name, args); }
  void ok(Str who, Str name, const Args& args) {
    const protocols::OpResult r = op(who, name, args);
    ASSERT_TRUE(r.ok) << name << ": " << r.reason;
  }
  void expect_revert(Str who, Str name, const Args& args, Str reason) {
    const std::string before = p->state(*rig.host).dump();
    const protocols::OpResult r = op(who, name, args);
    EXPECT_TRUE(!r.ok && r.reason == reason) << name << ": got " << (r.ok ? "success" : r.reason);
    EXPECT_EQ(p->state(*rig.host).dump(), before) << "a revert changed the state";
  }
  // Deposits `collateral` of `asset` into `who`'s vault `vault` and mints `amount` of `series`.
  void write(Str who, Str vault, Str series, Str asset, Str collateral, Str amount) {
    ok(who, "deposit_collateral", {{"vault", vault}, {"asset", asset}, {"amount", collateral}});
    ok(who, "mint", {{"vault", vault}, {"series", series}, {"amount", amount}});
  }
  void give(Str from, Str to, Str asset, Str amount) {
    ASSERT_TRUE(rig.ledger->transfer(rig.account(from), rig.account(to), rig.asset(asset), rig.amount(asset, amount)));
  }
  void advance_to(core::SimTime t) {
    rig.now = t;
    ++rig.height;
    rig.host->begin(rig.now, rig.height);
  }
  // ETH at `price` at expiry (1h): reported then, final at 3h.
  void expire_at(Str price) {
    rig.set_price("ETH", std::stod(price));
    advance_to(core::SimTime::zero() + core::Duration::h(1));
    ok("anyone", "report_price", {{"series", "C2000"}});
    advance_to(core::SimTime::zero() + core::Duration::h(3));
  }
  protocols::i128 bal(Str who, Str asset = "USDC") { return rig.balance(who, asset).raw(); }
  protocols::i128 units(Str text, Str asset = "USDC") { return rig.amount(asset, text).raw(); }
};

}  // namespace shardsim::testing
