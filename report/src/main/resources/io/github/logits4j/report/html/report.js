/* logits4j HTML report: renders the embedded evaluation data with Apache ECharts (inlined above). No network. */
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); document.body.dataset.error = errors.join(' | '); });
  var data = JSON.parse(document.getElementById('logits4j-data').textContent);
  var report = data.report, curves = data.curves || {}, names = report.class_names || [];
  var metrics = report.metrics || {};
  var app = document.getElementById('app');
  var charts = 0;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); } });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) { return 'n/a'; }
    if (typeof v !== 'number') { return String(v); }
    if (Number.isInteger(v)) { return String(v); }
    var a = Math.abs(v);
    return (a !== 0 && (a < 1e-4 || a >= 1e6)) ? v.toExponential(6) : v.toFixed(6);
  }
  function name(i) { return names[i] !== undefined ? String(names[i]) : String(i); }
  function section(title) { var s = el('section', {}); s.appendChild(el('h2', {text: title})); app.appendChild(s); return s; }
  function note(parent, text) { parent.appendChild(el('p', {'class': 'note', text: text})); }

  function sortable(table) {
    var heads = table.querySelectorAll('th');
    heads.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.value, y = b.cells[col].dataset.value;
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    return table;
  }
  function table(headers, rows, numeric) {
    var head = el('tr', {}, headers.map(function (h, i) { return el('th', {'class': numeric[i] ? 'num' : '', text: h}); }));
    var body = el('tbody', {}, rows.map(function (r) {
      return el('tr', {}, r.map(function (v, i) {
        var td = el('td', {'class': numeric[i] ? 'num' : '', text: numeric[i] ? fmt(v) : String(v)});
        td.dataset.value = v === null ? '' : String(v);
        if (numeric[i]) { td.dataset.metric = headers[0] === 'metric' ? r[0] : headers[i]; }
        return td;
      }));
    }));
    return sortable(el('table', {}, [el('thead', {}, [head]), body]));
  }
  function chart(parent, id, option) {
    var div = el('div', {'class': 'chart', id: id, 'data-chart': id});
    parent.appendChild(div);
    var c = echarts.init(div, null, {renderer: 'svg'});
    option.animation = false;
    c.setOption(option);
    charts++;
    return c;
  }
  function line(nameText, xs, ys, extra) {
    var pts = xs.map(function (x, i) { return [x, ys[i]]; });
    var s = {type: 'line', name: nameText, data: pts, showSymbol: false, lineStyle: {width: 1.5}};
    Object.keys(extra || {}).forEach(function (k) { s[k] = extra[k]; });
    return s;
  }
  function axes(x, y) {
    return {xAxis: {type: 'value', name: x, min: 0, max: 1, nameLocation: 'middle', nameGap: 28},
      yAxis: {type: 'value', name: y, min: 0, max: 1, nameLocation: 'middle', nameGap: 40}};
  }

  // ---- header ----
  var calibration = report.kind === 'calibration';
  var dense = report.kind === 'dense';
  var loss = report.loss ? report.loss.name + ' = ' + fmt(report.loss.value) : null;
  var head = el('section', {});
  head.appendChild(el('h1', {text: (calibration ? 'Calibration of ' : 'Evaluation of ') + report.model}));
  head.appendChild(el('p', {'class': 'sub', text: (dense ? 'dense output, ' + fmt(report.samples) + ' samples, '
    + fmt(metrics.positions) + ' labelled positions' : report.task + ' classifier, ' + fmt(report.samples) + ' rows')
    + (loss ? ', ' + loss : '') + (calibration ? ', temperature ' + JSON.stringify(metrics.temperature) : '')}));
  var facts = [['model', report.model], ['output kind', report.output_kind + (report.output_kind_evidence ? ' (' + report.output_kind_evidence + ')' : '')],
    ['head applied', report.activation_applied], ['task', report.task], ['provider', report.provider], [dense ? 'samples' : 'rows', report.samples],
    ['classes', report.classes], ['loss', loss], ['inputs', report.inputs], ['labels', report.labels]];
  if (report.calibration) { facts.push(['calibration', JSON.stringify(report.calibration)]); }
  if (report.thresholds) { facts.push(['thresholds', JSON.stringify(report.thresholds)]); }
  var dl = el('dl', {'class': 'facts'});
  facts.forEach(function (f) { if (f[1] !== undefined && f[1] !== null) { dl.appendChild(el('dt', {text: f[0]})); var dd = el('dd', {text: typeof f[1] === 'number' ? fmt(f[1]) : String(f[1])}); dd.dataset.fact = f[0]; dl.appendChild(dd); } });
  head.appendChild(dl);
  app.appendChild(head);

  // ---- metrics ----
  var scalar = Object.keys(metrics).filter(function (k) { var v = metrics[k]; return v === null || typeof v !== 'object'; });
  var ms = section(calibration ? 'Before and after the temperature' : 'Metrics');
  ms.appendChild(el('div', {'class': 'scroll'}, [table(['metric', 'value'], scalar.map(function (k) { return [k, metrics[k]]; }), [false, true])]));

  // ---- per class ----
  if (metrics.per_class_precision || metrics.per_label_precision) {
    var prefix = metrics.per_class_precision ? 'per_class_' : 'per_label_';
    var word = prefix === 'per_class_' ? 'class' : 'label';
    var count = metrics[prefix + 'precision'].length;
    var cols = Object.keys(metrics).filter(function (k) {
      var v = metrics[k];
      return k.indexOf(prefix) === 0 && Array.isArray(v) && v.length === count && (v[0] === null || typeof v[0] === 'number');
    }).map(function (k) { return k.substring(prefix.length); });
    var rows = [];
    for (var i = 0; i < count; i++) { rows.push([name(i)].concat(cols.map(function (c) { return metrics[prefix + c][i]; }))); }
    var pc = section('Per ' + word);
    pc.appendChild(el('div', {'class': 'scroll'}, [table([word].concat(cols), rows, [false].concat(cols.map(function () { return true; })))]));
  }

  // ---- confusion matrix ----
  var cm = metrics.confusion_matrix;
  if (cm && cm.length) {
    var cs = section('Confusion matrix');
    var shown = data.confusion_classes || cm.map(function (_, i) { return i; });
    if (data.confusion_truncated) { note(cs, 'Showing the ' + shown.length + ' classes of most support out of ' + data.confusion_total + '; the JSON report holds the whole matrix.'); }
    var counts = [], normal = [];
    var max = 0;
    shown.forEach(function (t, yi) {
      var rowSum = data.confusion_row_sums ? data.confusion_row_sums[yi] : cm[yi].reduce(function (a, b) { return a + b; }, 0);
      shown.forEach(function (p, xi) {
        var v = cm[yi][xi];
        counts.push([xi, yi, v]);
        normal.push([xi, yi, rowSum ? Math.round(v / rowSum * 1e4) / 1e4 : 0]);
        if (v > max) { max = v; }
      });
    });
    var labels = shown.map(name);
    var toggle = el('div', {'class': 'toggle'});
    var bCounts = el('button', {type: 'button', text: 'counts'}), bRows = el('button', {type: 'button', text: 'row-normalised'});
    toggle.appendChild(bCounts); toggle.appendChild(bRows); cs.appendChild(toggle);
    var heat = function (values, top) {
      return {tooltip: {position: 'top'}, grid: {left: 90, right: 30, top: 20, bottom: 90},
        xAxis: {type: 'category', data: labels, name: 'predicted', nameLocation: 'middle', nameGap: 60, axisLabel: {rotate: labels.length > 12 ? 90 : 0}},
        yAxis: {type: 'category', data: labels, name: 'true', inverse: true, nameLocation: 'middle', nameGap: 70},
        visualMap: {min: 0, max: top, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: {color: ['#f7fbff', '#08306b']}},
        series: [{type: 'heatmap', data: values, label: {show: labels.length <= 15}}]};
    };
    var cmChart = chart(cs, 'confusion', heat(counts, max || 1));
    bCounts.addEventListener('click', function () { cmChart.setOption(heat(counts, max || 1), true); });
    bRows.addEventListener('click', function () { cmChart.setOption(heat(normal, 1), true); });
  }

  // ---- dense: IoU by class, entity types, masks ----
  if (dense && metrics.per_class_iou) {
    var ious = metrics.per_class_iou;
    var is = section('IoU by class');
    note(is, 'Intersection over union of each class over all labelled positions (one confusion matrix for the data set);'
      + ' the dashed line is the mean IoU over the classes present (' + fmt(metrics.mean_iou) + ').');
    chart(is, 'class_iou', {tooltip: {trigger: 'axis'}, grid: {left: 60, right: 30, top: 20, bottom: 90},
      xAxis: {type: 'category', name: 'class', nameLocation: 'middle', nameGap: 70, data: ious.map(function (_, i) { return name(i); }),
        axisLabel: {rotate: ious.length > 12 ? 90 : 0, interval: ious.length > 60 ? 'auto' : 0}},
      yAxis: {type: 'value', name: 'IoU', min: 0, max: 1, nameLocation: 'middle', nameGap: 40},
      series: [{type: 'bar', name: 'IoU', data: ious},
        {type: 'line', name: 'mean IoU', showSymbol: false, lineStyle: {type: 'dashed'}, data: ious.map(function () { return metrics.mean_iou; })}]});
  }
  if (dense && metrics.entity_types) {
    var et = section('Entities by type');
    var types = Object.keys(metrics.entity_types);
    et.appendChild(el('div', {'class': 'scroll'}, [table(['type', 'precision', 'recall', 'f1', 'support'], types.map(function (t) {
      var v = metrics.entity_types[t];
      return [t, v.precision, v.recall, v.f1, v.support];
    }), [false, true, true, true, true])]));
  }
  function vocColour(c) {
    var r = 0, g = 0, b = 0;
    for (var j = 0; j < 8; j++) {
      r |= ((c >> 0) & 1) << (7 - j); g |= ((c >> 1) & 1) << (7 - j); b |= ((c >> 2) & 1) << (7 - j);
      c >>= 3;
    }
    return [r, g, b];
  }
  function maskCanvas(m, which) {
    var raw = atob(m[which]), w = m.width, h = m.height, wide = m.bytes, ignored = wide === 1 ? 255 : 65535;
    var canvas = el('canvas', {width: String(w), height: String(h), 'class': 'mask', 'data-mask': which + '-' + m.sample});
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h), seen = {};
    for (var i = 0; i < w * h; i++) {
      var v = wide === 1 ? raw.charCodeAt(i) : raw.charCodeAt(2 * i) | (raw.charCodeAt(2 * i + 1) << 8);
      var rgb = v === ignored ? [224, 224, 192] : vocColour(v);
      if (v !== ignored) { seen[v] = true; }
      img.data[4 * i] = rgb[0]; img.data[4 * i + 1] = rgb[1]; img.data[4 * i + 2] = rgb[2]; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    canvas.dataset.classes = String(Object.keys(seen).length);
    return {canvas: canvas, seen: seen};
  }
  if (dense && data.masks) {
    var mg = section('Masks of the first samples');
    note(mg, 'Labels (left) and the predicted classes (right) of the first ' + data.masks.length + ' samples'
      + (data.masks.some(function (m) { return m.stride > 1; }) ? ', every ' + data.masks[0].stride + 'th position a side' : '')
      + '; unlabelled positions in the pale border colour.');
    var grid = el('div', {'class': 'masks'}), legendSeen = {};
    data.masks.forEach(function (m) {
      var l = maskCanvas(m, 'labels'), p = maskCanvas(m, 'predicted');
      Object.keys(l.seen).concat(Object.keys(p.seen)).forEach(function (k) { legendSeen[k] = true; });
      grid.appendChild(el('figure', {}, [l.canvas, p.canvas, el('figcaption', {text: 'sample ' + m.sample + ': labels, predicted'})]));
    });
    mg.appendChild(grid);
    var legend = el('div', {'class': 'legend'});
    Object.keys(legendSeen).map(Number).sort(function (a, b) { return a - b; }).forEach(function (c) {
      var rgb = vocColour(c), swatch = el('span', {'class': 'swatch'});
      swatch.style.background = 'rgb(' + rgb.join(',') + ')';
      legend.appendChild(el('span', {'class': 'key'}, [swatch, document.createTextNode(name(c))]));
    });
    mg.appendChild(legend);
    document.body.dataset.masks = String(data.masks.length * 2);
  }

  // ---- prediction sets (evaluate --conformal) ----
  var ps = report.prediction_sets;
  if (ps) {
    var pss = section('Prediction sets');
    note(pss, 'Split conformal sets at alpha ' + fmt(ps.alpha) + ': each should hold the true class with probability at'
      + ' least ' + fmt(1 - ps.alpha) + ' for rows drawn like the calibration split.');
    var keys = ['coverage', 'mean_set_size', 'singleton_rate', 'empty_set_rate', 'singleton_hit_rate',
      'size_stratified_coverage', 'macro_coverage', 'cov_gap', 'violated_classes'];
    pss.appendChild(el('div', {'class': 'scroll'}, [table(['metric', 'value'], keys.filter(function (k) { return k in ps; })
      .map(function (k) { return [k, ps[k]]; }), [false, true])]));
    var hist = ps.set_size_histogram || [];
    chart(pss, 'set_sizes', {title: {text: 'set sizes', left: 'center'}, tooltip: {trigger: 'axis'},
      xAxis: {type: 'category', name: 'classes in the set', nameLocation: 'middle', nameGap: 28,
        data: hist.map(function (_, i) { return String(i); })},
      yAxis: {type: 'value', name: 'rows', nameLocation: 'middle', nameGap: 40},
      series: [{type: 'bar', name: 'rows', data: hist}]});
    var cov = ps.per_class_coverage || [];
    chart(pss, 'class_coverage', {title: {text: 'coverage by class against 1 - alpha', left: 'center'},
      tooltip: {trigger: 'axis'}, legend: {bottom: 0},
      xAxis: {type: 'category', name: 'class', nameLocation: 'middle', nameGap: 28,
        data: cov.map(function (_, i) { return name(i); })},
      yAxis: {type: 'value', name: 'coverage', min: 0, max: 1, nameLocation: 'middle', nameGap: 40},
      series: [{type: 'bar', name: 'coverage', data: cov},
        {type: 'line', name: '1 - alpha', showSymbol: false, data: cov.map(function () { return 1 - ps.alpha; })},
        {type: 'line', name: 'overall coverage', showSymbol: false, lineStyle: {type: 'dashed'},
          data: cov.map(function () { return ps.coverage; })}]});
  }

  // ---- ROC and PR ----
  function curveSet(kind, set) {
    var series = [];
    var isRoc = kind === 'roc';
    var area = isRoc ? 'auc' : 'average_precision';
    var label = isRoc ? 'AUC ' : 'AP ';
    var word = curves.task === 'multilabel' ? 'label' : 'class';
    if (set.fpr || set.precision) { // binary: one curve
      series.push(line((isRoc ? 'ROC' : 'PR') + ' (' + label + fmt(set[area]) + ')', isRoc ? set.fpr : set.recall, isRoc ? set.tpr : set.precision));
    } else {
      if (set.micro) { series.push(line('micro (' + label + fmt(set.micro[area]) + ')', isRoc ? set.micro.fpr : set.micro.recall, isRoc ? set.micro.tpr : set.micro.precision, {lineStyle: {width: 3}})); }
      if (set.macro) { series.push(line('macro (' + label + fmt(set.macro[area]) + ')', set.macro.fpr, set.macro.tpr, {lineStyle: {width: 3, type: 'dashed'}})); }
      (set.each || []).forEach(function (c) {
        var i = c[word];
        series.push(line(name(i) + ' (' + label + fmt(c[area]) + ')', isRoc ? c.fpr : c.recall, isRoc ? c.tpr : c.precision));
      });
    }
    return series;
  }
  var op = curves.operating_point;
  if (curves.roc) {
    var rs = section('ROC curves');
    if (curves.roc.shown < curves.roc.total) { note(rs, 'Showing the ' + curves.roc.shown + ' ' + (curves.task === 'multilabel' ? 'labels' : 'classes') + ' of most support out of ' + curves.roc.total + ', with the micro and macro curves over all of them.'); }
    var rocSeries = curveSet('roc', curves.roc);
    rocSeries.push(line('chance', [0, 1], [0, 1], {lineStyle: {type: 'dotted', color: '#999'}}));
    if (op) { rocSeries.push({type: 'scatter', name: 'threshold ' + fmt(op.threshold), data: [[op.fpr, op.tpr]], symbolSize: 12}); }
    var o = axes('false positive rate', 'true positive rate');
    o.tooltip = {trigger: 'item'}; o.legend = {type: 'scroll', orient: 'vertical', right: 0, top: 20};
    o.grid = {left: 60, right: 260, top: 20, bottom: 50}; o.series = rocSeries;
    chart(rs, 'roc', o);
  }
  if (curves.pr) {
    var ps = section('Precision-recall curves');
    var prSeries = curveSet('pr', curves.pr);
    if (op) { prSeries.push({type: 'scatter', name: 'threshold ' + fmt(op.threshold), data: [[op.tpr, op.precision]], symbolSize: 12}); }
    var po = axes('recall', 'precision');
    po.tooltip = {trigger: 'item'}; po.legend = {type: 'scroll', orient: 'vertical', right: 0, top: 20};
    po.grid = {left: 60, right: 260, top: 20, bottom: 50}; po.series = prSeries;
    chart(ps, 'pr', po);
  }

  // ---- reliability ----
  var rel = curves.reliability, relBefore = curves.reliability_before;
  if (rel) {
    var ls = section(relBefore ? 'Reliability diagrams before and after' : 'Reliability diagram');
    var ece = calibration ? metrics.ece_after : metrics.ece;
    ls.appendChild(el('p', {'class': 'sub', text: 'Expected calibration error ' + (relBefore ? fmt(metrics.ece_before) + ' before, ' : '') + fmt(ece)
      + (relBefore ? ' after' : '') + ' over ' + ((rel.edges || []).length - 1) + ' bins ('
      + (curves.task === 'multiclass' ? 'top-label confidence' : curves.task === 'binary' ? 'probability of class 1' : 'every label\'s probability') + ').'}));
    var ro = axes('mean predicted probability', 'observed frequency');
    ro.tooltip = {trigger: 'item'}; ro.legend = {top: 0};
    ro.grid = [{left: 60, right: 30, top: 30, height: 230}, {left: 60, right: 30, top: 320, height: 60}];
    ro.xAxis = [ro.xAxis, {type: 'value', min: 0, max: 1, gridIndex: 1}];
    ro.yAxis = [ro.yAxis, {type: 'value', gridIndex: 1, name: 'rows', nameLocation: 'middle', nameGap: 40}];
    ro.series = [line(relBefore ? 'after' : 'model', rel.prob_pred, rel.prob_true, {showSymbol: true}),
      line('perfectly calibrated', [0, 1], [0, 1], {lineStyle: {type: 'dotted', color: '#999'}}),
      {type: 'bar', name: relBefore ? 'rows per bin, after' : 'rows per bin', xAxisIndex: 1, yAxisIndex: 1, barMaxWidth: 18, data: rel.prob_pred.map(function (p, i) { return [p, rel.counts[i]]; })}];
    if (relBefore) {
      ro.series.push(line('before', relBefore.prob_pred, relBefore.prob_true, {showSymbol: true, lineStyle: {type: 'dashed'}}));
      ro.series.push({type: 'bar', name: 'rows per bin, before', xAxisIndex: 1, yAxisIndex: 1, barMaxWidth: 18, data: relBefore.prob_pred.map(function (p, i) { return [p, relBefore.counts[i]]; })});
    }
    chart(ls, 'reliability', ro);
  }

  // ---- multi-label F1 against threshold ----
  if (curves.f1_threshold) {
    var fs = section('F1 against the decision threshold');
    var fSeries = curves.f1_threshold.map(function (c) {
      return line(name(c.label) + ' (threshold ' + fmt(c.threshold_in_use) + ')', c.thresholds, c.f1,
        {markLine: {symbol: 'none', data: [{xAxis: c.threshold_in_use}], label: {show: false}}});
    });
    var fo = axes('threshold', 'F1');
    fo.tooltip = {trigger: 'item'}; fo.legend = {type: 'scroll', orient: 'vertical', right: 0, top: 20};
    fo.grid = {left: 60, right: 260, top: 20, bottom: 50}; fo.series = fSeries;
    chart(fs, 'f1_threshold', fo);
  }

  app.appendChild(el('footer', {text: 'Written by logits4j ' + (data.version || '') + '. The data behind every chart and table is in this page, in the script element with id "logits4j-data" (JSON). Charts: Apache ECharts.'}));
  document.body.dataset.charts = String(charts);
  document.body.dataset.rendered = errors.length ? 'error' : 'ok';
})();
