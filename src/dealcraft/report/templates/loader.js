// Draw every chart from its JSON figure; mark each div when drawn (tests and print wait on it).
(function () {
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"] };
  var pending = [];
  document.querySelectorAll("script.chart-data").forEach(function (node) {
    var div = document.getElementById(node.getAttribute("data-for"));
    var fig = JSON.parse(node.textContent);
    pending.push(Plotly.newPlot(div, fig.data, fig.layout, config).then(function () { div.setAttribute("data-drawn", "1"); }));
  });
  Promise.all(pending).then(function () { document.body.setAttribute("data-charts-ready", String(pending.length)); });
})();
