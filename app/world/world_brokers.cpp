// Builds the brokers of a world: their accounts and genesis capital on the home shard, the
// instruments they clear (every linear instrument of every protocol) and the venues they hedge
// on (what each protocol offers), the feeds that carry protocol snapshots to them with link
// latency, and the script's client requests. Also their part of the results and the audit.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "app/topology/protocol_offer.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "protocols/api/hedge_venue.hpp"
#include "core/actor.hpp"
#include "core/assert.hpp"

namespace shardsim::app {
namespace {

constexpr std::size_t kNoInstrument = static_cast<std::size_t>(-1);

}  // namespace
std::function<std::optional<double>(protocols::AssetId)> World::oracle_reader(std::uint32_t shard) const {
  const shards::Shard* s = shards_[shard].get();
  return [s](protocols::AssetId a) -> std::optional<double> {
    if (a >= s->oracles().size() || s->oracles()[a].round == 0) return std::nullopt;
    return protocols::wad_to_double(s->oracles()[a].price_wad);
  };
}

// The script's clients in order of first mention (payer or payee), then the agent populations
// that trade through this broker (`retail.0.12`: kind, population index, member).
std::vector<std::string> World::broker_clients(std::size_t broker) const {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  for (const ScriptEntry& e : topology_.script) {
    if (e.broker && e.broker->broker == broker && seen.insert(e.broker->client).second) out.push_back(e.broker->client);
    // A payee is a client of its broker from the payment on.
    if (e.broker && e.broker->op == BrokerOp::pay && e.broker->to_broker == broker && seen.insert(e.broker->to_client).second) {
      out.push_back(e.broker->to_client);
    }
  }
  for (std::size_t p = 0; p < topology_.agents.size(); ++p) {
    const agents::AgentSpec& a = topology_.agents[p];
    if (!a.broker || *a.broker != broker) continue;
    for (std::uint32_t i = 0; i < a.count; ++i) out.push_back(client_agent_name(p, i));
  }
  return out;
}

// Every instrument a broker may clear (each protocol's instruments with price deltas or outcome
// claims, those its script operations will add (protocol_offer.hpp), and the own
// instrument of a spot venue, `uni.ETH`) and every market where it may hedge: the venues each
// protocol offers (protocols/api/hedge_venue.hpp). The world knows no venue kind by name.
World::BrokerMenu World::broker_menu() {
  BrokerMenu menu;
  for (std::uint32_t i = 0; i < shards_.size(); ++i) {
    const auto& protocols = shards_[i]->protocols();
    for (std::uint32_t p = 0; p < protocols.size(); ++p) {
      const protocols::ShardContext& ctx = shards_[i]->host();
      ProtocolOffer offer = protocol_offer(*protocols[p], ctx, topology_, i, p);
      if (!offer.cleared()) continue;
      std::vector<protocols::InstrumentDescriptor>& listed = offer.instruments;
      std::vector<std::pair<std::string, std::size_t>> venue_of;  // listed instrument id -> venue
      for (std::shared_ptr<const protocols::HedgeVenue>& hv : offer.venues) {
        const protocols::HedgeMarket& m = hv->market();
        if (std::optional<protocols::InstrumentDescriptor> own = hv->own_instrument()) {
          descriptors_.push_back(std::make_unique<protocols::InstrumentDescriptor>(std::move(*own)));
          menu.venue_instrument.push_back(menu.instruments.size());
          menu.instruments.push_back(broker::Instrument{descriptors_.back().get(), std::nullopt, std::nullopt});
        } else {
          venue_of.emplace_back(m.instrument, menu.venues.size());
          menu.venue_instrument.push_back(kNoInstrument);  // set when the listed instrument is added below
        }
        menu.venues.push_back(broker::Venue{m.instrument, m.underlying, i, p, {}, std::move(hv)});
      }
      for (protocols::InstrumentDescriptor& d : listed) {
        if (!d.cleared()) continue;
        descriptors_.push_back(std::make_unique<protocols::InstrumentDescriptor>(std::move(d)));
        const protocols::InstrumentDescriptor* desc = descriptors_.back().get();
        broker::Instrument inst{desc, std::nullopt, std::nullopt};
        if (const auto a = topology_.asset_index(desc->id.substr(desc->protocol.size() + 1))) inst.mark_asset = *a;
        for (const auto& [id, v] : venue_of) {
          if (id == desc->id) menu.venue_instrument[v] = menu.instruments.size();
        }
        menu.instruments.push_back(inst);
      }
    }
  }
  return menu;
}

// Broker `b` with its settings (vol filled in), accounts, genesis capital on its home shard, and
// the venues its `hedging:` settings allow (spot only against its quote asset).
void World::add_broker(std::size_t b, const BrokerMenu& menu) {
  auto cfg = std::make_unique<broker::BrokerConfig>(topology_.brokers[b]);
  std::vector<double> vol(topology_.assets.size(), 0.0);
  for (const PriceAssetSpec& p : topology_.prices.assets) vol[p.asset] = p.vol_annual;
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
  env.fee_asset = topology_.shards[home].fee_asset;
  env.home_price = oracle_reader(home);
  for (const AssetSpec& a : topology_.assets) env.decimals.push_back(a.decimals);
  env.quote = cfg->capital.empty() ? 0 : cfg->capital.front().asset;
  env.vol_annual = vol;
  env.issued_protocol = cfg->vertically_integrated ? cfg->issuer_of : std::string();
  env.account_name = "broker:" + cfg->name;
  env.index = static_cast<std::uint32_t>(b);
  if (clearing_) {
    env.clearing_house = clearing_->endpoint();
    env.clearing_delay = clearing_delay(home);
    env.clearing_account = *registry_.account("clearing:" + cfg->name);
    env.vm_every = topology_.clearing->cycle;
  }
  for (const agents::AgentSpec& a : topology_.agents) env.clients_may_run = env.clients_may_run || (a.broker == b && a.run);
  std::vector<broker::Venue> mine;
  std::vector<broker::Instrument> insts = menu.instruments;
  for (std::size_t v = 0; v < menu.venues.size(); ++v) {
    const protocols::HedgeMarket& m = menu.venues[v].hedge->market();
    const bool allowed = m.claim  ? cfg->hedging.prediction_venues && m.quote == env.quote
                         : m.dark ? cfg->hedging.dark_venues && m.quote == env.quote
                         : m.style == protocols::HedgeStyle::spot ? cfg->hedging.amm_venues && m.quote == env.quote
                                                                  : cfg->hedging.perps_venues;
    if (!allowed) continue;
    SHARDSIM_ASSERT_MSG(menu.venue_instrument[v] != kNoInstrument, "a hedge venue trades an instrument its protocol does not list");
    broker::Venue x = menu.venues[v];
    x.expected_latency = x.shard == home ? env.access.mean_estimate() : links_.get(home, x.shard).mean_estimate();
    insts[menu.venue_instrument[v]].venue = mine.size();
    mine.push_back(std::move(x));
  }
  // A phase's timeout follows the links unless set: three expected round trips to the farthest
  // venue, and never less than the 10 home slots the loader starts from.
  if (!cfg->settlement.timeout_set) {
    for (const broker::Venue& v : mine) {
      cfg->settlement.timeout = std::max(cfg->settlement.timeout, (v.expected_latency + v.expected_latency) * 3);
    }
  }
  // Marked at its own price only where the home shard has a feed of that asset.
  const std::vector<std::uint32_t> feeds =
      topology_.shards[home].oracles ? topology_.shards[home].oracles->assets : std::vector<std::uint32_t>{};
  for (broker::Instrument& inst : insts) {
    if (inst.mark_asset && std::find(feeds.begin(), feeds.end(), *inst.mark_asset) == feeds.end()) inst.mark_asset.reset();
  }
  for (const broker::AssetAmount& a : cfg->capital) shards_[home]->ledger().mint(env.account, a.asset, a.amount);
  for (const broker::AssetAmount& a : cfg->default_fund) shards_[home]->ledger().mint(env.account, a.asset, a.amount);
  if (broker::issues_synths(*cfg)) stake_issuer_genesis(*cfg, env.account);
  brokers_.push_back(std::make_unique<broker::Broker>(*cfg, std::move(env), std::move(insts), std::move(mine)));
  broker_configs_.push_back(std::move(cfg));
  // What the broker holds at its venues before any hedge (spot inventory from `accounts:`).
  std::vector<std::optional<protocols::i128>> genesis;
  for (const broker::Venue& v : brokers_.back()->book().venues()) genesis.push_back(held_on_chain(*brokers_.back(), v));
  venue_genesis_.push_back(std::move(genesis));
}

void World::build_brokers() {
  if (topology_.brokers.empty()) return;
  const BrokerMenu menu = broker_menu();
  build_clearing_house();  // world_clearing.cpp: brokers send it their obligations
  for (std::size_t b = 0; b < topology_.brokers.size(); ++b) add_broker(b, menu);
  start_clearing();
  connect_brokers();
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
  deliver_script_requests();
  build_broker_clients();
  for (auto& br : brokers_) br->start();
}

// Every broker reaches every other (inter-broker trades and variation calls, broker/interbroker.hpp)
// over the link between their homes; its counterparty is the one its `hedging:` names.
void World::connect_brokers() {
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    const std::uint32_t home = brokers_[b]->config().home_shard;
    std::vector<broker::Broker::Peer> peers;
    std::optional<std::uint32_t> counterparty;
    for (std::size_t o = 0; o < brokers_.size(); ++o) {
      const std::uint32_t there = brokers_[o]->config().home_shard;
      const core::Duration delay =
          there == home ? core::kMinDelay : std::max(links_.get(home, there).mean_estimate(), engine_->lookahead());
      peers.push_back({brokers_[o]->endpoint(), delay});
      if (brokers_[o]->config().name == brokers_[b]->config().hedging.counterparty) counterparty = static_cast<std::uint32_t>(o);
    }
    brokers_[b]->set_peers(std::move(peers), counterparty);
  }
}

