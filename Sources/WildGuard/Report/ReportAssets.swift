/// The report page's style sheet and script. Both are constants, written by the project and
/// never built from input: the page's Content-Security-Policy allows exactly these two (by
/// SHA-256 hash) and nothing else, so no script or style that might come in with a listing
/// could ever run, even if it escaped `HTMLText`.
enum ReportAssets {
    static let style = """
        :root{--block:#b3261e;--review:#b86e00;--allow:#2e7d32;--error:#6b6b6b;--ink:#1d232a;--muted:#5b6570;--line:#d9dee3;--bg:#f5f6f8}
        *{box-sizing:border-box}
        [hidden]{display:none!important}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
        header{background:#173a30;color:#fff;padding:18px 28px}
        header h1{margin:0 0 4px;font-size:22px}
        header p{margin:0;color:#cfe3da;font-size:13px}
        main{padding:8px 28px 32px}
        section{margin:18px 0}
        h2{font-size:17px;margin:0 0 10px}
        .cards{display:flex;flex-wrap:wrap;gap:12px}
        .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px}
        .card .n{display:block;font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}
        .card .p{color:var(--muted);font-size:12px}
        .card.block .n{color:var(--block)}.card.review .n{color:var(--review)}.card.allow .n{color:var(--allow)}.card.error .n{color:var(--error)}
        .legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:var(--muted);margin:4px 0 10px}
        .legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        .legend i.block{background:var(--block)}.legend i.review{background:var(--review)}.legend i.allow{background:var(--allow)}.legend i.error{background:var(--error)}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:14px;align-items:start}
        figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
        figcaption{font-weight:600}
        figcaption small{display:block;font-weight:400;color:var(--muted);font-size:12px}
        svg.chart{display:block;width:100%;max-width:560px;height:auto;margin-top:8px;font-size:12px}
        svg.chart text{fill:var(--ink)}
        svg.chart text.count,svg.chart tspan.badge,svg.chart text.empty{fill:var(--muted)}
        svg.chart tspan.badge{font-size:11px}
        svg.chart g.row:hover text.label{font-weight:700}
        rect.bar.block{fill:var(--block)}rect.bar.review{fill:var(--review)}rect.bar.allow{fill:var(--allow)}rect.bar.error{fill:var(--error)}
        .note{color:var(--muted);font-size:13px;margin:6px 0}
        .warn{background:#fff6dc;border:1px solid #ecd08a;border-radius:6px;padding:8px 12px;margin:8px 0}
        .controls{display:flex;flex-wrap:wrap;gap:14px;align-items:center;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:0 0 8px}
        .controls input[type=search]{min-width:260px;padding:5px 8px;border:1px solid #b9c1c9;border-radius:6px;font:inherit}
        .controls select{font:inherit;padding:3px 6px}
        .controls output{color:var(--muted);margin-left:auto}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
        th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
        thead th{position:sticky;top:0;background:#eaeef2;z-index:1;font-size:12px;white-space:nowrap}
        thead th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit}
        thead th[aria-sort=ascending] button::after{content:" \\25B2"}
        thead th[aria-sort=descending] button::after{content:" \\25BC"}
        tr.group th{background:#e3efe9;font-weight:400;font-size:13px}
        tr.group th b{font-weight:700}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;color:#fff}
        .badge.block{background:var(--block)}.badge.review{background:var(--review)}
        .repeat{display:inline-block;font-size:11px;font-weight:700;color:var(--block);border:1px solid var(--block);border-radius:4px;padding:0 4px;margin-left:6px}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.id code{white-space:nowrap}
        td.listing{min-width:22em}
        td.small{font-size:12px}
        details summary{cursor:pointer;color:var(--muted)}
        .line{color:var(--muted);font-size:11px}
        .text{white-space:pre-wrap;overflow-wrap:anywhere;max-width:44em;unicode-bidi:isolate}
        .missing{color:var(--muted);font-style:italic}
        mark.ev{color:inherit;border-radius:3px;padding:0 1px;border-bottom:2px solid transparent}
        mark.ev-taxon{background:#ffd8d2;border-color:#d9534f}
        mark.ev-product{background:#ffe3b5;border-color:#e69500}
        mark.ev-codeword{background:#eadcff;border-color:#8e5ad6}
        mark.ev-evasion{background:#cfe7ff;border-color:#3b82c4}
        mark.ev-mitigating,mark.ev-benign{background:#dcf3e3;border-color:#4f9a68}
        mark.ev-intent{background:#e7edf3;border-color:#8796a5}
        mark.ev-limit,mark.ev-input,mark.ev-other{background:#eee;border-color:#999}
        .cc{font:11px ui-monospace,"DejaVu Sans Mono",monospace;background:#3a3f45;color:#fff;border-radius:3px;padding:0 3px;margin:0 1px}
        ul.plain{list-style:none;margin:0;padding:0}
        ul.plain li+li{margin-top:2px}
        .app{display:inline-block;font-size:11px;font-weight:700;border:1px solid currentColor;border-radius:4px;padding:0 4px;margin-left:4px;white-space:nowrap}
        .app.a1{color:var(--block)}.app.a2{color:var(--review)}.app.a3{color:#5a6fb0}.app.a0{color:var(--muted)}
        .common{color:var(--muted)}
        .k{font-size:11px;color:var(--muted);text-transform:uppercase}
        code{font:12px ui-monospace,"DejaVu Sans Mono",monospace}
        .rules li.deciding code{font-weight:700;color:var(--block)}
        .rules li.minor{color:var(--muted)}
        .sc{color:var(--muted);font-size:12px}
        footer{color:var(--muted);font-size:12px;padding:8px 28px 24px}
        @media print{thead th{position:static}.controls{display:none}}
        """

