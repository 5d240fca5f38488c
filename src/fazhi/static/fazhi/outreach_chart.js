// 谁执法谁普法 charts (ECharts, vendored): completion rate and activities per unit, activities per month. The data
// comes from a json_script block: no inline script (CSP).
(function () {
  var data = document.getElementById("outreach-chart-data");
  if (!data || !window.echarts) { return; }
  var d = JSON.parse(data.textContent);
  var charts = [];
  var units = document.getElementById("completion-chart");
  if (units) {
    var c1 = window.echarts.init(units, null, { renderer: "svg" });
    c1.setOption({
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return v === null || v === undefined || v === "-" ? "无到期事项" : v; }
      },
      legend: { data: ["完成率（%）", "活动次数"] },
      grid: { left: 50, right: 50, bottom: 90 },
      xAxis: { type: "category", data: d.units, axisLabel: { rotate: 35, interval: 0 } },
      yAxis: [{ type: "value", name: "%", max: 100 }, { type: "value", name: "次" }],
      series: [
        { name: "完成率（%）", type: "bar", data: d.rate },
        { name: "活动次数", type: "line", yAxisIndex: 1, data: d.unit_activities }
      ]
    });
    charts.push(c1);
  }
  var months = document.getElementById("month-chart");
  if (months) {
    var c2 = window.echarts.init(months, null, { renderer: "svg" });
    c2.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["活动次数", "参加人次"] },
      grid: { left: 50, right: 60, bottom: 40 },
      xAxis: { type: "category", data: d.months },
      yAxis: [{ type: "value", name: "次" }, { type: "value", name: "人次" }],
      series: [
        { name: "活动次数", type: "bar", data: d.activities },
        { name: "参加人次", type: "line", yAxisIndex: 1, data: d.attendance }
      ]
    });
    charts.push(c2);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
