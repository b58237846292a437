// report.html in a real browser: `shardsim run` writes the page, headless Chromium loads it from
// disk with no network, and the dumped DOM must show every chart drawn (an <svg> with data points),
// no JavaScript error, and data in the charts prime-broker must have. Compare- and sweep-kind pages
// built from small hand-written data go through the same check. A screenshot is kept in the build
// directory (report.png) for people to look at.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <optional>
#include <regex>
#include <utility>
#include <string>
#include <vector>

#include "app/output/atomic_file.hpp"
#include "app/output/report_html.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

namespace fs = std::filesystem;
using testing::read_file;

constexpr const char* kChromium = "/usr/bin/chromium";

fs::path build_dir() { return fs::path(SHARDSIM_BINARY).parent_path(); }

struct Browser {
  int exit_code = -1;
  std::string out, err;
};

// Runs headless Chromium on `page` with a fresh profile; `mode` is `--dump-dom` or `--screenshot=...`.
Browser chromium(const fs::path& page, const std::string& mode, const std::string& tag) {
  const fs::path dir = testing::scratch_dir("chromium-" + tag);
  const fs::path profile = dir / "profile";
  fs::remove_all(profile);
  fs::create_directories(profile);
  const std::string cmd = std::string(kChromium) +
                          " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                          " --disable-background-networking --disable-component-update --disable-sync"
                          " --user-data-dir='" + profile.string() + "' --virtual-time-budget=10000"
                          " --enable-logging=stderr --v=0 " + mode + " 'file://" + fs::absolute(page).string() +
                          "' > '" + (dir / "out.txt").string() + "' 2> '" + (dir / "err.txt").string() + "'";
  const int status = std::system(cmd.c_str());
  Browser b;
  b.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  b.out = read_file(dir / "out.txt");
  b.err = read_file(dir / "err.txt");
  fs::remove_all(profile);
  return b;
}

struct Chart {
  std::string title;
  bool rendered = false;
  long points = -1;
  bool has_svg = false;
  std::optional<std::pair<double, double>> y_extent;  // the value axis's drawn range
  std::string x_type;                                  // the x axis as drawn: value, category, ...
  std::string series;                                  // the drawn series' types, comma-separated
  int legend_items = -1, fault_areas = -1;             // named series, shaded fault intervals
};

struct Dom {
  int js_errors = -1;
  int charts_rendered = -1;
  std::vector<Chart> charts;
  int no_data = 0;
  std::string html;  // the whole DOM, for checks on tables
};

int attr_int(const std::string& tag, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(tag, m, std::regex(name + "=\"(-?[0-9]+)\""))) return -1;
  return std::stoi(m[1]);
}

// Reads what the page's script wrote into the DOM (see app/output/report_html.hpp).
Dom parse_dom(const std::string& html) {
  Dom d;
  d.html = html;
  std::smatch m;
  if (std::regex_search(html, m, std::regex("<body data-js-errors[^>]*>"))) {
    d.js_errors = attr_int(m.str(), "data-js-errors");
    d.charts_rendered = attr_int(m.str(), "data-charts-rendered");
  }
  const std::regex chart_tag("<div class=\"chart( tall)?\"[^>]*>");
  std::vector<std::pair<std::size_t, std::string>> tags;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), chart_tag); it != std::sregex_iterator(); ++it) {
    tags.emplace_back(static_cast<std::size_t>(it->position()), it->str());
  }
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::size_t end = i + 1 < tags.size() ? tags[i + 1].first : html.size();
    const std::string body = html.substr(tags[i].first, end - tags[i].first);
    Chart c;
    std::smatch t;
    if (std::regex_search(tags[i].second, t, std::regex("data-title=\"([^\"]*)\""))) c.title = t[1];
    c.rendered = tags[i].second.find("data-rendered=\"1\"") != std::string::npos;
    c.points = attr_int(tags[i].second, "data-points");
    c.legend_items = attr_int(tags[i].second, "data-legend-items");
    c.fault_areas = attr_int(tags[i].second, "data-fault-areas");
    c.has_svg = body.find("<svg") != std::string::npos && body.find("<path") != std::string::npos;
    if (std::regex_search(tags[i].second, t, std::regex("data-y-extent=\"(-?[0-9.e+-]+),(-?[0-9.e+-]+)\""))) {
      c.y_extent = std::make_pair(std::stod(t[1]), std::stod(t[2]));
    }
    if (std::regex_search(tags[i].second, t, std::regex("data-x-type=\"([a-z]*)\""))) c.x_type = t[1];
    if (std::regex_search(tags[i].second, t, std::regex("data-series=\"([a-z,]*)\""))) c.series = t[1];
    d.charts.push_back(c);
  }
  for (std::size_t p = html.find("class=\"no-data\""); p != std::string::npos; p = html.find("class=\"no-data\"", p + 1)) ++d.no_data;
  return d;
}

