// The report page's script, part 1 of 4: the shared helpers. The page's script is the four
// files report_core.js, report_run.js, report_batch.js and report_page.js concatenated in that
// order into one <script> (app/output/report_html.cpp): this part opens the closure they share and
// report_page.js closes it. The script reads the embedded JSON (app/output/report_html.hpp gives
// its shape) and builds the ECharts options (SVG renderer) for a run, a compare, a sweep or a risk
// page. A chart without data becomes a "no data" note. When done: each chart container has
// data-rendered="1" and data-points, and <body data-charts-rendered> counts them.
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
