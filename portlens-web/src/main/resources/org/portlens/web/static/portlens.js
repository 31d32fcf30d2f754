// portlens pages: search as you type, votes, and the live listener table. Plain JavaScript, no build
// step. Text from the server is put in with textContent only, never as HTML.
(function () {
  "use strict";
  var body = document.body;
  var live = body.getAttribute("data-live") === "1";
  var home = body.getAttribute("data-home") || "/";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function portHref(n) { return live ? home + "port/" + n : home + "port/" + n + "/"; }
  function fill(template, values) {
    return template.replace(/\{(\d)\}/g, function (_, i) { return String(values[+i]); });
  }

  // ---- search -------------------------------------------------------------------------------
  var q = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var index = null;

  function show(query, port, rows) {
    list.textContent = "";
    if (port !== null && port >= 0 && port <= 65535) {
      var li = el("li", "open");
      var a = el("a", null, fill(status.getAttribute("data-open"), [port]));
      a.href = portHref(port);
      li.appendChild(a);
      list.appendChild(li);
    }
    rows.forEach(function (r) {
      var li = el("li");
      var a = el("a");
      a.href = portHref(r.port === null ? 0 : r.port);
      a.appendChild(el("span", "num", r.port === r.portHigh || r.portHigh === null ? r.port : r.port + "-" + r.portHigh));
      a.appendChild(document.createTextNode(" "));
      a.appendChild(el("span", "tr", r.transport || ""));
      a.appendChild(document.createTextNode(" "));
      a.appendChild(el("strong", null, r.serviceName));
      a.appendChild(document.createTextNode(" "));
      a.appendChild(el("span", "desc", r.description));
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = query && rows.length === 0 && (port === null || port < 0) ? status.getAttribute("data-none") : "";
  }

  function localSearch(query) {
    var t = query.trim().toLowerCase();
    var m = /^(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?$/.exec(t);
    var out = [];
    if (m) {
      var lo = +m[1], hi = m[2] ? +m[2] : lo;
      index.records.forEach(function (r) {
        if (r[0] <= hi && r[1] >= lo && out.length < 50) out.push(r);
      });
      return { port: m[2] ? null : lo, rows: out };
    }
    var words = t.split(/\s+/).filter(Boolean);
    index.records.forEach(function (r) {
      var name = r[3].toLowerCase(), desc = r[4].toLowerCase(), score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        var s = name === w ? 100 : name.indexOf(w) === 0 ? 60 : name.indexOf(w) >= 0 ? 40 : desc.indexOf(w) >= 0 ? 25 : 0;
        if (!s) return;
        score += s;
      }
      if (words.length) out.push([score, r]);
    });
    out.sort(function (a, b) { return b[0] - a[0] || a[1][0] - b[1][0]; });
    return { port: null, rows: out.slice(0, 50).map(function (x) { return x[1]; }) };
  }

  function asRows(records) {
    return records.map(function (r) {
      return { port: r[0], portHigh: r[1], transport: r[2], serviceName: r[3], description: r[4] };
    });
  }

  var pending = 0, timer = null;
  function search() {
    var query = q.value;
    if (!query.trim()) { show("", null, []); return; }
    if (!live) {
      var go = function () { var r = localSearch(query); show(query, r.port, asRows(r.rows)); };
      if (index) { go(); return; }
      fetch(body.getAttribute("data-search")).then(function (res) { return res.json(); })
        .then(function (j) { index = j; go(); });
      return;
    }
    var mine = ++pending;
    fetch(body.getAttribute("data-search") + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (res) { return res.json(); })
      .then(function (j) {
        if (mine !== pending) return; // an older answer after a newer one
        if (j.kind === "error") { status.textContent = j.error; list.textContent = ""; return; }
        show(query, j.port, j.results);
      })
      .catch(function () {});
  }
  if (q && list) {
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 120); });
    document.getElementById("search-form").addEventListener("submit", function (ev) {
      var m = /^\s*(\d{1,5})\s*$/.exec(q.value);
      if (m && +m[1] <= 65535) { ev.preventDefault(); location.href = portHref(+m[1]); }
      else if (!live) { ev.preventDefault(); search(); }
    });
    if (q.value) search();
  }

  // ---- votes --------------------------------------------------------------------------------
  var vote = document.querySelector("form.vote");
  if (vote) {
    vote.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = ev.submitter || document.activeElement;
      var data = new URLSearchParams();
      data.set("helpful", button && button.value === "no" ? "no" : "yes");
      fetch(vote.getAttribute("action"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (res) { return res.json().then(function (j) { return [res.ok, j]; }); })
        .then(function (x) {
          var err = document.getElementById("vote-error");
          if (!x[0]) { err.textContent = x[1].error; err.hidden = false; return; }
          err.hidden = true;
          var totals = document.getElementById("vote-totals");
          totals.setAttribute("data-yes", x[1].yes);
          totals.setAttribute("data-no", x[1].no);
          totals.textContent = fill(totals.getAttribute("data-template"), [x[1].yes, x[1].no]);
          document.getElementById("vote-thanks").hidden = false;
        });
    });
  }

  // ---- the live listener table --------------------------------------------------------------
  var table = document.getElementById("listeners");
  if (table && live && window.EventSource) {
    var tbody = table.tBodies[0];
    var liveStatus = document.getElementById("live-status");
    var count = document.getElementById("listener-count");
    var rows = {};
    function row(r) {
      var tr = el("tr", "scope-" + r.scope + (r.findings.length ? " unexpected" : ""));
      tr.setAttribute("data-id", r.id);
      tr.appendChild(el("td", null, r.transport));
      var td = el("td");
      var a = el("a", null, r.hostPort);
      a.href = portHref(r.port);
      td.appendChild(a);
      if (r.namespace) td.appendChild(document.createTextNode(" [" + r.namespace + "]"));
      tr.appendChild(td);
      tr.appendChild(el("td", "scope", table.getAttribute("data-scope-" + r.scope) || r.scope));
      tr.appendChild(el("td", "owner", r.owner));
      tr.appendChild(el("td", "findings", r.findings.join("; ")));
      return tr;
    }
    function recount() {
      count.textContent = fill(count.getAttribute("data-template"), [tbody.rows.length]);
    }
    var source = new EventSource(home + "listeners/events");
    source.addEventListener("snapshot", function (ev) {
      var list = JSON.parse(ev.data);
      tbody.textContent = "";
      rows = {};
      list.forEach(function (r) {
        if (rows[r.id]) return;
        rows[r.id] = row(r);
        tbody.appendChild(rows[r.id]);
      });
      recount();
      liveStatus.textContent = liveStatus.getAttribute("data-live");
      body.setAttribute("data-following", "1");
    });
    source.addEventListener("change", function (ev) {
      var r = JSON.parse(ev.data);
      var old = rows[r.id];
      if (r.kind === "closed") {
        if (old) { old.remove(); delete rows[r.id]; }
      } else {
        var tr = row(r);
        tr.classList.add("added");
        if (old) tbody.replaceChild(tr, old); else tbody.appendChild(tr);
        rows[r.id] = tr;
      }
      recount();
    });
    source.onerror = function () { liveStatus.textContent = liveStatus.getAttribute("data-offline"); };
  }
})();