// Loads `page` and checks what every page must satisfy; returns the DOM for more checks.
Dom check_page(const fs::path& page, const std::string& tag) {
  EXPECT_TRUE(fs::exists(kChromium)) << kChromium << " is missing: `make test` installs it (Debian package chromium)";
  if (!fs::exists(kChromium)) return {};
  const Browser b = chromium(page, "--dump-dom", tag);
  EXPECT_EQ(b.exit_code, 0) << b.err;
  // Chromium is chatty on stderr; only a page's own console error counts.
  std::istringstream err(b.err);
  for (std::string line; std::getline(err, line);) {
    EXPECT_EQ(line.find("Uncaught"), std::string::npos) << line;
  }
  const Dom d = parse_dom(b.out);
  EXPECT_EQ(d.js_errors, 0) << b.out.substr(0, 2000);
  EXPECT_GT(d.charts.size(), 0u);
  EXPECT_EQ(d.charts_rendered, static_cast<int>(d.charts.size()));
  for (const Chart& c : d.charts) {
    EXPECT_TRUE(c.rendered) << c.title;
    EXPECT_TRUE(c.has_svg) << c.title;
    EXPECT_GT(c.points, 0) << c.title;
  }
  return d;
}

const Chart* find_chart(const Dom& d, const std::string& title_part) {
  for (const Chart& c : d.charts) {
    if (c.title.find(title_part) != std::string::npos) return &c;
  }
  return nullptr;
}

