// Builds the brokers of a world: their accounts and genesis capital on the home shard, the
// instruments they clear (every linear instrument of every protocol) and the venues they hedge
// on (every perpetual market), the feeds that carry protocol snapshots to them with link
// latency, and the script's client requests. Also their part of the results and the audit.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "app/world/world.hpp"
#include "core/actor.hpp"

namespace shardsim::app {
namespace {

constexpr double kVenueCostRate = 0.0005;  // expected spread + fee of a perp hedge, of notional
constexpr double kAmmCostRate = 0.004;     // pool fee (0.3%) + expected price impact of a spot hedge

}  // namespace

// The script's clients in order of first mention, then the agent populations that trade through
// this broker (`retail.0.12`: kind, population index, member).
std::function<std::optional<double>(protocols::AssetId)> World::oracle_reader(std::uint32_t shard) const {
  const shards::Shard* s = shards_[shard].get();
  return [s](protocols::AssetId a) -> std::optional<double> {
    if (a >= s->oracles().size() || s->oracles()[a].round == 0) return std::nullopt;
    return protocols::wad_to_double(s->oracles()[a].price_wad);
  };
}

std::vector<std::string> World::broker_clients(std::size_t broker) const {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  for (const ScriptEntry& e : topology_.script) {
    if (e.broker && e.broker->broker == broker && seen.insert(e.broker->client).second) out.push_back(e.broker->client);
  }
  for (std::size_t p = 0; p < topology_.agents.size(); ++p) {
    const agents::AgentSpec& a = topology_.agents[p];
    if (!a.broker || *a.broker != broker) continue;
    for (std::uint32_t i = 0; i < a.count; ++i) out.push_back(client_agent_name(p, i));
  }
  return out;
}

void World::build_brokers() {
  if (topology_.brokers.empty()) return;
  // What every broker may clear, and where it may hedge: every perpetual market, and spot
  // bought on an AMM pool against a quote asset (an instrument `uni.ETH` of its own).
  std::vector<broker::Instrument> instruments;
  std::vector<broker::Venue> venues;
  std::vector<std::size_t> venue_instrument;
  for (std::uint32_t i = 0; i < shards_.size(); ++i) {
    const auto& protocols = shards_[i]->protocols();
    for (std::uint32_t p = 0; p < protocols.size(); ++p) {
      const std::string& kind = topology_.shards[i].protocols[p].kind;
      for (protocols::InstrumentDescriptor& d : protocols[p]->instruments(shards_[i]->host())) {
        if (d.deltas_per_unit.empty()) continue;
        if (kind == "amm" && d.underlyings.size() == 2) {
          for (int side = 0; side < 2; ++side) {
            auto spot = std::make_unique<protocols::InstrumentDescriptor>();
            const protocols::AssetId x = d.underlyings[side], quote = d.underlyings[1 - side];
            spot->id = d.protocol + "." + topology_.assets[x].symbol;
            spot->protocol = d.protocol;
            spot->underlyings = {x};
            spot->deltas_per_unit = {1.0};
            spot->snapshot_keys = std::vector<std::string>{};  // priced from the oracle alone
            spot->revalue = [x](double q, const protocols::ProtocolSnapshot&, const protocols::PriceVector& px) {
              return x < px.size() ? q * px[x] : 0.0;
            };
            broker::Venue v;
            v.kind = broker::Venue::Kind::amm;
            v.instrument = spot->id;
            v.underlying = x;
            v.shard = i;
            v.protocol = p;
            v.cost_rate = kAmmCostRate;
            v.underlying_symbol = topology_.assets[x].symbol;
            v.quote_symbol = topology_.assets[quote].symbol;
            descriptors_.push_back(std::move(spot));
            venue_instrument.push_back(instruments.size());
            instruments.push_back(broker::Instrument{descriptors_.back().get(), std::nullopt, std::nullopt});
            venues.push_back(std::move(v));
          }
        }
        descriptors_.push_back(std::make_unique<protocols::InstrumentDescriptor>(std::move(d)));
        const protocols::InstrumentDescriptor* desc = descriptors_.back().get();
        broker::Instrument inst{desc, std::nullopt, std::nullopt};
        const std::string symbol = desc->id.substr(desc->protocol.size() + 1);
        if (const auto a = topology_.asset_index(symbol)) inst.mark_asset = *a;
        if (kind == "perps" && desc->underlyings.size() == 1) {
          broker::Venue v;
          v.instrument = desc->id;
          v.underlying = desc->underlyings[0];
          v.shard = i;
          v.protocol = p;
          v.trade_args.push_back(protocols::TxArg{"market", symbol});
          v.cost_rate = kVenueCostRate;
          venue_instrument.push_back(instruments.size());
          venues.push_back(std::move(v));
        }
        instruments.push_back(inst);
      }
    }
  }
  std::vector<int> decimals;
  for (const AssetSpec& a : topology_.assets) decimals.push_back(a.decimals);
  std::vector<double> vol(topology_.assets.size(), 0.0);
  for (const PriceAssetSpec& p : topology_.prices.assets) vol[p.asset] = p.vol_annual;

  for (std::size_t b = 0; b < topology_.brokers.size(); ++b) {
    auto cfg = std::make_unique<broker::BrokerConfig>(topology_.brokers[b]);
    for (std::size_t a = 0; a < vol.size(); ++a) {
      if (vol[a] > 0) cfg->margin.vol_annual[static_cast<protocols::AssetId>(a)] = vol[a];
    }
    const std::uint32_t home = cfg->home_shard;
    broker::BrokerEnv env;
    env.engine = engine_.get();
    env.lp = shard_lps_[home];
    env.home_shard = shards_[home]->endpoint();
    env.home_shard_id = home;
    env.account = *registry_.account("broker:" + cfg->name);
    for (const std::string& c : broker_clients(b)) {
      env.client_names.push_back(c);
      env.client_accounts.push_back(*registry_.account(c));
      env.deposit_accounts.push_back(*registry_.account("broker:" + cfg->name + ":" + c));
    }
    env.access = access_latency_of(topology_, home);
    env.home_slot = topology_.shards[home].slot;
    env.home_price = oracle_reader(home);
    env.decimals = decimals;
    env.quote = cfg->capital.empty() ? 0 : cfg->capital.front().asset;
    env.vol_annual = vol;
    env.issued_protocol = cfg->vertically_integrated ? cfg->issuer_of : std::string();
    // This broker's venues (by its `venues:` setting), and its instruments pointing at them.
    std::vector<broker::Venue> mine;
    std::vector<broker::Instrument> insts = instruments;
    for (std::size_t v = 0; v < venues.size(); ++v) {
      const bool amm = venues[v].kind == broker::Venue::Kind::amm;
      // Only spot against the broker's quote asset, when AMM hedging is on.
      if (amm ? !cfg->hedging.amm_venues || venues[v].quote_symbol != topology_.assets[env.quote].symbol
              : !cfg->hedging.perps_venues) {
        continue;
      }
      broker::Venue x = venues[v];
      x.expected_latency = x.shard == home ? env.access.mean_estimate() : links_.get(home, x.shard).mean_estimate();
      insts[venue_instrument[v]].venue = mine.size();
      mine.push_back(std::move(x));
    }
    // Marked at its own price only where the home shard has a feed of that asset.
    const std::vector<std::uint32_t> feeds =
        topology_.shards[home].oracles ? topology_.shards[home].oracles->assets : std::vector<std::uint32_t>{};
    for (broker::Instrument& inst : insts) {
      if (inst.mark_asset && std::find(feeds.begin(), feeds.end(), *inst.mark_asset) == feeds.end()) inst.mark_asset.reset();
    }
    for (const broker::AssetAmount& a : cfg->capital) shards_[home]->ledger().mint(env.account, a.asset, a.amount);
    for (const broker::AssetAmount& a : cfg->default_fund) shards_[home]->ledger().mint(env.account, a.asset, a.amount);
    brokers_.push_back(std::make_unique<broker::Broker>(*cfg, std::move(env), std::move(insts), std::move(mine)));
    broker_configs_.push_back(std::move(cfg));
  }
  // Credits on a home shard reach its brokers: receipts (bridged deposits) and transfers.
  for (std::uint32_t i = 0; i < shards_.size(); ++i) {
    std::vector<broker::Broker*> here;
    for (auto& br : brokers_) {
      if (br->config().home_shard == i) here.push_back(br.get());
    }
    if (here.empty()) continue;
    shards_[i]->observe_receipts([here](const protocols::Receipt& r, core::SimTime) {
      for (broker::Broker* br : here) br->on_home_credit(r.to, r.asset, r.amount);
    });
    shards_[i]->observe_txs([here](const protocols::TxRequest& tx, protocols::TxStatus st, std::uint64_t) {
      if (tx.op != protocols::TxOp::transfer || st != protocols::TxStatus::ok) return;
      for (broker::Broker* br : here) br->on_home_credit(tx.to, tx.asset, tx.amount);
    });
  }
  build_snapshot_feeds();
  // The script's client requests, delivered to the broker at their times.
  for (const ScriptEntry& e : topology_.script) {
    if (!e.broker) continue;
    const ScriptBrokerAction& a = *e.broker;
    broker::Broker& br = *brokers_[a.broker];
    broker::ClientRequest q;
    const std::vector<std::string> clients = broker_clients(a.broker);
    q.client = static_cast<std::uint32_t>(std::find(clients.begin(), clients.end(), a.client) - clients.begin());
    q.op = a.op == BrokerOp::deposit ? broker::RequestOp::deposit
           : a.op == BrokerOp::withdraw ? broker::RequestOp::withdraw
                                        : broker::RequestOp::order;
    q.asset = a.asset;
    q.shard = a.shard;
    q.amount = a.amount;
    q.qty_wad = a.qty_wad;
    q.limit_wad = a.limit_wad.value_or(0);
    if (a.op == BrokerOp::order) {
      const auto idx = br.book().instrument_index(a.instrument);
      // The loader checks it against the same list (load_instruments.cpp): reaching this is a defect.
      if (!idx) throw std::logic_error("script order in an instrument the broker does not clear: " + a.instrument);
      q.instrument = static_cast<std::uint32_t>(*idx);
    }
    engine_->send(br.endpoint(), br.endpoint(), e.at - core::SimTime::zero(), q);
  }
  build_broker_clients();
  for (auto& br : brokers_) br->start();
}

// One feed per shard with protocols: every slot, each protocol's snapshot goes to every broker,
// over the link from that shard to the broker's home.
void World::build_snapshot_feeds() {
  for (std::uint32_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i]->protocols().empty()) continue;
    shards::Shard* shard = shards_[i].get();
    const core::Duration slot = topology_.shards[i].slot;
    engine_->add_actor(shard_lps_[i], "snapshots:" + topology_.shards[i].id, [this, shard, slot, i](core::Actor& self) {
      for (;;) {
        self.sleep_for(slot);
        for (const auto& p : shard->protocols()) {
          const protocols::ProtocolSnapshot snap = p->snapshot(shard->host());
          broker::SnapshotMsg m{p->name(), snap.taken_at_us, snap.values};
          for (auto& br : brokers_) {
            const std::uint32_t home = br->config().home_shard;
            const core::Duration d = home == i ? core::kMinDelay
                                               : std::max(links_.get(i, home).sample(self.rng()), engine_->lookahead());
            self.send(br->endpoint(), d, m);
          }
        }
      }
    }, core::SimTime::zero());
  }
}

