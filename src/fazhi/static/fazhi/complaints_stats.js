// Complaint statistics chart (ECharts, vendored). Data comes from a json_script block: no inline script (CSP).
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
    legend: { data: ["收到（件）", "按期答复率（%）", "满意率（%）"] },
    grid: { left: 50, right: 50, bottom: 90 },
    xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "收到（件）", type: "bar", data: d.received },
      // A rate of null (nothing answered or rated yet) is a gap in the line, not 0 %.
      { name: "按期答复率（%）", type: "line", yAxisIndex: 1, data: d.on_time_rate, connectNulls: false },
      { name: "满意率（%）", type: "line", yAxisIndex: 1, data: d.satisfaction_rate, connectNulls: false }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
