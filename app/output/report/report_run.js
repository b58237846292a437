  // The report page's script, part 2 of 4 (see report_core.js): a run's sections (topology
  // diagram, time series, distributions, workload, cascade, outcome).
  // ---- topology diagram: shards on an ellipse filling the box, brokers just outside their home
  // shard. Built when the box exists, so that the layout matches its aspect ratio.
  function topologyCard(parent, run, title) {
    var t = run.topology || {};
    var shards = t.shards || [], brokers = t.brokers || [], links = t.links || [];
    var dl = t.default_link;
    var note = (links.length ? 'Arrows: links listed explicitly, labelled with their latency (~: median or mean). ' : '') +
               (dl && shards.length > 1 ? 'Every other pair of shards: default latency ' + (dl.latency || dl.latency_ms + ' ms') + ' (not drawn).' : '');
    var points = shards.length + brokers.length * 2 + links.length;
    chartCard(parent, title || 'Topology', points, function (box) {
      var W = Math.max(box.clientWidth, 300), H = Math.max(box.clientHeight, 200);
      // ECharts fits the nodes' bounding box into the series box: give both the same aspect.
      var padX = 170, padTop = 56, padBottom = 76;
      var rx = Math.max((W - 2 * padX) / 2, 60), ry = Math.max((H - padTop - padBottom) / 2, 40), cx = 0, cy = 0;
      var n = shards.length, angle = {}, nodes = [], edges = [];
      var small = n > 16;
      // Two invisible corners keep the bounding box the whole ellipse's, whatever the shard count.
      [[-rx, -ry], [rx, ry]].forEach(function (c, k) {
        nodes.push({name: 'corner:' + k, x: c[0], y: c[1], symbolSize: 0, label: {show: false}, tooltip: {show: false}});
      });
      shards.forEach(function (s, i) {
        var a = n === 2 ? Math.PI * (1 - i) : -Math.PI / 2 + 2 * Math.PI * i / Math.max(n, 1);
        angle[s.id] = a;
        var protos = (s.protocols || []).map(function (p) { return p.name + ' (' + p.kind + ')'; });
        var lines = small ? [s.id] : [s.id].concat(protos).concat(['slot ' + duration(s.slot_ms / 1000)]);
        var r = n === 1 ? 0 : 1;
        nodes.push({name: 'shard:' + s.id, x: cx + r * rx * Math.cos(a), y: cy + r * ry * Math.sin(a), category: 0,
                    symbolSize: small ? 14 : 30,
                    label: {show: true, formatter: lines.join('\n'), lineHeight: 14},
                    tooltip: {formatter: s.id + '<br>slot ' + s.slot_ms + ' ms<br>' + (protos.join('<br>') || 'no protocols') +
                              ((s.oracles || []).length ? '<br>oracles: ' + s.oracles.join(', ') : '')}});
      });
      // Brokers at one home fan out inward, one step apart, labels alternating sides so none overlap.
      var atHome = {};
      brokers.forEach(function (b) {
        var k = atHome[b.home] = (atHome[b.home] === undefined ? 0 : atHome[b.home] + 1);
        var a = (angle[b.home] === undefined ? 0 : angle[b.home]) + 0.3 + 0.45 * k;
        var r = n === 1 ? 0.35 + 0.2 * k : 0.62 - 0.16 * k;
        nodes.push({name: 'broker:' + b.name, x: cx + r * rx * Math.cos(a), y: cy + r * 0.8 * ry * Math.sin(a), category: 1,
                    symbol: 'roundRect', symbolSize: [small ? 14 : 26, small ? 14 : 20],
                    label: {show: true, formatter: b.name, position: k % 2 ? 'left' : 'right', fontWeight: 'bold'},
                    tooltip: {formatter: 'broker ' + b.name + '<br>home ' + b.home}});
        edges.push({source: 'broker:' + b.name, target: 'shard:' + b.home, symbol: ['none', 'none'],
                    lineStyle: {type: 'dashed', color: '#8e5bd6', width: 1.5}, label: {show: false}});
      });
      var paired = {};
      links.forEach(function (l) { paired[l.from + '>' + l.to] = true; });
      links.forEach(function (l) {
        var both = paired[l.to + '>' + l.from];
        var text = l.latency || (l.latency_ms + ' ms');
        edges.push({source: 'shard:' + l.from, target: 'shard:' + l.to,
                    lineStyle: {curveness: both ? 0.15 : 0, width: 1.6},
                    label: {show: !small, formatter: text},
                    tooltip: {formatter: l.from + ' → ' + l.to + ': ' + text}});
      });
      return base({
        grid: undefined, legend: {top: 0, data: ['shard', 'broker']},
        tooltip: {trigger: 'item', confine: true},
        series: [{type: 'graph', layout: 'none', coordinateSystem: null, roam: false, data: nodes, links: edges,
                  left: padX, right: padX, top: padTop, bottom: padBottom,
                  categories: [{name: 'shard', itemStyle: {color: '#2f6fdf'}}, {name: 'broker', itemStyle: {color: '#8e5bd6'}}],
                  edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8,
                  label: {position: 'bottom', fontSize: 11, color: '#1d2430'},
                  edgeLabel: {fontSize: 11, color: '#3d4a5c', backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3]},
                  lineStyle: {color: '#8391a7', opacity: 0.95}}]
      });
    }, {wide: true, tall: true, note: note});
  }

  // ---- time series
  function seriesData(ts, s) {
    var out = [];
    for (var i = 0; i < ts.t_s.length && i < s.values.length; ++i) {
      if (isNum(s.values[i])) out.push([ts.t_s[i], s.values[i]]);
    }
    return out;
  }
  // Faults as intervals [start, end] in seconds, from the summary's start/end events (a fault
  // still active at the end runs to the end of the data).
  function faultIntervals(run) {
    var open = {}, out = [];
    (run.faults || []).forEach(function (f) {
      if (!isNum(f.at_s)) return;
      if (f.event === 'start') open[f.fault] = f;
      else if (open[f.fault]) { out.push({from: open[f.fault].at_s, to: f.at_s, what: open[f.fault].what}); delete open[f.fault]; }
    });
    Object.keys(open).forEach(function (k) { out.push({from: open[k].at_s, to: lastTime(run.timeseries) || run.duration_s, what: open[k].what}); });
    return out.sort(function (a, b) { return a.from - b.from; });
  }
  // A series with every fault shaded (its own legend entry, so a reader can hide them); a fault
  // shorter than 0.5% of the axis (a 1 s crash in a 40 min run) is drawn that wide so it shows.
  function faultSeries(faults, spanS) {
    var minWidth = isNum(spanS) ? spanS * 0.005 : 0;
    return {name: 'faults', type: 'line', data: [], silent: false, color: '#c44536',
            markArea: {itemStyle: {color: 'rgba(196,69,54,0.16)'}, label: {show: false},
                       tooltip: {formatter: function (p) { return p.name; }},
                       data: faults.map(function (f) {
                         return [{name: 'fault ' + duration(f.from) + '–' + duration(f.to) + ': ' + f.what, xAxis: f.from},
                                 {xAxis: Math.max(f.to, f.from + minWidth)}];
                       })}};
  }
  // A legend that wraps instead of paging (at most kMaxLines + 2 entries): the plot starts below it.
  function wrappedLegend(names, widthPx) {
    var perLine = Math.max(widthPx - 40, 200), x = 0, lines = 1;
    names.forEach(function (n) {
      var w = 32 + 6.5 * String(n).length;
      if (x > 0 && x + w > perLine) { lines += 1; x = 0; }
      x += w;
    });
    return {legend: {top: 0, type: 'plain', left: 'center', width: perLine}, top: 36 + 20 * lines};
  }
  var kMaxLines = 8;
  // Beyond kMaxLines series, the kMaxLines with the largest peak stay and the rest become one line:
  // their largest value at each sample (so a legend never pages and a peak elsewhere still shows).
  function topSeries(list, ts) {
    if (list.length <= kMaxLines) return list;
    var peak = function (s) { return s.values.reduce(function (m, v) { return isNum(v) ? Math.max(m, Math.abs(v)) : m; }, 0); };
    var ranked = list.map(function (s, i) { return {s: s, i: i, p: peak(s)}; });
    ranked.sort(function (a, b) { return b.p - a.p || a.i - b.i; });
    var keep = ranked.slice(0, kMaxLines).sort(function (a, b) { return a.i - b.i; }).map(function (r) { return r.s; });
    var rest = ranked.slice(kMaxLines).map(function (r) { return r.s; });
    var values = ts.t_s.map(function (_, k) {
      var m = null;
      rest.forEach(function (s) { var v = s.values[k]; if (isNum(v) && (m === null || v > m)) m = v; });
      return m;
    });
    return keep.concat([{name: 'max of ' + rest.length + ' others', unit: list[0].unit, values: values}]);
  }
  function lineChart(parent, title, list, ts, opts) {
    opts = opts || {};
    var points = 0, unit = list.length ? list[0].unit : '';
    var series = topSeries(list, ts).map(function (s) {
      var d = seriesData(ts, s);
      points += d.length;
      var oracle = / oracle@/.test(s.name);
      return {name: s.name, type: 'line', data: d, showSymbol: false, connectNulls: true,
              step: oracle ? 'end' : false, lineStyle: {width: oracle ? 1.4 : 2, type: oracle ? 'solid' : 'solid'}};
    });
    if (points && opts.faults && opts.faults.length) series.push(faultSeries(opts.faults, lastTime(ts)));
    chartCard(parent, title, points, function (box) {
      var l = wrappedLegend(series.map(function (x) { return x.name; }), Math.max(box.clientWidth, 300));
      return base({xAxis: timeAxis(lastTime(ts)), yAxis: valueAxis(unit), series: series, legend: l.legend,
                   grid: {left: 72, right: 28, top: l.top, bottom: 46}});
    }, opts);
  }
  function timeSeriesSection(run, prefix) {
    var ts = run.timeseries;
    if (!ts || !ts.series) return;
    var faults = faultIntervals(run);
    var s = section(prefix + 'Time series',
                    'Sampled every ' + duration(run.timeseries_every_s) + ' of simulated time (also in timeseries.csv)' +
                    (faults.length ? '; faults shaded red (' + faults.length + ')' : '') +
                    '; beyond ' + kMaxLines + ' lines, the rest show as their maximum.');
    var g = grid(s);
    var groups = groupBy(ts.series, 'group');
    var prices = groups.map.prices || [];
    var byAsset = groupBy(prices, 'asset');
    if (!byAsset.order.length) chartCard(g, 'Prices: true and oracle', 0);
    byAsset.order.forEach(function (a) {
      lineChart(g, a + ': true price and oracle feeds', byAsset.map[a], ts, {faults: faults});
    });
    var titles = {exposure: 'Broker net exposure (house delta, USD)', margin: 'Broker margin requirement (net, USD)',
                  capital: 'Broker capital (house equity, USD)', bad_debt: 'Bad debt by layer (USD)',
                  mempool: 'Mempool depth per shard (peak txs between samples)'};
    ['exposure', 'margin', 'capital', 'bad_debt', 'mempool'].forEach(function (k) {
      lineChart(g, titles[k], groups.map[k] || [], ts, {faults: faults, empty: k === 'bad_debt' ? 'no data' : 'no data (no brokers)'});
    });
  }

  // ---- distributions (percentiles drawn as a CDF)
  // Latencies in ms, or in seconds when the largest is 10 s or more.
  function cdfChart(parent, title, list, opts) {
    var points = 0, withData = (list || []).filter(function (s) { return s.p_ms && s.p_ms.length; });
    var maxMs = withData.reduce(function (m, s) { return Math.max(m, s.p_ms[s.p_ms.length - 1]); }, 0);
    var scale = maxMs >= 10000 ? 1000 : 1;
    var series = topSeries(withData.map(function (s) { return {name: s.name, count: s.count, values: s.p_ms}; }),
                           {t_s: withData.length ? withData[0].p_ms : []}).map(function (s) {
      var d = s.values.map(function (v, i) { return [v / scale, i + 1]; });
      points += d.length;
      return {name: s.name + (s.count !== undefined ? ' (n=' + s.count + ')' : ''), type: 'line', data: d, showSymbol: false, step: 'end'};
    });
    chartCard(parent, title, points, base({
      xAxis: {type: 'value', name: scale === 1 ? 'ms' : 's', nameLocation: 'middle', nameGap: 28, scale: true},
      yAxis: {type: 'value', name: 'percentile', min: 0, max: 100},
      tooltip: {trigger: 'item', confine: true},
      series: series}), opts);
  }
  function distributionsSection(runs, prefix) {
    var withD = runs.filter(function (r) { return r.distributions; });
    if (!withD.length) return;
    var s = section(prefix + 'Distributions', 'Cumulative distributions: the share of observations at or below each latency.');
    var g = grid(s);
    function gather(key) {
      var out = [];
      withD.forEach(function (r) {
        var d = r.distributions[key];
        (d && d.series || []).forEach(function (x) {
          out.push({name: (withD.length > 1 ? r.name + ' ' : '') + x.name, count: x.count, p_ms: x.p_ms});
        });
      });
      return out;
    }
    cdfChart(g, 'Settlement latency (hedge sagas, per broker)', gather('settlement_latency_ms'), {empty: 'no data (no saga settled)'});
    cdfChart(g, 'Inclusion delay (submission to block, per shard)', gather('inclusion_delay_ms'));
    cdfChart(g, 'Cross-shard latency (emitting block to consuming block, per destination shard)', gather('cross_shard_latency_ms'),
             {empty: 'no data (no cross-shard receipt)'});
  }
  // The workload the run drove, as the summary counts it, and the cross-shard traffic.
  function workloadSection(run, prefix) {
    var w = run.workload, c = run.cross_shard;
    if (!w && !c) return;
    var s = section(prefix + 'Workload', 'What the agents and scripts submitted, and the cross-shard traffic (summary.json).');
    var rows = [];
    function flat(obj, path) {
      Object.keys(obj || {}).forEach(function (k) {
        var v = obj[k], name = path ? path + '.' + k : k;
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) flat(v, name);
        else if (!Array.isArray(v)) rows.push([name, isNum(v) ? fmt(v) : String(v)]);
      });
    }
    flat(w, 'workload');
    if (c) {
      rows.push(['cross-shard receipts consumed', fmt(c.messages, 0)]);
      rows.push(['cross-shard receipts in flight at the end', fmt(c.in_flight, 0)]);
      var l = c.latency_ms || {};
      ['p50', 'p90', 'p99'].forEach(function (q) {
        if (isNum(l[q])) rows.push(['cross-shard latency ' + q, l[q] >= 10000 ? fmt(l[q] / 1000, 1) + ' s' : fmt(l[q], 0) + ' ms']);
      });
    }
    table(s, ['figure', 'value'], rows);
  }

  // ---- cascade
  function cascadeSection(run, prefix) {
    var c = run.cascade;
    if (!c) return;
    var s = section(prefix + 'Cascade', 'Who lost to whom, in time order: roots (faults, scripted shocks and swaps, market moves), ' +
                    'the price moves of the feeds protocols read, liquidations, bad debt and insolvencies, each pointing at what its exposure followed from. Depth: ' +
                    (c.depth === undefined ? '–' : c.depth) + '.');
    var g = grid(s);
    var failures = c.failures || [];
    var kinds = groupBy(failures, 'what');
    var whos = [];
    failures.forEach(function (f) { if (whos.indexOf(f.who) < 0) whos.push(f.who); });
    var series = kinds.order.map(function (k) {
      return {name: k, type: 'scatter', symbolSize: 11,
              data: kinds.map[k].map(function (f) { return {value: [f.at_s, f.who], caused_by: f.caused_by}; })};
    });
    var byWho = {};
    failures.forEach(function (f) { byWho[f.who] = f; });
    var causeLinks = [];
    failures.forEach(function (f) {
      (f.causes || (f.caused_by ? [f.caused_by] : [])).forEach(function (c) {
        if (byWho[c]) causeLinks.push([{coord: [byWho[c].at_s, byWho[c].who]}, {coord: [f.at_s, f.who]}]);
      });
    });
    if (series.length && causeLinks.length) {
      series[0].markLine = {symbol: ['none', 'arrow'], symbolSize: 6, silent: true, label: {show: false},
                            lineStyle: {color: '#9aa5b5', type: 'dashed', width: 1}, data: causeLinks};
    }
    var card = chartCard(g, 'Cascade timeline', failures.length, base({
      grid: {left: 210, right: 24, top: 36, bottom: 46},
      tooltip: {trigger: 'item', confine: true, formatter: function (p) {
        return p.value[1] + '<br>' + p.seriesName + ' at ' + duration(p.value[0]) +
               (p.data.caused_by ? '<br>caused by ' + p.data.caused_by : '');
      }},
      xAxis: timeAxis(run.duration_s), yAxis: {type: 'category', data: whos, inverse: true, axisLabel: {width: 190, overflow: 'truncate'}},
      series: series}), {wide: true, empty: 'no failures: no fault, no protocol bad debt, no insolvent broker'});
    if (failures.length) {
      var tbl = el('table', 'events');
      var head = el('tr');
      ['time', 'who', 'what', 'caused by'].forEach(function (h) { head.appendChild(el('th', null, h)); });
      tbl.appendChild(head);
      failures.slice(0, 40).forEach(function (f) {
        var tr = el('tr');
        [duration(f.at_s), f.who, f.what, (f.causes && f.causes.length ? f.causes.join(', ') : f.caused_by) || '–'].forEach(function (v) { tr.appendChild(el('td', null, v)); });
        tbl.appendChild(tr);
      });
      card.appendChild(tbl);
      if (failures.length > 40) card.appendChild(el('p', 'note', (failures.length - 40) + ' more in summary.json'));
    }
    var bd = c.bad_debt || {};
    var layers = ['protocol', 'broker', 'default_fund', 'socialised'];
    var values = layers.map(function (k) { return isNum(bd[k]) ? bd[k] : 0; });
    var any = values.some(function (v) { return v !== 0; });
    chartCard(g, 'Bad debt and losses by layer at the end (USD)', any ? values.length : 0, base({
      tooltip: {trigger: 'axis', confine: true}, legend: {show: false},
      xAxis: {type: 'category', data: ['protocols', 'brokers', 'default fund', 'socialised']},
      yAxis: valueAxis('USD'),
      series: [{type: 'bar', data: values, barMaxWidth: 48, label: {show: true, position: 'top', formatter: function (p) { return fmt(p.value); }}}]
    }), {empty: 'no bad debt in any layer'});
    waterfallCard(g, run);
  }

  // One stacked bar per broker: what each layer of its default waterfall absorbed (summary brokers[].waterfall).
  function waterfallCard(parent, run) {
    var w = (run.cascade && run.cascade.waterfall) || {};
    var names = Object.keys(w);
    var layers = [['defaulter_margin_usd', "defaulters' margin"], ['defaulter_contribution_usd', "defaulters' contributions"],
                  ['house_capital_usd', 'house capital'], ['broker_fund_usd', "broker's fund"],
                  ['member_contributions_usd', "other clients' contributions"], ['socialised_usd', 'socialised to clients']];
    var any = names.some(function (n) { return layers.some(function (l) { return w[n][l[0]] > 0; }); });
    chartCard(parent, 'Default waterfall per broker: what each layer absorbed (USD)', any ? names.length : 0, base({
      tooltip: {trigger: 'axis', confine: true},
      xAxis: {type: 'category', data: names}, yAxis: valueAxis('USD'),
      series: layers.map(function (l) {
        return {name: l[1], type: 'bar', stack: 'w', barMaxWidth: 48, data: names.map(function (n) { return w[n][l[0]] || 0; })};
      })
    }), {empty: 'no loss reached a broker waterfall'});
  }

  // The run's outcome at a glance (app/output/headline.hpp): the same figures as the terminal.
  function headlineSection(run, prefix) {
    var h = run.headline;
    if (!h) return;
    var s = section(prefix + 'Outcome', 'fingerprint ' + (h.fingerprint || '?') + (h.complete === false ? ' — incomplete run' : ''));
    s.classList.add('headline');
    var layers = h.bad_debt_usd || {};
    var facts = Object.keys(layers).map(function (k) { return ['bad debt: ' + k.replace(/_/g, ' '), fmt(layers[k]) + ' USD']; });
    if (h.liquidations !== undefined) facts.push(['liquidations', fmt(h.liquidations, 0)]);
    if (h.cascade_depth !== undefined) facts.push(['cascade depth', fmt(h.cascade_depth, 0)]);
    table(s, ['outcome', 'value'], facts);
    var bs = h.brokers || [];
    if (bs.length) {
      table(s, ['broker', 'P&L (USD)', 'margin efficiency', 'hedges settled', 'hedges failed', 'settlement p50', 'settlement p99',
                'front-run loss (USD)', 'latency loss (USD)', 'solvent'],
            bs.map(function (b) {
              return [b.name, fmt(b.pnl_usd), fmt(b.margin_efficiency, 2) + 'x', fmt(b.hedges_settled, 0), fmt(b.hedges_failed, 0),
                      fmt(b.settlement_p50_s, 1) + ' s', fmt(b.settlement_p99_s, 1) + ' s', fmt(b.frontrun_loss_usd),
                      fmt(b.latency_loss_usd), b.insolvent ? 'INSOLVENT' : 'yes'];
            }));
    }
  }

  function runSections(run, prefix) {
    headlineSection(run, prefix);
    var s = section(prefix + 'Topology', (run.topology_file || '') + (run.seed !== undefined ? ' — seed ' + run.seed : ''));
    topologyCard(grid(s), run);
    timeSeriesSection(run, prefix);
    distributionsSection([run], prefix);
    workloadSection(run, prefix);
    cascadeSection(run, prefix);
  }