    static let script = """
        (function () {
          "use strict";
          var table = document.getElementById("case-table");
          var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tr.case")) : [];
          var flat = document.getElementById("g-all");
          var search = document.getElementById("f-search");
          var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=f-decision]"));
          var appendix = document.getElementById("f-app");
          var grouping = document.getElementById("f-group");
          var counter = document.getElementById("f-count");
          var sortKey = null;
          var sortDir = 1;
          var rank = { block: 2, review: 1 };

          rows.forEach(function (r) { r.wgText = r.textContent.toLowerCase(); });

          function grouped() { return !!grouping && grouping.checked; }

          function value(r, key) {
            if (key === "score") { return parseFloat(r.getAttribute("data-score")) || 0; }
            if (key === "decision") { return rank[r.getAttribute("data-decision")] || 0; }
            return (r.getAttribute("data-" + key) || "").toLowerCase();
          }

          function compare(a, b) {
            if (sortKey) {
              var x = value(a, sortKey), y = value(b, sortKey);
              if (x < y) { return -sortDir; }
              if (x > y) { return sortDir; }
            }
            return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
          }

          function place() {
            var byGroup = grouped();
            rows.slice().sort(compare).forEach(function (r) {
              var body = byGroup ? document.getElementById("g-" + r.getAttribute("data-group")) : flat;
              if (body) { body.appendChild(r); }
            });
            filter();
          }

          function filter() {
            var query = search ? search.value.trim().toLowerCase() : "";
            var wanted = {};
            boxes.forEach(function (b) { wanted[b.value] = b.checked; });
            var app = appendix ? appendix.value : "";
            var shown = 0;
            rows.forEach(function (r) {
              var apps = " " + (r.getAttribute("data-app") || "") + " ";
              var ok = wanted[r.getAttribute("data-decision")] !== false &&
                (!query || r.wgText.indexOf(query) >= 0) &&
                (!app || apps.indexOf(" " + app + " ") >= 0);
              r.hidden = !ok;
              if (ok) { shown += 1; }
            });
            var byGroup = grouped();
            Array.prototype.forEach.call(table ? table.querySelectorAll("tr.group") : [], function (head) {
              var body = head.parentNode;
              head.hidden = !byGroup || !body.querySelector("tr.case:not([hidden])");
            });
            if (counter) { counter.textContent = shown + " of " + rows.length + " cases shown"; }
          }

          Array.prototype.forEach.call(document.querySelectorAll("th[data-key] button"), function (button) {
            button.addEventListener("click", function () {
              var th = button.parentNode;
              var key = th.getAttribute("data-key");
              if (sortKey === key) { sortDir = -sortDir; } else { sortKey = key; sortDir = key === "score" || key === "decision" ? -1 : 1; }
              Array.prototype.forEach.call(document.querySelectorAll("th[data-key]"), function (other) {
                other.setAttribute("aria-sort", other === th ? (sortDir > 0 ? "ascending" : "descending") : "none");
              });
              place();
            });
          });
          if (search) { search.addEventListener("input", filter); }
          boxes.forEach(function (b) { b.addEventListener("change", filter); });
          if (appendix) { appendix.addEventListener("change", filter); }
          if (grouping) { grouping.addEventListener("change", place); }
          filter();

          // Record what rendered, for automated checks (and as a hint in the DOM).
          var charts = 0;
          Array.prototype.forEach.call(document.querySelectorAll("svg.chart"), function (svg) {
            var box = svg.getBoundingClientRect();
            if (box.width > 0 && box.height > 0 && svg.querySelector("rect.bar")) { charts += 1; }
          });
          var laidOut = 0;
          rows.forEach(function (r) { if (r.getBoundingClientRect().height > 0) { laidOut += 1; } });
          document.documentElement.setAttribute("data-rendered", "charts=" + charts + " rows=" + laidOut);
        })();
        """
}
