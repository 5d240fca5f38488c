// Dispute statistics chart (ECharts, vendored). Data comes from a json_script block: no inline script (CSP).
(function () {
  var el = document.getElementById("stats-chart");
  var data = document.getElementById("stats-data");
  if (!el || !data || !window.echarts) { return; }
  var d = JSON.parse(data.textContent);
  var chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    tooltip: {
      trigger: "axis",
      valueFormatter: function (v) { return v === null || v === undefined || v === "-" ? "无数据" : v; }
    },
    legend: { data: ["复议申请（件）", "行政诉讼（件）", "纠错率（%）", "败诉率（%）", "负责人出庭率（%）"] },
    grid: { left: 50, right: 50, bottom: 90 },
    xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "复议申请（件）", type: "bar", data: d.applications },
      { name: "行政诉讼（件）", type: "bar", data: d.suits },
      // A rate of null (nothing decided or judged yet) is a gap in the line, not 0 %.
      { name: "纠错率（%）", type: "line", yAxisIndex: 1, data: d.correction_rate, connectNulls: false },
      { name: "败诉率（%）", type: "line", yAxisIndex: 1, data: d.loss_rate, connectNulls: false },
      { name: "负责人出庭率（%）", type: "line", yAxisIndex: 1, data: d.appearance_rate, connectNulls: false }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
