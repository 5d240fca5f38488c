// 领导驾驶舱 charts (ECharts, vendored). Data comes from a json_script block: no inline script (CSP).
(function () {
  var data = document.getElementById("cockpit-data");
  if (!data || !window.echarts) { return; }
  var d = JSON.parse(data.textContent);
  var charts = [];
  var trendEl = document.getElementById("trend-chart");
  if (trendEl) {
    var t = echarts.init(trendEl, null, { renderer: "svg" });
    t.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: ["立案（件）", "结案（件）", "投诉（件）", "按期答复率（%）"] },
      grid: { left: 50, right: 50, bottom: 30 },
      xAxis: { type: "category", data: d.trend.months },
      yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
      series: [
        { name: "立案（件）", type: "bar", data: d.trend.cases_filed },
        { name: "结案（件）", type: "bar", data: d.trend.cases_closed },
        { name: "投诉（件）", type: "line", data: d.trend.complaints },
        { name: "按期答复率（%）", type: "line", yAxisIndex: 1, data: d.trend.on_time, connectNulls: false }
      ]
    });
    charts.push(t);
  }
  var rankEl = document.getElementById("ranking-chart");
  var groups = Object.keys(d.ranking || {});
  if (rankEl && groups.length) {
    var r = echarts.init(rankEl, null, { renderer: "svg" });
    var series = groups.map(function (g) {
      return { name: g, type: "bar", data: d.ranking[g].units.map(function (u, i) { return [d.ranking[g].totals[i], u]; }) };
    });
    var units = [];
    groups.forEach(function (g) { units = units.concat(d.ranking[g].units); });
    r.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      legend: { data: groups },
      grid: { left: 110, right: 20, top: 30, bottom: 20 },
      xAxis: { type: "value", name: "分" },
      yAxis: { type: "category", data: units.slice().reverse(), axisLabel: { interval: 0 } },
      series: series
    });
    charts.push(r);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) { window.print(); }
});