TEST(ReportBrowser, RunPageDrawsEveryChart) {
  const fs::path out = build_dir() / "report-test";
  fs::remove_all(out);
  const testing::ProcessResult r =
      testing::run_shardsim("run topologies/prime-broker.yaml --quiet --out '" + out.string() + "'", "report-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(out / "summary.json"));
  ASSERT_TRUE(fs::exists(out / "timeseries.csv"));
  EXPECT_EQ(read_file(out / "timeseries.csv").rfind("t_s,", 0), 0u);
  const Dom d = check_page(out / "report.html", "run");
  // prime-broker must have these: its topology, ETH and BTC prices with oracles, sagas that settled.
  for (const char* title : {"Topology", "ETH: true price", "BTC: true price", "Settlement latency",
                                   "Inclusion delay", "Broker margin", "Broker capital", "Mempool depth"}) {
    const Chart* c = find_chart(d, title);
    ASSERT_NE(c, nullptr) << title << " is not drawn (a \"no data\" note?)";
    EXPECT_GT(c->points, 0) << title;
  }
  // 2h sampled every minute: 121 points per series; ETH has its true path and four oracle feeds,
  // which have no round yet at 0.
  EXPECT_EQ(find_chart(d, "ETH: true price")->points, 121 + 4 * 120);
  EXPECT_EQ(find_chart(d, "Broker capital")->points, 121);
  // The outcome opens the page, with the fingerprint the terminal printed.
  const std::string dom = chromium(out / "report.html", "--dump-dom", "run-dom").out;
  const std::size_t outcome = dom.find("<h2>Outcome</h2>");
  ASSERT_NE(outcome, std::string::npos);
  EXPECT_LT(outcome, dom.find("<h2>Topology</h2>"));
  const std::string fingerprint = r.out.substr(r.out.find("fingerprint=") + 12, 16);
  EXPECT_NE(dom.find("fingerprint " + fingerprint), std::string::npos) << fingerprint;
  EXPECT_NE(dom.find("margin efficiency"), std::string::npos);

  if (!fs::exists(kChromium)) return;
  const fs::path png = build_dir() / "report.png";
  fs::remove(png);
  const Browser shot = chromium(out / "report.html", "--screenshot='" + png.string() + "' --window-size=1400,4000", "shot");
  EXPECT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 10'000u);
  EXPECT_EQ(read_file(png).substr(1, 3), "PNG");
}

// A run with faults shades each fault's interval on every time series; a 64-shard run keeps its
// mempool legend to 8 shards and the maximum of the rest; the cross-shard latency is drawn; a run
// stopped by a limit says so in its banner.
TEST(ReportBrowser, RunPageShadesFaultsKeepsLegendsShortAndSaysWhyARunIsIncomplete) {
  const fs::path out = build_dir() / "report-faults";
  fs::remove_all(out);
  testing::ProcessResult r = testing::run_shardsim("run topologies/halt-mid-hedge.yaml --quiet --out '" + out.string() + "'", "report-faults");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json summary = nlohmann::json::parse(read_file(out / "summary.json"));
  int starts = 0;
  for (const auto& f : summary.at("faults")) starts += f.at("event") == "start" ? 1 : 0;
  ASSERT_GT(starts, 0);
  Dom d = check_page(out / "report.html", "faults");
  int shaded = 0;
  for (const char* title : {"true price", "Broker capital", "Broker net exposure", "Mempool depth"}) {
    const Chart* c = find_chart(d, title);
    ASSERT_NE(c, nullptr) << title;
    EXPECT_EQ(c->fault_areas, starts) << title;
    shaded += c->fault_areas > 0 ? 1 : 0;
  }
  EXPECT_EQ(shaded, 4);
  ASSERT_NE(find_chart(d, "Cross-shard latency"), nullptr);

  const fs::path wide = build_dir() / "report-wide";
  fs::remove_all(wide);
  r = testing::run_shardsim("run topologies/eth2-64.yaml --param duration=5m --quiet --out '" + wide.string() + "'", "report-wide");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  d = check_page(wide / "report.html", "wide");
  const Chart* mempool = find_chart(d, "Mempool depth");
  ASSERT_NE(mempool, nullptr);
  EXPECT_EQ(mempool->legend_items, 9);  // 8 shards with the highest peaks + "max of 56 others"
  EXPECT_EQ(mempool->fault_areas, 0);

  const fs::path dir = testing::scratch_dir("report-limit");
  const fs::path topo = dir / "limited.yaml";
  std::string yaml = read_file("topologies/prime-broker.yaml");
  ASSERT_EQ(yaml.find("\nlimits:"), std::string::npos);
  app::write_file_atomically(topo.string(), yaml + "\nlimits: {max_events: 5000}\n");
  const fs::path lim = build_dir() / "report-limit";
  fs::remove_all(lim);
  r = testing::run_shardsim("run '" + topo.string() + "' --quiet --out '" + lim.string() + "'", "report-limit");
  EXPECT_EQ(r.exit_code, 3) << r.err;  // a limit was hit
  const std::string dom = chromium(lim / "report.html", "--dump-dom", "limit-dom").out;
  EXPECT_NE(dom.find("is incomplete: a limit was hit at sim time"), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("max_events"), std::string::npos);
}

nlohmann::json small_topology(const std::string& broker_home) {
  return {{"shards", {{{"id", "l2"}, {"slot_ms", 2000}, {"protocols", nlohmann::json::array()}},
                      {{"id", "perps"}, {"slot_ms", 2000}, {"protocols", {{{"name", "dydx"}, {"kind", "perps"}}}}}}},
          {"brokers", {{{"name", "prime"}, {"home", broker_home}}}},
          {"links", {{{"from", "l2"}, {"to", "perps"}, {"latency_ms", 4000}, {"latency", "~4s"}}}},
          {"default_link", {{"latency_ms", 24000}, {"latency", "24s"}}}};
}

nlohmann::json row(const std::string& topology, double mean, const nlohmann::json& diff) {
  return {{"topology", topology}, {"n", 3}, {"mean", mean}, {"ci_low", mean - 1}, {"ci_high", mean + 1}, {"diff", diff}};
}

TEST(ReportBrowser, ComparePageDrawsVerdictsDifferencesBoxplotsAndTopologies) {
  const nlohmann::json diff = {{"n", 2}, {"mean", 2.0}, {"ci_low", 1.0}, {"ci_high", 3.0}};
  nlohmann::json b = row("B", 6000, diff);
  b["verdict"] = "worse";
  b["verdict_text"] = "A better";
  const nlohmann::json data = {
      {"kind", "compare"}, {"title", "compare </script> A B"}, {"generated_by", "shardsim test"},
      {"runs", {{{"name", "A"}, {"seed", 1}, {"topology", small_topology("l2")}},
                {{"name", "B"}, {"seed", 1}, {"topology", small_topology("perps")}}}},
      {"compare",
       {{"topologies", {"A", "B"}}, {"seeds", 3}, {"first_seed", 1}, {"warnings", {"only 3 seeds per topology"}},
        {"metrics", {{{"key", "settlement_p50_ms"}, {"label", "settlement p50"}, {"unit", "ms"}, {"better", "lower"},
                      {"rows", {row("A", 4000, nullptr), b}}},
                     {{"key", "bad_debt_usd"}, {"label", "bad debt"}, {"unit", "USD"}, {"better", "lower"},
                      {"rows", {row("A", 0, nullptr), row("B", 0, nullptr)}}},
                     {{"key", "failed"}, {"label", "failed sagas"}, {"unit", "count"}, {"better", "lower"},
                      {"rows", {row("A", 0, nullptr), row("B", 0, nullptr)}}}}},
        {"samples", {{"settlement_p50_ms", {{"A", {3900, 4000, 4100}}, {"B", {5900, nullptr, 6100}}}},
                     {"bad_debt_usd", {{"A", {nullptr, nullptr, nullptr}}, {"B", {nullptr, nullptr, nullptr}}}},
                     {"failed", {{"A", {0, 0, 0}}, {"B", {0, 0, 0}}}}}}}}};
  const fs::path page = build_dir() / "report-test-compare" / "compare.html";
  app::write_file_atomically(page.string(), app::render_report_html(data));
  const Dom d = check_page(page, "compare");
  // settlement p50: a per-seed difference chart (2 seeds have both layouts) and a boxplot; bad
  // debt has no sample (two notes); failed sagas are 0 everywhere (named in a note, not drawn);
  // a diagram per topology.
  EXPECT_EQ(d.charts.size(), 4u);
  EXPECT_EQ(d.no_data, 2);
  const Chart* diffs = find_chart(d, "settlement p50 (ms): per-seed difference from A");
  ASSERT_NE(diffs, nullptr);
  EXPECT_EQ(diffs->points, 2);
  ASSERT_TRUE(diffs->y_extent.has_value());
  EXPECT_LE(diffs->y_extent->first, 0.0);  // bars start at 0
  ASSERT_NE(find_chart(d, "settlement p50 (ms)"), nullptr);
  const auto diagram = std::find_if(d.charts.begin(), d.charts.end(), [](const Chart& c) { return c.title == "A"; });
  ASSERT_NE(diagram, d.charts.end());
  EXPECT_EQ(diagram->points, 2 + 2 + 1);  // 2 shards, the broker and its home edge, 1 link
  // The verdict is in the table, coloured by it (red: A better), and the warning is shown.
  EXPECT_NE(d.html.find("data-verdict=\"worse\""), std::string::npos);
  EXPECT_NE(d.html.find("class=\"verdict sig-worse\">A better</td>"), std::string::npos);
  EXPECT_NE(d.html.find("Warning: only 3 seeds per topology"), std::string::npos);
  EXPECT_NE(d.html.find("(not drawn): failed sagas"), std::string::npos);
}

TEST(ReportBrowser, SweepPageDrawsMeanAndBandPerMetric) {
  nlohmann::json points = nlohmann::json::array();
  for (const int latency_s : {2, 8, 20}) {
    const double m = 1000.0 * latency_s;
    points.push_back({{"label", "latency=" + std::to_string(latency_s) + "s"},
                      {"params", {{"links.pairs.0.latency.median", std::to_string(latency_s) + "s"}}},
                      {"metrics", {{"settlement_p50_ms", {{"n", 4}, {"mean", m}, {"ci_low", m * 0.9}, {"ci_high", m * 1.1}}},
                                   {"throughput", {{"n", 4}, {"mean", 50 - latency_s}, {"ci_low", nullptr}, {"ci_high", nullptr}}}}}});
  }
  // A metric whose every bound is negative (a broker's P&L): its band must stay below 0.
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double m = -10'000.0 - 1'000.0 * static_cast<double>(i);
    points[i]["metrics"]["broker_pnl_usd"] = {{"n", 4}, {"mean", m}, {"ci_low", m - 3'000}, {"ci_high", m + 3'000}};
  }
  const nlohmann::json data = {
      {"kind", "sweep"}, {"title", "sweep"},
      {"sweep", {{"params", {"links.pairs.0.latency.median"}}, {"seeds", 4},
                 {"metrics", {{{"key", "settlement_p50_ms"}, {"label", "settlement p50"}, {"unit", "ms"}},
                              {{"key", "throughput"}, {"label", "throughput"}, {"unit", "tx/s"}},
                              {{"key", "failed_sagas"}, {"label", "failed sagas"}, {"unit", ""}},
                              {{"key", "broker_pnl_usd"}, {"label", "broker P&L"}, {"unit", "USD"}}}},
                 {"points", points}}}};
  const fs::path page = build_dir() / "report-test-sweep" / "sweep.html";
  app::write_file_atomically(page.string(), app::render_report_html(data));
  const Dom d = check_page(page, "sweep");
  EXPECT_EQ(d.charts.size(), 3u);  // failed sagas has no point: a note
  EXPECT_EQ(d.no_data, 1);
  ASSERT_NE(find_chart(d, "settlement p50"), nullptr);
  EXPECT_EQ(find_chart(d, "settlement p50")->points, 3);
  // Bounds from -15,000 to -7,000: the axis (and so the band) lies below 0 and reaches -15,000.
  const Chart* pnl = find_chart(d, "broker P&amp;L");
  ASSERT_NE(pnl, nullptr);
  ASSERT_TRUE(pnl->y_extent.has_value());
  EXPECT_LE(pnl->y_extent->first, -15'000.0);
  EXPECT_LE(pnl->y_extent->second, 0.0);
  EXPECT_EQ(pnl->x_type, "category");  // no `axes` (older data): the points in order
}

// A sweep point of hand-written data: `params` as written, `values` for the numeric ones, one metric.
nlohmann::json sweep_point(const nlohmann::json& params, const nlohmann::json& values, double mean) {
  std::string label;
  for (const auto& [k, v] : params.items()) label += (label.empty() ? "" : " ") + k + "=" + v.get<std::string>();
  return {{"label", label}, {"params", params}, {"values", values},
          {"metrics", {{"broker_pnl_usd", {{"n", 4}, {"mean", mean}, {"ci_low", mean - 3'000}, {"ci_high", mean + 3'000}}}}}};
}

fs::path write_sweep_page(const std::string& name, const nlohmann::json& axes, const nlohmann::json& points) {
  const nlohmann::json data = {
      {"kind", "sweep"}, {"title", "sweep " + name},
      {"sweep", {{"params", nlohmann::json::array()}, {"axes", axes}, {"seeds", 4},
                 {"metrics", {{{"key", "broker_pnl_usd"}, {"label", "broker P&L"}, {"unit", "USD"}}}},
                 {"points", points}}}};
  const fs::path page = build_dir() / ("report-test-" + name) / "sweep.html";
  app::write_file_atomically(page.string(), app::render_report_html(data));
  return page;
}

// A numeric parameter is a value axis; a second, listed parameter is a line (with its band) per
// value, not more categories on one axis.
TEST(ReportBrowser, SweepPageDrawsNumericParameterAsValueAxisWithALinePerSecondParameter) {
  const nlohmann::json axes = {{{"path", "brokers.prime.hedging.policy"}, {"name", "policy"}, {"numeric", false}, {"unit", ""}},
                               {{"path", "links.pairs.0.latency.median"}, {"name", "median"}, {"numeric", true}, {"unit", "s"}}};
  nlohmann::json points = nlohmann::json::array();
  for (const char* policy : {"immediate", "batch"}) {
    for (const int s : {1, 2, 20}) {
      points.push_back(sweep_point({{"brokers.prime.hedging.policy", policy}, {"links.pairs.0.latency.median", std::to_string(s) + "s"}},
                                   {{"links.pairs.0.latency.median", s}}, -1'000.0 * s - (policy[0] == 'b' ? 5'000 : 0)));
    }
  }
  const Dom d = check_page(write_sweep_page("sweep-lines", axes, points), "sweep-lines");
  ASSERT_EQ(d.charts.size(), 1u);
  EXPECT_EQ(d.charts[0].x_type, "value");
  EXPECT_EQ(d.charts[0].series, "line,custom,line,custom");  // a mean line and its band per policy
  EXPECT_EQ(d.charts[0].points, 6);
  ASSERT_TRUE(d.charts[0].y_extent.has_value());
  EXPECT_LE(d.charts[0].y_extent->first, -28'000.0);  // the lowest band bound: -25,000 - 3,000
}

// Two sampled ranges (no two points share a value): a heatmap of one against the other.
TEST(ReportBrowser, SweepPageDrawsTwoSampledParametersAsAHeatmap) {
  const nlohmann::json axes = {
      {{"path", "links.pairs.0.latency.median"}, {"name", "median"}, {"numeric", true}, {"unit", "s"}, {"range", "1s..20s"}},
      {{"path", "brokers.prime.settlement.timeout"}, {"name", "timeout"}, {"numeric", true}, {"unit", "slots"}, {"range", "5..40 slots"}}};
  nlohmann::json points = nlohmann::json::array();
  for (int i = 0; i < 6; ++i) {
    const int latency = 1 + 3 * i, timeout = 40 - 6 * i;
    points.push_back(sweep_point({{"links.pairs.0.latency.median", std::to_string(latency) + "s"},
                                  {"brokers.prime.settlement.timeout", std::to_string(timeout) + " slots"}},
                                 {{"links.pairs.0.latency.median", latency}, {"brokers.prime.settlement.timeout", timeout}},
                                 -500.0 * latency));
  }
  const Dom d = check_page(write_sweep_page("sweep-heatmap", axes, points), "sweep-heatmap");
  ASSERT_EQ(d.charts.size(), 1u);
  EXPECT_EQ(d.charts[0].x_type, "value");
  EXPECT_EQ(d.charts[0].series, "scatter");
  EXPECT_EQ(d.charts[0].points, 6);
}

// `shardsim risk` writes a page with, per broker, its P&L over seeds as a histogram and the mean
// P&L as a waterfall of fees and costs; lehman has two brokers, each with both charts.
TEST(ReportBrowser, RiskPageDrawsLossDistributionAndWaterfallPerBroker) {
  const fs::path out = build_dir() / "report-risk";
  fs::remove_all(out);
  const testing::ProcessResult r =
      testing::run_shardsim("risk topologies/lehman.yaml --seeds 6 --jobs 2 --quiet --out '" + out.string() + "'", "report-risk");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Dom d = check_page(out / "report.html", "risk-cmd");
  EXPECT_EQ(d.charts.size(), 4u);
  for (const char* broker : {"giant", "small"}) {
    // (Titles come HTML-escaped: P&amp;L.)
    const Chart* dist = find_chart(d, std::string(broker) + ": P&amp;L over seeds");
    const Chart* fall = find_chart(d, std::string(broker) + ": mean P&amp;L");
    ASSERT_NE(dist, nullptr) << broker;
    ASSERT_NE(fall, nullptr) << broker;
    // The fees, the six hedging costs, the bad debt its capital absorbed, positions and other, and
    // the mean itself.
    EXPECT_EQ(fall->points, 10) << broker;
  }
  const std::string html = read_file(out / "report.html");
  EXPECT_NE(html.find("\"pnl_samples_usd\""), std::string::npos);

  // compare --risk draws the same per topology, named by it.
  const fs::path cmp = build_dir() / "report-compare-risk";
  fs::remove_all(cmp);
  const testing::ProcessResult c = testing::run_shardsim(
      "compare topologies/lehman.yaml topologies/fire-sale.yaml --seeds 2 --risk --quiet --out '" + cmp.string() + "'",
      "report-compare-risk");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const Dom dc = check_page(cmp / "report.html", "compare-risk");
  EXPECT_NE(find_chart(dc, "fire-sale: giant: P&amp;L over seeds"), nullptr);
  EXPECT_NE(find_chart(dc, "lehman: small: mean P&amp;L"), nullptr);
}

// The pages the commands write (not hand-built data): compare and sweep over real replicas.
TEST(ReportBrowser, CompareAndSweepCommandsWritePagesThatDraw) {
  const fs::path cmp = build_dir() / "report-compare";
  fs::remove_all(cmp);
  const testing::ProcessResult c = testing::run_shardsim(
      "compare topologies/prime-broker.yaml topologies/halt-mid-hedge.yaml --seeds 2 --quiet --out '" + cmp.string() + "'",
      "report-compare");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const Dom dc = check_page(cmp / "report.html", "compare-cmd");
  EXPECT_NE(find_chart(dc, "broker prime: settlement latency p50 (ms): per-seed difference from prime-broker"), nullptr);
  EXPECT_NE(find_chart(dc, "prime-broker"), nullptr);  // a topology diagram per layout
  // The layouts' time series drawn over each other: capital of both layouts' prime.
  const Chart* capital = find_chart(dc, "Broker capital (house equity, USD): layouts overlaid");
  ASSERT_NE(capital, nullptr);
  EXPECT_GT(capital->points, 0);
  EXPECT_NE(dc.html.find("data-verdict=\"worse\""), std::string::npos);  // the halt settles later

  const fs::path sw = build_dir() / "report-sweep";
  fs::remove_all(sw);
  const testing::ProcessResult s = testing::run_shardsim(
      "sweep topologies/prime-broker.yaml --param links.pairs.0.latency.median=range:1s..20s --sample lhs:3 --seeds 1 "
      "--quiet --out '" + sw.string() + "'",
      "report-sweep");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const Dom ds = check_page(sw / "report.html", "sweep-cmd");
  const Chart* p50 = find_chart(ds, "settlement latency p50");
  ASSERT_NE(p50, nullptr);
  EXPECT_EQ(p50->points, 3);
  EXPECT_EQ(p50->x_type, "value");  // the sampled latency on a numeric axis
}

}  // namespace
}  // namespace shardsim
