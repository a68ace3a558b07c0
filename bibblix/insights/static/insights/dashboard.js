/* Draw each dashboard chart with ECharts (SVG renderer) from the table beside it, so the chart
   and the accessible table can never disagree; hidden figures (empty data-value) are gaps.
   Buttons download a chart as SVG, or as PNG drawn from that SVG on a canvas. */
(function () {
  "use strict";

  function readTable(section) {
    var table = section.querySelector("table");
    var columns = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var rows = Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
      return {
        label: tr.querySelector("th").textContent.trim(),
        values: Array.prototype.map.call(tr.querySelectorAll("td"), function (td) {
          return td.dataset.value === "" ? null : Number(td.dataset.value);
        }),
      };
    });
    return { columns: columns, rows: rows };
  }

  var COLOURS = ["#1f5f8b", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e"];

  function option(kind, data, picked) {
    var labels = data.rows.map(function (row) { return row.label; });
    var horizontal = kind === "hbar";
    if (horizontal) { labels = labels.slice().reverse(); }
    var series = picked.map(function (column) {
      var values = data.rows.map(function (row) { return row.values[column]; });
      if (horizontal) { values = values.reverse(); }
      return {
        name: data.columns[column],
        type: kind === "line" ? "line" : "bar",
        data: values,
        connectNulls: false,
      };
    });
    var categoryAxis = horizontal
      ? { type: "category", data: labels, axisLabel: { width: 140, overflow: "truncate" } }
      : { type: "category", data: labels, axisLabel: { interval: kind === "line" ? "auto" : 0, width: 90, overflow: "break" } };
    var valueAxis = { type: "value" };
    return {
      animation: false,
      color: COLOURS,
      aria: { enabled: false },
      tooltip: { trigger: "axis" },
      legend: { show: series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series,
    };
  }

  function save(href, filename) {
    var link = document.createElement("a");
    link.href = href;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function download(chart, type, name) {
    var svg = chart.getDataURL({ type: "svg", backgroundColor: "#ffffff" });
    if (type === "svg") { save(svg, name + ".svg"); return; }
    var image = new Image();
    image.onload = function () {
      var scale = 2;
      var canvas = document.createElement("canvas");
      canvas.width = chart.getWidth() * scale;
      canvas.height = chart.getHeight() * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var url = URL.createObjectURL(blob);
        save(url, name + ".png");
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      }, "image/png");
    };
    image.src = svg;
  }

  function draw(section) {
    var element = section.querySelector(".chart");
    if (!element || !window.echarts) { return; }
    var picked = section.dataset.columns.split(",").map(Number);
    var data = readTable(section);
    if (section.dataset.chart === "hbar") {
      // As tall as the bars need: a few bars do not fill a big box, many get room.
      element.style.height = Math.max(140, data.rows.length * 30 + 50) + "px";
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(section.dataset.chart, data, picked));
    window.addEventListener("resize", function () { chart.resize(); });
    section.querySelectorAll("[data-download]").forEach(function (button) {
      button.addEventListener("click", function () {
        download(chart, button.dataset.download, section.dataset.name);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("section.chart-table[data-chart]").forEach(function (section) {
      if (section.dataset.chart) { draw(section); }
    });
  });
})();