// The script's client requests, delivered to the broker at their times.
void World::deliver_script_requests() {
  for (const ScriptEntry& e : topology_.script) {
    if (!e.broker) continue;
    const ScriptBrokerAction& a = *e.broker;
    broker::Broker& br = *brokers_[a.broker];
    broker::ClientRequest q;
    const std::vector<std::string> clients = broker_clients(a.broker);
    q.client = static_cast<std::uint32_t>(std::find(clients.begin(), clients.end(), a.client) - clients.begin());
    q.op = a.op == BrokerOp::deposit    ? broker::RequestOp::deposit
           : a.op == BrokerOp::withdraw ? broker::RequestOp::withdraw
           : a.op == BrokerOp::pay      ? broker::RequestOp::pay
           : a.op == BrokerOp::pledge   ? broker::RequestOp::pledge
                                        : broker::RequestOp::order;
    if (a.op == BrokerOp::pay) {
      const std::vector<std::string> payees = broker_clients(a.to_broker);
      q.to_broker = a.to_broker;
      q.to_client = static_cast<std::uint32_t>(std::find(payees.begin(), payees.end(), a.to_client) - payees.begin());
    }
    q.asset = a.asset;
    q.shard = a.shard;
    q.amount = a.amount;
    q.qty_wad = a.qty_wad;
    q.limit_wad = a.limit_wad.value_or(0);
    if (a.op == BrokerOp::order || a.op == BrokerOp::pledge) {
      const auto idx = br.book().instrument_index(a.instrument);
      // The loader checks it against the same list (load_instruments.cpp): reaching this is a defect.
      if (!idx) throw std::logic_error("script order in an instrument the broker does not clear: " + a.instrument);
      q.instrument = static_cast<std::uint32_t>(*idx);
    }
    engine_->send(br.endpoint(), br.endpoint(), e.at - core::SimTime::zero(), q);
  }
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
    out.push_back(br->report());  // frontrun_loss: measured on the chain by app/observe's FrontrunMonitor
    out.back()["home"] = topology_.shards[br->config().home_shard].id;  // the shard's id, not its index
  }
  return out;
}

