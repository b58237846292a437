// The topology language's key tables as one list (built from topology_keys_*.cpp), the loader's
// check that it reads only declared keys, and `explain`'s walk along a key path.
#include "app/topology/topology_keys.hpp"

#include <algorithm>
#include <stdexcept>

#include "app/topology/topology_keys_tables.hpp"

namespace shardsim::app::keys {
namespace {

std::vector<Section> build() {
  std::vector<Section> all;
  for (auto* part : {&tables::world_sections, &tables::protocol_sections, &tables::party_sections}) {
    for (Section& s : part()) all.push_back(std::move(s));
  }
  return all;
}

}  // namespace

const std::vector<Section>& sections() {
  static const std::vector<Section> all = build();
  return all;
}

const Section& section(std::string_view id) {
  for (const Section& s : sections()) {
    if (s.id == id) return s;
  }
  throw std::logic_error("no topology key table \"" + std::string(id) + "\" (app/topology/topology_keys.cpp)");
}

const Key* find_key(const Section& section, std::string_view name) {
  for (const Key& k : section.keys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

namespace {
thread_local KeyUseLog* key_use_log = nullptr;
}  // namespace

void set_key_use_log(KeyUseLog* log) { key_use_log = log; }

void note_key_use(const Section& section, std::string_view key) {
  if (find_key(section, key) == nullptr) {
    throw std::logic_error("the loader reads key \"" + std::string(key) + "\" of `" + std::string(section.id) +
                           "`, which its key table (app/topology/topology_keys.cpp) does not declare");
  }
  if (key_use_log != nullptr) key_use_log->emplace(section.id, key);
}

namespace {

// The section a key's value reads, given a variant value chosen on the way (`amm`, `deposit`).
const Section* inner_of(const Key& key, const Section& in, std::string_view variant) {
  for (const Variant& v : in.variants) {
    if (v.value != variant) continue;
    for (const auto& [k, id] : v.sections) {
      if (k == key.name) return &section(id);
    }
  }
  if (key.kind == Kind::latency) return &section("latency");
  if (key.kind == Kind::distribution) return &section("distribution");
  return key.section.empty() ? nullptr : &section(key.section);
}

bool is_index(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<Explained> explain(std::string_view path, std::vector<std::string>* near) {
  const Section* at = &section("topology");
  Explained out;
  out.path = std::string(path);
  std::string_view variant;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string_view part = path.substr(start, dot - start);
    start = dot + 1;
    if (part.empty() || is_index(part)) continue;
    if (at == nullptr) return std::nullopt;
    const bool names_variant = std::any_of(at->variants.begin(), at->variants.end(),
                                           [&](const Variant& v) { return v.value == part; });
    if (names_variant) {
      variant = part;
      // `protocols.amm.fee`: a variant that reads one key with its own section continues in it.
      for (const Variant& v : at->variants) {
        if (v.value == part && v.sections.size() == 1) {
          out.section = at;
          out.key = find_key(*at, v.sections.front().first);
          at = &section(v.sections.front().second);
          out.inner = at;
          variant = {};
        }
      }
      continue;
    }
    const Key* key = find_key(*at, part);
    if (key == nullptr) {
      if (near != nullptr) {
        near->clear();
        for (const Key& k : at->keys) near->emplace_back(k.name);
        for (const Variant& v : at->variants) near->emplace_back(v.value);
      }
      return std::nullopt;
    }
    out.key = key;
    out.section = at;
    at = inner_of(*key, *at, variant);
    out.inner = at;
    variant = {};
  }
  if (out.section == nullptr) out.inner = &section("topology");
  return out;
}

}  // namespace shardsim::app::keys
