/* dashboard.js — the charts of the statistics dashboard (/stats) and of an event's results page
 * (/events/:id/results), drawn with ECharts (/static/echarts.min.js, loaded before this file).
 *
 * The page carries its data in data-* attributes of #dash (the CSP allows no inline script):
 *   data-stats     the statistics JSON as GET /api/v1/stats answers it
 *   data-outcomes  the six-month outcomes as GET /api/v1/outcomes answers it (optional)
 *   data-labels    every label, translated by the server
 * A chart is drawn only when its data is present and not all zero; otherwise its box is removed.
 * So figures the statistics JSON gains later (matched, by_region, by_month, attendance) appear
 * without a change here. Without JavaScript the page shows the same figures as tables. */
(function () {
  'use strict';
  var root = document.getElementById('dash');
  if (!root || typeof window.echarts === 'undefined') return;
  var echarts = window.echarts;

  function parse(s) {
    try { return s ? JSON.parse(s) : null; } catch (e) { return null; }
  }
  var S = parse(root.getAttribute('data-stats')) || {};
  var O = parse(root.getAttribute('data-outcomes'));
  var L = parse(root.getAttribute('data-labels')) || {};
  var fig = L.fig || {};
  var palette = ['#0b5cad', '#3a8fdd', '#7cb8ee', '#ffb300', '#2e7d32', '#8e5bb5', '#c62828'];
  var font = getComputedStyle(document.documentElement).fontFamily;
  var small = window.matchMedia('(max-width: 699px)').matches;
  var charts = [];

  document.documentElement.classList.add('dash-js');

  function num(v) {
    var n = typeof v === 'number' ? v : parseFloat(v);
    return isFinite(n) ? n : 0;
  }
  function label(map, key) {
    if (map && Object.prototype.hasOwnProperty.call(map, key)) return map[key];
    return key === '' ? (L.unknown || '—') : key;
  }
  function allZero(rows, keys) {
    return rows.every(function (r) {
      return keys.every(function (k) { return !num(r[k]); });
    });
  }
  function base() {
    return {
      color: palette,
      textStyle: { fontFamily: font },
      animationDuration: 500,
      /* tooltips drawn on the canvas (richText), never as HTML: names in the data (regions,
       * organization names) cannot become markup, and ECharts' HTML tooltips carry style=""
       * attributes that the CSP (style-src 'self') blocks */
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, renderMode: 'richText' },
      /* phones: one scrolling legend line, so it never runs into the plot */
      legend: { top: 0, left: 'center', type: small ? 'scroll' : 'plain', itemWidth: 14,
        itemHeight: 10, itemGap: 10, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 16, top: 52, bottom: 8, containLabel: true }
    };
  }
  function draw(name, option) {
    var el = root.querySelector('[data-chart="' + name + '"]');
    if (!el) return;
    var box = el.closest('[data-chart-box]') || el;
    if (!option) { box.parentNode.removeChild(box); return; }
    var c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption(option);
    el.setAttribute('data-drawn', '1');
    charts.push(c);
  }

  /* funnel: collected → displayed → matched → met → intentions → contracts. Roadshow promotion
   * is a selection of a few achievements, not a stage every result passes through: it has its
   * card and its table row, and would make the funnel widen again after it. */
  function funnel() {
    var f = S.funnel;
    if (!f) return null;
    var steps = [['collected', 'collected'], ['displayed', 'displayed'], ['matched', 'matched'], ['meetings_held', 'held'], ['intentions', 'intentions'],
      ['contracts', 'contracts']];
    var data = [];
    steps.forEach(function (s) {
      if (f[s[0]] === undefined) return;
      data.push({ name: label(fig, s[1]), value: num(f[s[0]]) });
    });
    if (!data.some(function (d) { return d.value; })) return null;
    var o = base();
    o.tooltip = { trigger: 'item', formatter: '{b}: {c}', confine: true, renderMode: 'richText' };
    o.legend = { show: false };
    o.series = [{
      type: 'funnel', sort: 'none', left: '2%', width: small ? '48%' : '56%', top: 8, bottom: 8,
      minSize: '8%', gap: 3,
      label: { show: true, position: 'right', formatter: '{b}  {c}', color: '#1d2733',
        fontSize: small ? 11 : 13 },
      labelLine: { show: true, length: 12, lineStyle: { color: '#b9c7d6' } },
      itemStyle: { borderColor: '#fff', borderWidth: 1 },
      data: data
    }];
    return o;
  }

  /* grouped bars of the listing and intention figures per key of rows */
  function grouped(rows, labels, horizontal) {
    var keys = ['collected', 'displayed', 'promoted', 'intentions', 'contracts'];
    if (!rows || !rows.length || allZero(rows, keys)) return null;
    var cats = rows.map(function (r) { return label(labels, r.key); });
    var o = base();
    var catAxis = { type: 'category', data: cats, axisLabel: { interval: 0, fontSize: 11,
      width: horizontal ? (small ? 84 : 110) : (small ? 64 : 100),
      overflow: horizontal ? 'truncate' : 'break' } };
    var valAxis = { type: 'value', minInterval: 1, name: L.count || '' };
    if (horizontal) { catAxis.inverse = true; o.xAxis = valAxis; o.yAxis = catAxis; } else { o.xAxis = catAxis; o.yAxis = valAxis; }
    o.series = keys.map(function (k) {
      return { type: 'bar', name: label(fig, k), data: rows.map(function (r) { return num(r[k]); }),
        barMaxWidth: 18, emphasis: { focus: 'series' } };
    });
    return o;
  }

  function byMonth() {
    var rows = S.by_month;
    if (!rows || !rows.length) return null;
    var keys = ['collected', 'intentions', 'contracts'];
    var o = base();
    o.xAxis = { type: 'category', data: rows.map(function (r) { return r.month; }), name: small ? '' : (L.month || '') };
    o.yAxis = [{ type: 'value', minInterval: 1, name: L.count || '' },
      { type: 'value', name: L.amount || '', splitLine: { show: false } }];
    o.series = keys.map(function (k) {
      return { type: 'bar', name: label(fig, k), data: rows.map(function (r) { return num(r[k]); }), barMaxWidth: 18 };
    });
    if (rows.some(function (r) { return r.amount_wan !== undefined; }))
      o.series.push({ type: 'line', name: label(fig, 'amount'), yAxisIndex: 1, smooth: true,
        data: rows.map(function (r) { return num(r.amount_wan); }) });
    return o;
  }

  function attendance() {
    var rows = S.attendance;
    var keys = ['registered', 'approved', 'checked_in'];
    if (!rows || !rows.length || allZero(rows, keys)) return null;
    var o = base();
    o.xAxis = { type: 'category', data: rows.map(function (r) { return label(L.categories, r.category); }),
      axisLabel: { interval: 0, fontSize: 11, width: small ? 68 : 96, overflow: 'break' } };
    o.yAxis = { type: 'value', minInterval: 1, name: L.count || '' };
    o.series = keys.map(function (k) {
      return { type: 'bar', name: label(fig, k), data: rows.map(function (r) { return num(r[k]); }), barMaxWidth: 22 };
    });
    return o;
  }

  /* six-month outcomes: intentions and held 1:1 meetings side by side, with those not yet asked */
  function outcomes() {
    if (!O || !O.six_month) return null;
    var M = O.meetings || { held: 0, recorded: 0, outcomes: {} };
    if (!O.six_month.total && !M.recorded) return null;
    var oc = L.outcomes || {};
    var codes = ['agreement', 'negotiating', 'valuable_contact', 'no_contact'];
    var cats = codes.map(function (k) { return label(oc, k); }).concat([label(oc, 'pending')]);
    var o = base();
    o.color = ['#2e7d32', '#3a8fdd'];
    o.xAxis = { type: 'value', minInterval: 1, name: small ? '' : (L.count || '') };
    o.yAxis = { type: 'category', data: cats, inverse: true,
      axisLabel: { fontSize: 11, width: small ? 84 : 120, overflow: 'truncate' } };
    function bar(name, data) {
      return { type: 'bar', name: name, barMaxWidth: 16, data: data,
        label: { show: true, position: 'right', fontSize: 11 } };
    }
    o.series = [
      bar(label(fig, 'intentions'),
        codes.map(function (k) { return num(O.outcomes[k]); }).concat([num(O.six_month.pending)])),
      bar(L.meetings || '', codes.map(function (k) { return num(M.outcomes[k]); })
        .concat([Math.max(0, num(M.held) - num(M.recorded))]))
    ];
    return o;
  }

  draw('funnel', funnel());
  draw('by_field', grouped(S.by_field, L.fields, true));
  draw('by_month', byMonth());
  draw('by_org_type', grouped(S.by_org_type, L.org_types, false));
  draw('by_region', grouped(S.by_region, {}, true));
  draw('attendance', attendance());
  draw('outcomes', outcomes());

  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 120);
  });
  /* print the charts at the page width */
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
})();
