// Models a protocol's host for benchmarks: the protocol on a real shard ledger and
// ProtocolHost, without an engine. Set oracle prices, fund accounts, apply operations with the
// shard's revert-and-rollback rule. (tests/support/protocol_rig.hpp adds the conservation check;
// benches never depend on tests/.)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/api/registry.hpp"
#include "shards/ledger.hpp"
#include "shards/protocol_host.hpp"
#include "shards/shard.hpp"

namespace shardsim::bench {

struct ProtocolRig {
  protocols::Registry registry;
  std::unique_ptr<shards::Ledger> ledger;
  std::vector<shards::OracleValue> oracles;
  std::unique_ptr<shards::ProtocolHost> host;
  core::SimTime now;
  std::uint64_t height = 1;

  // assets: {symbol, decimals}; accounts are interned on first use by name.
  explicit ProtocolRig(const std::vector<std::pair<std::string, int>>& assets) {
    for (const auto& [sym, dec] : assets) registry.add_asset(sym, dec);
    ledger = std::make_unique<shards::Ledger>(registry.asset_count());
    oracles.resize(registry.asset_count());
    host = std::make_unique<shards::ProtocolHost>(*ledger, oracles, registry);
  }
  protocols::AssetId asset(const std::string& s) const { return *registry.asset(s); }
  protocols::AccountId account(const std::string& name) { return registry.intern(name); }
  core::Amount amount(const std::string& s, const std::string& text) const {
    return *core::Amount::parse(text, registry.decimals(asset(s)));
  }
  void set_price(const std::string& s, double price) {
    oracles[asset(s)] = shards::OracleValue{protocols::double_to_wad(price), now.count_us(), oracles[asset(s)].round + 1};
  }
  void fund(const std::string& who, const std::string& s, const std::string& text) {
    ledger->mint(account(who), asset(s), amount(s, text));
  }
  core::Amount balance(const std::string& who, const std::string& s) { return ledger->balance(account(who), asset(s)); }
  void advance(core::Duration d, protocols::Protocol& p) {
    now = now + d;
    ++height;
    host->begin(now, height);
    p.on_block(*host);
  }
  // Applies an op as the shard does: on revert, every ledger change is rolled back.
  protocols::OpResult apply(protocols::Protocol& p, const std::string& sender, const std::string& op,
                            const std::vector<protocols::TxArg>& args) {
    host->begin(now, height);
    protocols::OpResult r = protocols::execute(p, *host, account(sender), op, protocols::OpArgs(args));
    if (!r.ok) host->rollback();
    return r;
  }
};

}  // namespace shardsim::bench