nlohmann::ordered_json World::broker_results() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& br : brokers_) {
    nlohmann::ordered_json r = br->report();
    r["frontrun_loss"] = frontrun_loss_usd(br->home_accounts().front());  // what searchers took from its hedges
    out.push_back(std::move(r));
  }
  return out;
}

// Each broker's books balance per asset, and its custody equals what its accounts hold on the
// home shard (the main account and the clients' deposit accounts).
std::optional<std::string> World::broker_audit() const {
  for (const auto& br : brokers_) {
    if (const auto why = br->ledger_audit()) return "broker " + br->config().name + ": " + *why;
    const shards::Shard& home = *shards_[br->config().home_shard];
    if (home.config().base_fee.raw() != 0) continue;  // gas is paid from custody but not booked
    // A venue on the home shard trades from the same account, so what it holds there mixes custody
    // with hedge proceeds the books value at marks: only the ledger balance is checked then.
    bool venue_at_home = false;
    for (const broker::Venue& v : br->book().venues()) venue_at_home = venue_at_home || v.shard == home.config().id;
    if (venue_at_home) continue;
    for (std::uint32_t a = 0; a < topology_.assets.size(); ++a) {
      core::Amount held;
      for (const protocols::AccountId acct : br->home_accounts()) held += home.ledger().balance(acct, a);
      if (held != br->custody(a)) {
        const int d = topology_.assets[a].decimals;
        return "broker " + br->config().name + ": custody of " + topology_.assets[a].symbol + " on the books " +
               br->custody(a).str(d) + " != held on " + topology_.shards[home.config().id].id + " " + held.str(d);
      }
    }
  }
  return std::nullopt;
}

}  // namespace shardsim::app

namespace shardsim::app {

void World::set_ledger_journals(bool on) {
  for (auto& br : brokers_) br->set_ledger_journal(on);
}

}  // namespace shardsim::app
