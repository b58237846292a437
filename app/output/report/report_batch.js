  // The report page's script, part 3 of 4 (see report_core.js): compare, sweep and risk pages.
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
