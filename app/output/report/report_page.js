  // The report page's script, part 4 of 4 (see report_core.js): the page header, the sections
  // for its kind, and the charts drawn; closes the closure report_core.js opened.
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
