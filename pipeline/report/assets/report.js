/* jixiao review site: table sorting and filtering, highlight popovers, finding -> evidence.
   Vanilla JS, no network. Page content is only ever inserted with textContent. */
(function () {
  "use strict";
  var $ = function (s, r) { return (r || document).querySelector(s); };
  var $$ = function (s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); };

  /* ---------------------------------------------------------------- sortable tables */
  $$("table.sortable").forEach(function (table) {
    var heads = $$("thead th", table);
    heads.forEach(function (th, col) {
      var btn = $("button", th) || th;
      btn.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var num = th.getAttribute("data-type") === "num";
        var tbody = table.tBodies[0];
        var rows = Array.prototype.slice.call(tbody.rows);
        var key = function (tr) {
          var td = tr.cells[col];
          var v = td ? (td.hasAttribute("data-sort") ? td.getAttribute("data-sort") : td.textContent) : "";
          return v;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === "" && y !== "") return 1;   // missing values last, either direction
          if (y === "" && x !== "") return -1;
          var c = num ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y, "zh-CN");
          return dir === "ascending" ? c : -c;
        });
        rows.forEach(function (tr) { tbody.appendChild(tr); });
      });
    });
  });

  /* ---------------------------------------------------------------- index filters */
  var docs = $("#docs");
  if (docs) {
    var q = $("#q"), prov = $("#fprov"), year = $("#fyear"), flag = $("#fflag"), shown = $("#shown");
    var apply = function () {
      var text = (q.value || "").trim().toLowerCase();
      var n = 0, rows = $$("tbody tr", docs);
      rows.forEach(function (tr) {
        var flags = " " + (tr.getAttribute("data-flags") || "") + " ";
        var ok = (!text || tr.textContent.toLowerCase().indexOf(text) >= 0) &&
          (!prov.value || tr.getAttribute("data-province") === prov.value) &&
          (!year.value || tr.getAttribute("data-year") === year.value);
        if (ok && flag.value === "error") ok = flags.indexOf(" error ") >= 0;
        if (ok && flag.value === "any") ok = flags.indexOf(" error ") >= 0 || flags.indexOf(" warning ") >= 0;
        if (ok && flag.value === "clean") ok = flags.trim() === "";
        if (ok && flag.value === "readerr") ok = flags.indexOf(" readerr ") >= 0;
        tr.hidden = !ok;
        if (ok) n++;
      });
      shown.textContent = "显示 " + n + " / " + rows.length + " 份";
    };
    [q, prov, year, flag].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
    apply();
  }

  /* ---------------------------------------------------------------- evidence links */
  var flash = function (el) {
    el.classList.remove("flash");
    void el.offsetWidth;  // restart the animation
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1700);
  };
  var goTo = function (id, all) {
    var el = document.getElementById(id);
    if (!el) return false;
    el.scrollIntoView({ block: "center", inline: "nearest" });
    var group = all && el.getAttribute("data-f") ? $$('span.ev[data-f="' + el.getAttribute("data-f") + '"]') : [el];
    group.forEach(flash);
    if (history.replaceState) history.replaceState(null, "", "#" + id);
    return true;
  };
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-target]") : null;
    if (!a) return;
    if (goTo(a.getAttribute("data-target"), a.classList.contains("msg"))) ev.preventDefault();
  });
  if (location.hash.length > 1) {
    var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (t && t.classList.contains("ev")) setTimeout(function () { goTo(t.id, false); }, 50);
  }

  /* ---------------------------------------------------------------- legend toggles */
  var text = $("#text");
  $$(".legend input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      text.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked);
    });
  });

  /* ---------------------------------------------------------------- popovers */
  var pop = $("#pop");
  if (pop && text) {
    var pinned = null;
    var row = function (tb, k, v, cls) {
      var tr = document.createElement("tr");
      var a = document.createElement("td"); a.textContent = k;
      var b = document.createElement("td"); b.textContent = v; if (cls) b.className = cls;
      tr.appendChild(a); tr.appendChild(b); tb.appendChild(tr);
    };
    var show = function (m) {
      pop.textContent = "";
      var head = document.createElement("div"); head.className = "pk";
      var sw = document.createElement("span");
      var kind = (m.className.match(/k-([a-z_]+)/) || [])[1] || "";
      sw.className = "sw k-" + kind; sw.textContent = m.getAttribute("data-kind");
      head.appendChild(sw);
      head.appendChild(document.createTextNode(m.textContent));
      pop.appendChild(head);
      var tb = document.createElement("table"); var body = document.createElement("tbody"); tb.appendChild(body);
      row(body, "解析值", m.getAttribute("data-val") || "", "pv");
      (m.getAttribute("data-extra") || "").split("\n").forEach(function (l) {
        if (!l) return; var i = l.indexOf("\t"); row(body, l.slice(0, i), l.slice(i + 1));
      });
      row(body, "限定词", m.getAttribute("data-q") || "无");
      if (m.getAttribute("data-bound")) row(body, "阈值", m.getAttribute("data-bound"));
      var met = m.getAttribute("data-metric");
      if (met) met.split("\n").forEach(function (l) {
        var i = l.indexOf("\t"); row(body, "指标", l.slice(0, i) + (l.slice(i + 1) ? "（" + l.slice(i + 1) + "）" : ""));
      });
      else row(body, "指标", "未关联");
      if (m.getAttribute("data-sec")) row(body, "章节", m.getAttribute("data-sec"));
      var ev = m.closest("span.ev");
      if (ev) {
        var card = document.getElementById(ev.getAttribute("data-f"));
        var msg = card && card.querySelector(".msg");
        if (msg) row(body, "问题", msg.textContent);
      }
      pop.appendChild(tb);
      pop.hidden = false;
      var r = m.getBoundingClientRect(), w = pop.offsetWidth, h = pop.offsetHeight;
      var x = Math.min(Math.max(8, r.left), window.innerWidth - w - 8);
      var y = r.bottom + 6; if (y + h > window.innerHeight - 8) y = Math.max(8, r.top - h - 6);
      pop.style.left = x + "px"; pop.style.top = y + "px";
    };
    var hide = function () { pop.hidden = true; pinned = null; };
    var factOf = function (t) { return t && t.closest ? t.closest("mark.fact") : null; };
    text.addEventListener("mouseover", function (e) { var m = factOf(e.target); if (m && !pinned) show(m); });
    text.addEventListener("mouseout", function (e) {
      var m = factOf(e.target); if (m && !pinned && !(e.relatedTarget && m.contains(e.relatedTarget))) pop.hidden = true;
    });
    text.addEventListener("focusin", function (e) { var m = factOf(e.target); if (m) show(m); });
    text.addEventListener("click", function (e) {
      var m = factOf(e.target);
      if (!m) return;
      if (pinned === m) { hide(); return; }
      show(m); pinned = m;
    });
    document.addEventListener("click", function (e) { if (pinned && !factOf(e.target) && !pop.contains(e.target)) hide(); });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
    window.addEventListener("scroll", function () { if (!pinned) pop.hidden = true; }, { passive: true });
  }

  /* ---------------------------------------------------------------- outline scroll-spy */
  var links = $$("nav.outline a[href^='#s-']");
  if (links.length) {
    var anchors = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
    var spy = function () {
      var cur = -1;
      for (var i = 0; i < anchors.length; i++) { if (anchors[i] && anchors[i].getBoundingClientRect().top < 160) cur = i; }
      links.forEach(function (a, i) { a.classList.toggle("active", i === cur); });
      if (cur >= 0 && links[cur].scrollIntoView && links[cur].getBoundingClientRect) {
        var nav = links[cur].closest("nav"), r = links[cur].getBoundingClientRect(), nr = nav.getBoundingClientRect();
        if (r.top < nr.top || r.bottom > nr.bottom) nav.scrollTop += r.top - nr.top - nr.height / 3;
      }
    };
    window.addEventListener("scroll", spy, { passive: true });
    spy();
  }
})();
