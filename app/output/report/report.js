// The report page's script: reads the embedded JSON (see app/output/report_html.hpp for its shape) and
// builds the ECharts options (SVG renderer) for a run, a compare or a sweep. A chart without data
// becomes a "no data" note. When done: each chart container has data-rendered="1" and
// data-points, and <body data-charts-rendered> counts them.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('report');
  var pending = [];  // {el, option, points}
  var PALETTE = ['#2f6fdf', '#e8684a', '#2a9d8f', '#f2a93b', '#8e5bd6', '#d6487e', '#5b8c2a', '#6b7b8c',
                 '#1b998b', '#c44536', '#3d5a80', '#b07d2b'];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmt(v, digits) {
    if (!isNum(v)) return '–';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e9 || a < 1e-3)) return v.toExponential(2);
    return v.toLocaleString('en-US', {maximumFractionDigits: digits === undefined ? (a >= 100 ? 0 : a >= 1 ? 2 : 4) : digits});
  }
  function duration(s) {
    if (!isNum(s)) return '';
    var neg = s < 0; s = Math.abs(s);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.round(s % 60);
    var out = h > 0 ? h + 'h' + (m ? String(m).padStart(2, '0') + 'm' : '') : m > 0 ? m + 'm' + (sec ? sec + 's' : '') : sec + 's';
    return (neg ? '-' : '') + out;
  }
  function section(title, note) {
    var s = el('section');
    s.appendChild(el('h2', null, title));
    if (note) s.appendChild(el('p', 'note', note));
    root.appendChild(s);
    return s;
  }
  function grid(parent) { var g = el('div', 'grid'); parent.appendChild(g); return g; }
  // A card with a chart, or a "no data" note when points == 0.
  function chartCard(parent, title, points, option, opts) {
    opts = opts || {};
    var card = el('div', 'card' + (opts.wide ? ' wide' : ''));
    card.appendChild(el('h3', null, title));
    if (opts.note) card.appendChild(el('p', 'note', opts.note));
    if (!points) {
      card.appendChild(el('div', 'no-data', opts.empty || 'no data'));
    } else {
      var box = el('div', 'chart' + (opts.tall ? ' tall' : ''));
      box.setAttribute('data-title', title);
      card.appendChild(box);
      pending.push({el: box, option: option, points: points});
    }
    parent.appendChild(card);
    return card;
  }
  function base(extra) {
    var o = {animation: false, color: PALETTE, textStyle: {fontFamily: 'Helvetica, Arial, sans-serif'},
             grid: {left: 72, right: 28, top: 58, bottom: 46},
             tooltip: {trigger: 'axis', confine: true}, legend: {top: 0, type: 'scroll'}};
    for (var k in extra) o[k] = extra[k];
    return o;
  }
  // Simulated time in seconds, ticks at round durations from 0 to maxS.
  function timeAxis(maxS) {
    var steps = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
    var axis = {type: 'value', name: 'sim time', nameLocation: 'middle', nameGap: 28, min: 0,
                axisLabel: {formatter: duration, hideOverlap: true}, splitLine: {show: false}};
    if (isNum(maxS) && maxS > 0) {
      var step = steps[steps.length - 1];
      for (var i = 0; i < steps.length; ++i) { if (maxS / steps[i] <= 8) { step = steps[i]; break; } }
      axis.max = maxS;
      axis.interval = step;
    }
    return axis;
  }
  function lastTime(ts) { return ts && ts.t_s && ts.t_s.length ? ts.t_s[ts.t_s.length - 1] : undefined; }
  function valueAxis(name) {
    return {type: 'value', name: name || '', scale: true, nameTextStyle: {align: 'right'},
            axisLabel: {formatter: function (v) { return fmt(v); }}};
  }
  function groupBy(list, key) {
    var out = {}, order = [];
    list.forEach(function (x) {
      var k = x[key];
      if (!(k in out)) { out[k] = []; order.push(k); }
      out[k].push(x);
    });
    return {map: out, order: order};
  }

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

  // ---- compare
  function quantile(sorted, q) {
    var pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
  function ci(r) { return isNum(r.mean) && r.n !== 0 ? fmt(r.mean) + ' [' + fmt(r.ci_low) + ', ' + fmt(r.ci_high) + ']' : '–'; }
  function signedCi(r) { return isNum(r.mean) ? (r.mean >= 0 ? '+' : '') + ci(r) : '–'; }
  // Colours by verdict, never by sign: green when the row's layout is better than A, red when
  // A is better, blue for a significant difference in a descriptive metric, grey otherwise.
  var VERDICT_COLOR = {better: '#1e7b34', worse: '#c0392b', higher: '#2f6fdf', lower: '#2f6fdf'};
  function verdictColor(v) { return VERDICT_COLOR[v] || '#8a94a6'; }
  function metricTitle(m) { return m.label + (m.unit ? ' (' + m.unit + ')' : ''); }
  // Per seed index, topology t's value minus A's (null where either is missing).
  function seedDiffs(samples, a, t) {
    var va = samples[a] || [], vt = samples[t] || [];
    return vt.map(function (x, i) { return isNum(x) && isNum(va[i]) ? x - va[i] : null; });
  }
  // True when every seed of every topology has the same value (e.g. 0 bad debt everywhere).
  function constantMetric(samples, tops) {
    var seen = null, same = true;
    tops.forEach(function (t) {
      (samples[t] || []).forEach(function (x) {
        if (!isNum(x)) return;
        if (seen === null) seen = x; else if (x !== seen) same = false;
      });
    });
    return seen !== null && same;
  }
  function compareWarnings(c, parent) {
    (c.warnings || []).forEach(function (w) { parent.appendChild(el('p', 'warning', 'Warning: ' + w)); });
  }
  function compareTable(c, s) {
    var tbl = el('table', 'metrics');
    var thead = el('thead'), hr = el('tr');
    ['metric', 'topology', 'n', 'mean [95% CI]', 'difference from A, paired [95% CI]', 'verdict'].forEach(function (h) { hr.appendChild(el('th', null, h)); });
    thead.appendChild(hr); tbl.appendChild(thead);
    var tb = el('tbody');
    (c.metrics || []).forEach(function (m) {
      (m.rows || []).forEach(function (r, i) {
        var tr = el('tr');
        tr.setAttribute('data-metric', m.key);
        tr.setAttribute('data-topology', r.topology);
        tr.setAttribute('data-verdict', r.verdict || (i === 0 ? 'baseline' : ''));
        var name = el('td', null, i === 0 ? metricTitle(m) : '');
        if (i === 0) name.title = 'better: ' + (m.better || 'neutral') + (m.path ? '; summary.json path ' + m.path : '');
        tr.appendChild(name);
        tr.appendChild(el('td', null, r.topology));
        tr.appendChild(el('td', null, r.n));
        tr.appendChild(el('td', null, ci(r)));
        var d = el('td', null, r.diff ? signedCi(r.diff) : (i === 0 ? 'baseline (A)' : '–'));
        var v = el('td', 'verdict', i === 0 ? '' : (r.verdict_text || '–'));
        var cls = {better: 'sig-better', worse: 'sig-worse', higher: 'sig-differs', lower: 'sig-differs'}[r.verdict];
        if (cls) { d.className = cls; v.className = 'verdict ' + cls; }
        tr.appendChild(d);
        tr.appendChild(v);
        tb.appendChild(tr);
      });
    });
    tbl.appendChild(tb);
    s.appendChild(tbl);
  }
  // A value axis that always holds 0, so bars start from it.
  function zeroAxis(unit) { var a = valueAxis(unit); a.scale = false; return a; }
  // Per metric: bars of each layout's per-seed difference from A, the mean difference as a line
  // and its 95% CI as a band, coloured by the verdict.
  function seedDiffCharts(c, parent, shown) {
    var tops = c.topologies || [], first = isNum(c.first_seed) ? c.first_seed : 1;
    var g = grid(parent);
    shown.forEach(function (m) {
      var samples = (c.samples || {})[m.key] || {}, points = 0, series = [], n = 0;
      tops.forEach(function (t, k) {
        if (k === 0) return;
        var row = (m.rows || [])[k] || {}, color = verdictColor(row.verdict), d = seedDiffs(samples, tops[0], t);
        n = Math.max(n, d.length);
        var data = d.map(function (x, i) { if (isNum(x)) points += 1; return [String(first + i), x]; });
        var ser = {name: t + ' − ' + tops[0], type: 'bar', data: data, barMaxWidth: 28, itemStyle: {color: color, opacity: 0.8}};
        if (row.diff && isNum(row.diff.mean)) {
          ser.markLine = {symbol: 'none', silent: true, data: [{yAxis: row.diff.mean, name: 'mean'}],
                          lineStyle: {color: color, type: 'solid', width: 2}, label: {position: 'insideEndTop', formatter: function () { return 'mean ' + fmt(row.diff.mean); }}};
          if (row.diff.n >= 2) ser.markArea = {silent: true, itemStyle: {color: color, opacity: 0.12},
                                               data: [[{yAxis: row.diff.ci_low}, {yAxis: row.diff.ci_high}]]};
        }
        series.push(ser);
      });
      var seeds = [];
      for (var i = 0; i < n; ++i) seeds.push(String(first + i));
      var verdicts = (m.rows || []).slice(1).map(function (r) { return r.verdict_text || '–'; }).join('; ');
      chartCard(g, metricTitle(m) + ': per-seed difference from ' + tops[0], points, base({
        tooltip: {trigger: 'axis', confine: true},
        xAxis: {type: 'category', name: 'seed', nameLocation: 'middle', nameGap: 28, data: seeds},
        yAxis: zeroAxis(m.unit), series: series
      }), {note: 'Verdict: ' + verdicts + ' (better: ' + (m.better || 'neutral') + ').', empty: 'no seed has both layouts'});
    });
  }
  // The layouts' time series drawn over each other (each layout's first seed).
  function overlaySection(c, runs) {
    var withTs = runs.filter(function (r) { return r.timeseries && r.timeseries.series; });
    if (!withTs.length) return;
    var s = section('Time series, layouts overlaid',
                    'Each layout\'s first seed (seed ' + (withTs[0].seed !== undefined ? withTs[0].seed : '?') +
                    '), sampled as in its run report; the same colour family per layout.');
    var g = grid(s);
    var titles = {capital: 'Broker capital (house equity, USD)', exposure: 'Broker net exposure (house delta, USD)',
                  bad_debt: 'Bad debt by layer (USD)', margin: 'Broker margin requirement (net, USD)'};
    ['capital', 'exposure', 'bad_debt', 'margin'].forEach(function (k) {
      var series = [], points = 0, maxT = 0, unit = '';
      withTs.forEach(function (r, i) {
        var ts = r.timeseries, label = r.compare_label || r.name;
        maxT = Math.max(maxT, lastTime(ts) || 0);
        ts.series.filter(function (x) { return x.group === k; }).forEach(function (x) {
          var d = seriesData(ts, x);
          points += d.length;
          unit = x.unit || unit;
          series.push({name: label + ': ' + x.name, type: 'line', data: d, showSymbol: false, connectNulls: true,
                       lineStyle: {width: 2, type: ['solid', 'dashed', 'dotted'][i % 3]}});
        });
      });
      chartCard(g, titles[k] + ': layouts overlaid', points, base({xAxis: timeAxis(maxT), yAxis: valueAxis(unit), series: series}),
                {empty: 'no data in any layout'});
    });
  }
  function compareSections(c, runs) {
    var tops = c.topologies || [];
    var s = section('Verdicts', (c.seeds_completed !== undefined ? c.seeds_completed : c.seeds || '?') +
                    ' seeds per topology; mean with a 95% confidence interval; the difference from ' +
                    (tops[0] || 'the first topology') + ' (A) is paired by seed. Verdict: which layout is better where ' +
                    'the paired 95% CI excludes 0, in the direction the metric counts as better (green: this layout ' +
                    'better, red: A better, blue: a descriptive metric differs).');
    compareWarnings(c, s);
    compareTable(c, s);

    var shown = [], constant = [];
    (c.metrics || []).forEach(function (m) {
      var samples = (c.samples || {})[m.key] || {};
      if (constantMetric(samples, tops)) constant.push(m.label); else shown.push(m);
    });
    var s1 = section('Per-seed differences from ' + (tops[0] || 'A'),
                     'Bars: each seed\'s difference (layout − A, same seed); line: mean difference; band: its 95% CI. ' +
                     (constant.length ? 'Equal on every seed and layout (not drawn): ' + constant.join(', ') + '.' : ''));
    compareWarnings(c, s1);
    seedDiffCharts(c, s1, shown);
    overlaySection(c, runs || []);

    var s2 = section('Per-seed distributions', 'Box: quartiles and range over seeds; dots: each seed.');
    var g = grid(s2);
    shown.forEach(function (m) {
      var samples = (c.samples || {})[m.key] || {};
      var boxes = [], dots = [], points = 0;
      tops.forEach(function (t, i) {
        var v = (samples[t] || []).filter(isNum).slice().sort(function (a, b) { return a - b; });
        points += v.length;
        boxes.push(v.length ? [v[0], quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75), v[v.length - 1]] : []);
        v.forEach(function (x) { dots.push([i, x]); });
      });
      chartCard(g, metricTitle(m), points, base({
        legend: {show: false}, tooltip: {trigger: 'item', confine: true},
        xAxis: {type: 'category', data: tops}, yAxis: valueAxis(m.unit),
        series: [{name: 'seeds', type: 'boxplot', data: boxes, itemStyle: {color: '#dfe8fb', borderColor: '#2f6fdf'}},
                 {name: 'seed', type: 'scatter', data: dots, symbolSize: 6, itemStyle: {color: '#e8684a', opacity: 0.75}}]
      }), {empty: 'no data (no run had this metric)'});
    });
  }

  // ---- sweep
  // The parameters' axes (sweep.json `axes`; older data has only the paths: categories).
  function sweepAxes(sw) {
    return sw.axes || (sw.params || []).map(function (p) { return {path: p, name: p.split('.').pop(), numeric: false, unit: ''}; });
  }
  function axisTitle(a) { return a.name + (a.unit ? ' (' + a.unit + ')' : ''); }
  // How the points are drawn: `lines` (x: the first sampled, else numeric, parameter, a line per combination of
  // the others' values), `heatmap` (x and y: two parameters, colour: the metric; for sampled
  // designs, where no two points share a value), or `category` (no numeric parameter).
  function sweepLayout(axes, pts) {
    var x = -1;  // a sampled range first: its points are many, a list's few
    axes.forEach(function (a, k) { if (x < 0 && a.numeric && a.range) x = k; });
    axes.forEach(function (a, k) { if (x < 0 && a.numeric) x = k; });
    if (x < 0) return {kind: 'category'};
    var others = axes.map(function (a, k) { return k; }).filter(function (k) { return k !== x; });
    var groups = groupBy(pts.map(function (p) {
      return {p: p, key: others.map(function (k) { return axes[k].name + '=' + (p.params || {})[axes[k].path]; }).join(' ')};
    }), 'key');
    var lines = others.length === 0 ||
                (groups.order.length <= 8 && groups.order.every(function (g) { return groups.map[g].length >= 2; }));
    if (lines) return {kind: 'lines', x: x, groups: groups};
    var y = others.filter(function (k) { return axes[k].numeric; }).concat(others)[0];
    return {kind: 'heatmap', x: x, y: y};
  }
  function pointValue(p, a) {
    var v = a.numeric ? (p.values || {})[a.path] : (p.params || {})[a.path];
    return v === undefined ? null : v;
  }
  function metricOf(p, m) {
    var v = (p.metrics || {})[m.key] || {};
    if (!isNum(v.mean)) return null;
    return {mean: v.mean, lo: isNum(v.ci_low) ? v.ci_low : v.mean, hi: isNum(v.ci_high) ? v.ci_high : v.mean};
  }
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  // The 95% band of one line as quadrilaterals between neighbouring points (a short bar for a
  // lone point); its data span every bound, so the value axis covers the band whatever the signs.
  function bandSeries(name, xy, color) {
    var data = [];
    for (var i = 0; i < xy.length; ++i) {
      var b = xy[i + 1 < xy.length ? i + 1 : i];
      if (i + 1 < xy.length || xy.length === 1) data.push([xy[i][0], xy[i][2], xy[i][3], b[0], b[2], b[3]]);
    }
    return {name: name, type: 'custom', data: data, silent: true, tooltip: {show: false}, z: 1,
            encode: {x: [0, 3], y: [1, 2, 4, 5]}, itemStyle: {color: rgba(color, 0.35)},
            renderItem: function (params, api) {
              var a = api.coord([api.value(0), api.value(1)]), d = api.coord([api.value(0), api.value(2)]);
              var b = api.coord([api.value(3), api.value(4)]), c = api.coord([api.value(3), api.value(5)]);
              var style = {fill: rgba(color, 0.18), stroke: null};
              if (api.value(0) === api.value(3)) {
                return {type: 'rect', shape: {x: a[0] - 4, y: d[1], width: 8, height: Math.max(1, a[1] - d[1])}, style: style};
              }
              return {type: 'polygon', shape: {points: [a, b, c, d]}, style: style};
            }};
  }
  // Mean lines with their bands: one per group of points, x numeric (or the points' order).
  function sweepLines(m, axes, pts, layout) {
    var groups = layout.kind === 'lines' ? layout.groups : {order: [''], map: {'': pts.map(function (p) { return {p: p}; })}};
    var single = groups.order.length === 1;
    var series = [], points = 0;
    groups.order.forEach(function (g, gi) {
      var color = PALETTE[gi % PALETTE.length];
      var xy = [];
      groups.map[g].forEach(function (e, i) {
        var v = metricOf(e.p, m);
        var x = layout.kind === 'lines' ? pointValue(e.p, axes[layout.x]) : pts.indexOf(e.p);
        if (v && isNum(x)) xy.push([x, v.mean, v.lo, v.hi]);
      });
      xy.sort(function (a, b) { return a[0] - b[0]; });
      points += xy.length;
      // The line first: a legend entry takes its symbol from the first series of its name.
      series.push({name: single ? 'mean' : g, type: 'line', data: xy.map(function (q) { return [q[0], q[1]]; }), z: 3,
                   symbolSize: 7, lineStyle: {width: 2.2, color: color}, itemStyle: {color: color}});
      series.push(bandSeries(single ? '95% CI' : g, xy, color));
    });
    var xAxis = layout.kind === 'lines'
        ? {type: 'value', scale: true, name: axisTitle(axes[layout.x]), nameLocation: 'middle', nameGap: 28,
           axisLabel: {formatter: function (v) { return fmt(v); }, hideOverlap: true}}
        : {type: 'category', data: pts.map(function (p) { return p.label; }), boundaryGap: false,
           axisLabel: {interval: 0, rotate: pts.length > 4 ? 20 : 0}};
    return {points: points, option: base({
      legend: {top: 0, type: 'scroll', data: single ? ['mean', '95% CI'] : groups.order},
      grid: {left: 72, right: 56, top: 58, bottom: 52},
      tooltip: {trigger: 'axis', confine: true}, xAxis: xAxis, yAxis: valueAxis(m.unit), series: series})};
  }
  // Two parameters against each other, each point a square coloured by the metric's mean.
  function sweepHeatmap(m, axes, pts, layout) {
    var ax = axes[layout.x], ay = axes[layout.y], data = [];
    pts.forEach(function (p) {
      var v = metricOf(p, m), x = pointValue(p, ax), y = pointValue(p, ay);
      if (v && x !== null && y !== null) data.push([x, y, v.mean, v.lo, v.hi, p.label]);
    });
    var means = data.map(function (d) { return d[2]; });
    function axis(a) {
      if (a.numeric) return {type: 'value', scale: true, name: axisTitle(a), nameLocation: 'middle', nameGap: 30};
      var cats = [];
      pts.forEach(function (p) { var v = pointValue(p, a); if (cats.indexOf(v) < 0) cats.push(v); });
      return {type: 'category', data: cats, name: axisTitle(a), nameLocation: 'middle', nameGap: 30};
    }
    return {points: data.length, option: base({
      legend: {show: false}, grid: {left: 80, right: 110, top: 40, bottom: 52},
      tooltip: {trigger: 'item', confine: true, formatter: function (q) {
        return q.value[5] + '<br>' + fmt(q.value[2]) + ' [' + fmt(q.value[3]) + ', ' + fmt(q.value[4]) + '] ' + (m.unit || '');
      }},
      xAxis: axis(ax), yAxis: axis(ay),
      visualMap: {type: 'continuous', dimension: 2, min: Math.min.apply(null, means.length ? means : [0]),
                  max: Math.max.apply(null, means.length ? means : [1]), calculable: true, right: 8, top: 'middle',
                  text: [m.unit || '', ''], formatter: function (v) { return fmt(v); },
                  inRange: {color: ['#2f6fdf', '#f4f1e8', '#e8684a']}},
      series: [{name: m.label, type: 'scatter', data: data, symbol: 'rect', symbolSize: 18,
                itemStyle: {borderColor: '#55606e', borderWidth: 0.5}}]})};
  }
  function sweepSections(sw) {
    var pts = sw.points || [], axes = sweepAxes(sw), layout = sweepLayout(axes, pts);
    var how = layout.kind === 'lines'
        ? 'x: ' + axisTitle(axes[layout.x]) + (layout.groups.order.length > 1 ? ', a line per ' +
          axes.filter(function (a, k) { return k !== layout.x; }).map(function (a) { return a.name; }).join(' and ') : '') +
          '; line: mean; band: 95% confidence interval.'
        : layout.kind === 'heatmap'
        ? 'x: ' + axisTitle(axes[layout.x]) + ', y: ' + axisTitle(axes[layout.y]) + '; colour: the mean (hover for its 95% CI).'
        : 'line: mean; band: 95% confidence interval.';
    var sample = sw.sample ? '; ' + sw.sample.method + ' sample of ' + sw.sample.n + ' (seed ' + sw.sample.seed + ')' : '';
    var s = section('Sweep', 'Parameters: ' + axes.map(function (a) { return a.path + (a.range ? ' in ' + a.range : ''); }).join(', ') +
                    sample + '; ' + (sw.seeds || '?') + ' seeds per point. ' + how);
    var g = grid(s);
    (sw.metrics || []).forEach(function (m) {
      var c = layout.kind === 'heatmap' ? sweepHeatmap(m, axes, pts, layout) : sweepLines(m, axes, pts, layout);
      chartCard(g, m.label + (m.unit ? ' (' + m.unit + ')' : ''), c.points, c.option, {empty: 'no data (no point had this metric)'});
    });
  }

  // ---- risk
  function pct(p) { return isNum(p) ? (100 * p).toFixed(1) + '%' : '–'; }
  function pctCi(pr) { return pr ? pct(pr.p) + ' [' + pct(pr.ci_low) + ', ' + pct(pr.ci_high) + ']' : '–'; }
  function table(parent, headers, rows) {
    var tbl = el('table', 'metrics');
    var thead = el('thead'), hr = el('tr');
    headers.forEach(function (h) { hr.appendChild(el('th', null, h)); });
    thead.appendChild(hr); tbl.appendChild(thead);
    var tb = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (c) { tr.appendChild(el('td', null, c)); });
      tb.appendChild(tr);
    });
    tbl.appendChild(tb);
    parent.appendChild(tbl);
  }
  // Equal-width bins over the sample: [{lo, hi, n}], at most `count` of them.
  function histogram(values, count) {
    var v = values.filter(isNum);
    if (!v.length) return [];
    var lo = Math.min.apply(null, v), hi = Math.max.apply(null, v);
    if (hi === lo) return [{lo: lo, hi: hi, n: v.length}];
    var k = Math.min(count, Math.max(5, Math.ceil(Math.sqrt(v.length)))), w = (hi - lo) / k, bins = [];
    for (var i = 0; i < k; ++i) bins.push({lo: lo + i * w, hi: lo + (i + 1) * w, n: 0});
    v.forEach(function (x) { bins[Math.min(k - 1, Math.floor((x - lo) / w))].n += 1; });
    return bins;
  }
  // The broker's P&L over seeds as a histogram; VaR and ES at 99% as lines at their P&L (-loss).
  function lossDistribution(parent, b, prefix) {
    var bins = histogram(b.pnl_samples_usd || [], 30);
    var data = bins.map(function (x) { return [(x.lo + x.hi) / 2, x.n, x.lo, x.hi]; });
    var width = bins.length > 1 ? bins[1].lo - bins[0].lo : Math.max(1, Math.abs(bins.length ? bins[0].lo : 1) * 0.02);
    var marks = [];
    // Labels at opposite ends of their lines, so equal VaR and ES stay readable.
    if (isNum(b.var_99)) marks.push({name: 'VaR 99%', xAxis: -b.var_99, label: {position: 'insideEndTop'}});
    if (isNum(b.es_99)) marks.push({name: 'ES 99%', xAxis: -b.es_99, label: {position: 'insideStartTop'}});
    chartCard(parent, prefix + b.broker + ': P&L over seeds (USD)', data.length, base({
      legend: {show: false}, tooltip: {trigger: 'item', confine: true, formatter: function (p) {
        return fmt(p.value[2]) + ' to ' + fmt(p.value[3]) + ' USD: ' + p.value[1] + ' seeds';
      }},
      xAxis: {type: 'value', name: 'P&L (USD)', nameLocation: 'middle', nameGap: 28, scale: true,
              axisLabel: {formatter: function (v) { return fmt(v); }, hideOverlap: true}},
      yAxis: {type: 'value', name: 'seeds', minInterval: 1},
      series: [{type: 'custom', name: 'seeds', data: data, renderItem: function (params, api) {
        var a = api.coord([api.value(0) - width / 2, api.value(1)]), z = api.coord([api.value(0) + width / 2, 0]);
        return {type: 'rect', shape: {x: a[0] + 1, y: a[1], width: Math.max(1, z[0] - a[0] - 2), height: z[1] - a[1]},
                style: api.style({fill: api.value(0) < 0 ? '#e8684a' : '#2f6fdf'})};
      }, encode: {x: 0, y: 1}},
               {type: 'line', name: 'tail', data: [], markLine: {symbol: 'none', data: marks,
                label: {formatter: function (p) { return p.name + ' ' + fmt(-p.value); }},
                lineStyle: {color: '#8e5bd6', type: 'dashed'}}}]
    }), {note: 'Bars: seeds per P&L bin (red: a loss). Dashed: VaR and ES at 99% (losses, drawn at their P&L).',
         empty: 'no completed seed'});
  }
  // The mean P&L decomposed: each part a step from 0 to the mean (a waterfall).
  function pnlWaterfall(parent, b, prefix) {
    var parts = b.pnl_mean_parts_usd || {}, labels = [], data = [], cum = 0;
    Object.keys(parts).forEach(function (k) {
      var d = parts[k];
      if (!isNum(d)) return;
      labels.push(k.replace(/_/g, ' '));
      data.push([labels.length - 1, Math.min(cum, cum + d), Math.max(cum, cum + d), d]);
      cum += d;
    });
    labels.push('mean P&L');
    data.push([labels.length - 1, Math.min(0, cum), Math.max(0, cum), cum]);
    chartCard(parent, prefix + b.broker + ': mean P&L, fees and costs (USD a run)', data.length, base({
      legend: {show: false}, grid: {left: 80, right: 28, top: 40, bottom: 90},
      tooltip: {trigger: 'item', confine: true, formatter: function (p) { return labels[p.value[0]] + ': ' + fmt(p.value[3]) + ' USD'; }},
      xAxis: {type: 'category', data: labels, axisLabel: {interval: 0, rotate: 35}},
      yAxis: valueAxis('USD'),
      series: [{type: 'custom', name: 'parts', data: data, renderItem: function (params, api) {
        var lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
        var w = api.size([1, 0])[0] * 0.6, last = api.value(0) === labels.length - 1;
        return {type: 'rect', shape: {x: lo[0] - w / 2, y: hi[1], width: w, height: Math.max(1, lo[1] - hi[1])},
                style: api.style({fill: last ? '#3d5a80' : api.value(3) < 0 ? '#e8684a' : '#2a9d8f'})};
      }, encode: {x: 0, y: [1, 2]}}]
    }), {note: 'Green: earned; red: a cost; the last bar is the mean P&L. "fees > risk" when it is above 0.'});
  }
  // One topology's (or a compare's topology's, a sweep's point's) solvency over seeds; `prefix`
  // names the group in titles.
  function riskSections(r, prefix) {
    prefix = prefix || '';
    var s = section(prefix + 'Solvency over seeds', (r.topology ? r.topology + ' — ' : '') + (r.seeds_completed || 0) +
                    (r.seeds ? ' of ' + r.seeds : '') +
                    ' seeds completed; probabilities with Wilson 95% intervals; P&L, VaR and ES in USD a run.');
    if (r.complete === false) s.appendChild(el('p', 'warning', 'Incomplete: interrupted before every seed ran.'));
    table(s, ['broker', 'P(insolvent)', 'P(bad debt)', 'P(default fund used)', 'P&L p50', 'VaR 99%', 'ES 99%', 'fees − costs'],
          (r.brokers || []).map(function (b) {
            return [b.broker, pctCi(b.p_insolvent), pctCi(b.p_bad_debt), pctCi(b.p_default_fund_used),
                    fmt((b.pnl_quantiles || {}).p50), fmt(b.var_99), fmt(b.es_99), fmt(b.fees_minus_costs_usd)];
          }));
    var g = grid(s);
    (r.brokers || []).forEach(function (b) { lossDistribution(g, b, prefix); pnlWaterfall(g, b, prefix); });
    var ps = r.protocols || [];
    if (ps.length) {
      var s2 = section(prefix + 'Protocols over seeds', 'Probability of bad debt (Wilson 95%), its mean and 99th percentile in USD.');
      table(s2, ['protocol', 'P(bad debt)', 'mean', 'p99'], ps.map(function (p) {
        return [p.protocol, pctCi(p.p_bad_debt), fmt(p.bad_debt_mean_usd), fmt(p.bad_debt_p99_usd)];
      }));
    }
  }

  // ---- page
  var header = el('header', 'page');
  header.appendChild(el('h1', null, data.title || 'shardsim report'));
  var meta = el('div', 'meta');
  [data.kind ? 'kind: ' + data.kind : '', data.generated_by || ''].forEach(function (t) { if (t) meta.appendChild(el('span', null, t)); });
  header.appendChild(meta);
  (data.runs || []).forEach(function (r) {
    if (r.complete === false) {
      header.appendChild(el('p', 'warning', 'Run ' + r.name + ' is incomplete: ' + (r.incomplete_reason || 'interrupted or a limit was hit') +
                                            '. The data ends early.'));
    }
  });
  root.appendChild(header);

  var runs = data.runs || [];
  if (data.compare) compareSections(data.compare, data.runs || []);
  if (data.sweep) sweepSections(data.sweep);
  if (data.risk) riskSections(data.risk, '');
  (data.risk_groups || []).forEach(function (r) { riskSections(r, r.label + ': '); });
  if (data.kind === 'compare' && runs.length) {
    var ts = section('Topologies', 'The first seed of each topology.');
    var tg = grid(ts);
    runs.forEach(function (r) { topologyCard(tg, r, r.name + (r.topology_file ? ' — ' + r.topology_file : '')); });
    distributionsSection(runs, 'First seeds: ');
  } else {
    runs.forEach(function (r) { runSections(r, runs.length > 1 ? r.name + ': ' : ''); });
  }

  var rendered = 0;
  pending.forEach(function (p) {
    try {
      var chart = echarts.init(p.el, null, {renderer: 'svg'});
      chart.setOption(typeof p.option === 'function' ? p.option(p.el) : p.option);
      p.el.setAttribute('data-rendered', '1');
      // The value axis's drawn range, for tests that check where data lands.
      var y = chart.getModel().getComponent('yAxis');
      if (y && y.axis && y.axis.scale && y.axis.type === 'value') p.el.setAttribute('data-y-extent', y.axis.scale.getExtent().join(','));
      var x = chart.getModel().getComponent('xAxis');
      if (x && x.axis) p.el.setAttribute('data-x-type', x.axis.type);
      p.el.setAttribute('data-series', chart.getModel().getSeries().map(function (q) { return q.subType; }).join(','));
      p.el.setAttribute('data-points', String(p.points));
      // Legend entries and shaded fault intervals, for tests that check a chart stays readable.
      var opt = chart.getOption(), names = 0, areas = 0;
      (opt.series || []).forEach(function (q) {
        if (q.name !== undefined) names += 1;
        if (q.name === 'faults' && q.markArea && q.markArea.data) areas += q.markArea.data.length;
      });
      p.el.setAttribute('data-legend-items', String(names));
      p.el.setAttribute('data-fault-areas', String(areas));
      rendered += 1;
      window.addEventListener('resize', function () { chart.resize(); });
    } catch (e) {
      window.__reportError('chart "' + p.el.getAttribute('data-title') + '": ' + (e && e.message ? e.message : e));
    }
  });
  document.body.setAttribute('data-charts-rendered', String(rendered));
})();