// What the broker holds on chain at venue `v`, WAD: its position in a perpetual market, or the
// underlying its account holds on a spot venue's shard; nothing where the chain cannot say apart
// from other holdings (a spot venue on the broker's home shard) or the protocol answers no query.
std::optional<protocols::i128> World::held_on_chain(const broker::Broker& br, const broker::Venue& v) const {
  const shards::Shard& shard = *shards_[v.shard];
  const protocols::AccountId account = br.home_accounts().front();
  if (v.claim()) {
    const protocols::ClaimQuery* claims = shard.protocols()[v.protocol]->queries().claims;
    return claims ? claims->claim_held_wad(shard.host(), account, v.instrument) : std::nullopt;
  }
  if (!v.margined()) {
    if (v.shard == br.config().home_shard) return std::nullopt;
    return protocols::raw_to_wad(shard.ledger().balance(account, v.underlying).raw(), topology_.assets[v.underlying].decimals);
  }
  const protocols::PerpsQuery* perps = shard.protocols()[v.protocol]->queries().perps;
  if (perps == nullptr) return std::nullopt;
  const auto& markets = perps->perps_terms().markets;
  for (std::size_t m = 0; m < markets.size(); ++m) {
    if (v.instrument == shard.protocols()[v.protocol]->name() + "." + markets[m].name) return perps->position_wad(account, m);
  }
  return std::nullopt;
}

