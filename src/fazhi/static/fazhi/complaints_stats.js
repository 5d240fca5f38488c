// Complaint statistics chart (ECharts, vendored). Data comes from a json_script block: no inline script (CSP).
(function () {
  var el = document.getElementById("stats-chart");
  var data = document.getElementById("stats-data");
  if (!el || !data || !window.echarts) { return; }
  var d = JSON.parse(data.textContent);
  el.style.height = "320px";
  var chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["收到（件）", "按期答复率（%）", "满意率（%）"] },
    grid: { left: 50, right: 50, bottom: 90 },
    xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "收到（件）", type: "bar", data: d.received },
      { name: "按期答复率（%）", type: "line", yAxisIndex: 1, data: d.on_time_rate },
      { name: "满意率（%）", type: "line", yAxisIndex: 1, data: d.satisfaction_rate }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