// Collateral pledged in an instrument (an LP share, an option) is held by the broker's account at its
// protocol: a pledge the chain does not back is a defect (the chain may hold more: units moved
// there whose pledge has not reached the broker yet).
std::optional<std::string> World::pledge_audit(const broker::Broker& br) const {
  const protocols::AccountId account = br.home_accounts().front();
  for (std::size_t i = 0; i < br.book().instruments().size(); ++i) {
    const protocols::InstrumentDescriptor& d = *br.book().instruments()[i].descriptor;
    if (!d.collateral) continue;
    for (const auto& shard : shards_) {
      for (const auto& p : shard->protocols()) {
        if (p->name() != d.protocol) continue;
        const protocols::ProtocolQueries q = p->queries();
        // LP units have 18 decimals (WAD); a claim (an option token) answers in WAD.
        const std::optional<protocols::i128> held =
            q.pool != nullptr ? std::optional<protocols::i128>(q.pool->lp_balance(account))
            : q.claims != nullptr ? q.claims->claim_held_wad(shard->host(), account, d.id)
                                  : std::nullopt;
        if (!held) continue;
        if (*held < br.book().pledged_wad(i)) {
          return "collateral in " + d.id + " is " + core::Amount::units(br.book().pledged_wad(i)).str(18) +
                 " on the books but " + core::Amount::units(*held).str(18) + " on chain";
        }
      }
    }
  }
  return std::nullopt;
}

// Each broker's books balance per asset, its custody equals what its accounts hold on the home
// shard (the main account and the clients' deposit accounts), and every settled hedge it books is
// what it came to hold on chain at the venue since genesis.
std::optional<std::string> World::broker_audit() const {
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    const auto& br = brokers_[b];
    if (const auto why = br->ledger_audit()) return "broker " + br->config().name + ": " + *why;
    if (const auto why = issuer_audit(*br)) return "broker " + br->config().name + ": " + *why;
    for (std::size_t v = 0; v < br->book().venues().size(); ++v) {
      const broker::Venue& venue = br->book().venues()[v];
      const broker::HedgeHolding& h = br->book().hedges()[v];
      std::optional<protocols::i128> chain = h.inflight_wad == 0 ? held_on_chain(*br, venue) : std::nullopt;
      if (chain && venue_genesis_[b][v]) *chain -= *venue_genesis_[b][v];
      if (chain && *chain != h.qty_wad) {
        return "broker " + br->config().name + ": hedge on " + venue.instrument + " is " +
               core::Amount::units(h.qty_wad).str(18) + " on the books but " + core::Amount::units(*chain).str(18) +
               " on chain";
      }
    }
    if (const auto why = pledge_audit(*br)) return "broker " + br->config().name + ": " + *why;
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
