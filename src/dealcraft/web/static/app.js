// dealcraft pages: a little script over the JSON API (served by the app; no inline script).
"use strict";

function csrf() {
  const m = document.cookie.match(/(?:^|; )dealcraft_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

async function api(method, url, body, headers) {
  const h = Object.assign({ "X-CSRF-Token": csrf() }, headers || {});
  const init = { method: method, headers: h, credentials: "same-origin" };
  if (body !== undefined) { h["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const r = await fetch(url, init);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  return { status: r.status, ok: r.ok, data: data };
}

function $(sel, root) { return (root || document).querySelector(sel); }
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
function show(node, text) { node.textContent = text; node.hidden = !text; }
function message(r) { return r.data && r.data.error ? r.data.error.message : "the server answered " + r.status; }

// Problems go next to their field (data-error-for = the API's `where`), the rest to `general`.
function placeErrors(form, r, general) {
  form.querySelectorAll(".field-error").forEach(function (n) { n.textContent = ""; });
  const err = (r.data && r.data.error) || {};
  const problems = err.problems || [{ where: err.where || "", message: message(r) }];
  const rest = [];
  problems.forEach(function (p) {
    const spot = p.where && form.querySelector('[data-error-for="' + CSS.escape(p.where) + '"]');
    if (spot) {
      spot.textContent = p.message;
      const input = form.querySelector('[data-path="' + CSS.escape(p.where) + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
    } else rest.push((p.where ? p.where + ": " : "") + p.message);
  });
  show(general, rest.join("; "));
}

function setupLogout() {
  const b = $("#logout");
  if (!b) return;
  b.addEventListener("click", async function () {
    await api("POST", "/api/logout");
    window.location.assign("/login");
  });
}

function setupLogin() {
  const form = $("#login-form");
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const r = await api("POST", "/api/login", { username: form.username.value, password: form.password.value });
    if (r.ok) window.location.assign(form.dataset.next || "/negotiations");
    else show($("#login-error"), message(r));
  });
}

function setupNegotiations() {
  const form = $("#create-form");
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    let scenario = form.builtin.value;
    if ($("#src-file").checked) {
      const f = form.file.files[0];
      if (!f) { show($("#create-error"), "choose a YAML file to upload"); return; }
      scenario = await f.text();
    }
    const r = await api("POST", "/api/negotiations", { title: form.title.value, scenario: scenario });
    if (r.ok) window.location.assign("/negotiations/" + r.data.id);
    else placeErrors(form, r, $("#create-error"));
  });
}

function setupOverview() {
  const form = $("#member-form");
  if (!form) return;
  const party = form.party, role = form.role;
  role.addEventListener("change", function () { party.disabled = role.value !== "delegate"; });
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const body = { username: form.username.value, role: role.value };
    if (role.value === "delegate") body.party = party.value;
    const r = await api("POST", "/api/negotiations/" + form.dataset.negotiation + "/members", body);
    if (r.ok) window.location.reload();
    else placeErrors(form, r, $("#member-error"));
  });
}

// ---- preferences -------------------------------------------------------------------------

function getPath(obj, path) {
  return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
}
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  keys.slice(0, -1).forEach(function (k) { if (o[k] == null) o[k] = {}; o = o[k]; });
  o[keys[keys.length - 1]] = value;
}
function clone(x) { return JSON.parse(JSON.stringify(x)); }
function round(x, n) { const f = Math.pow(10, n); return Math.round(x * f) / f; }

// Every numeric leaf path of the preferences part, for the diff of a conflict.
function leaves(obj, prefix, out) {
  Object.keys(obj || {}).forEach(function (k) {
    const p = prefix ? prefix + "." + k : k;
    const v = obj[k];
    if (v !== null && typeof v === "object" && !Array.isArray(v)) leaves(v, p, out);
    else out[p] = JSON.stringify(v);
  });
  return out;
}
function changedPaths(a, b) {
  const la = leaves(a, "", {}), lb = leaves(b, "", {});
  const keys = new Set(Object.keys(la).concat(Object.keys(lb)));
  return Array.from(keys).filter(function (k) { return la[k] !== lb[k]; }).sort();
}

function setupPreferences() {
  const form = $("#prefs-form");
  let base = JSON.parse($("#prefs-data").textContent);   // the version being edited
  const url = "/api/negotiations/" + form.dataset.negotiation + "/preferences/" + encodeURIComponent(form.dataset.party);

  function weightInputs(sid) {
    return Array.from(form.querySelectorAll('[data-weights-for="' + CSS.escape(sid) + '"] input'));
  }
  function showSum(sid) {
    const total = weightInputs(sid).reduce(function (s, i) { return s + (parseFloat(i.value) || 0); }, 0);
    const out = form.querySelector('[data-sum-for="' + CSS.escape(sid) + '"]');
    out.textContent = "(sum " + round(total, 1) + " %; saved normalised to 100 %)";
  }
  // Weights are shown as shares of 100 %, whatever scale the scenario used.
  function fillWeights(data) {
    Object.keys(data.preferences).forEach(function (sid) {
      const inputs = weightInputs(sid);
      const total = inputs.reduce(function (s, i) {
        const w = getPath(data, i.dataset.path);
        return s + (typeof w === "number" ? w : 0);
      }, 0);
      inputs.forEach(function (i) {
        const w = getPath(data, i.dataset.path);
        i.value = total > 0 ? round((100 * w) / total, 1) : 0;
        i.dataset.shown = i.value;   // untouched fields keep their exact saved weight
      });
      if (inputs.length) showSum(sid);
    });
  }
  function fill(data) {
    form.querySelectorAll("[data-path]").forEach(function (i) {
      if (i.closest(".weights")) return;
      const v = getPath(data, i.dataset.path);
      if (typeof v === "number") i.value = v;
    });
    fillWeights(data);
    $("#version").textContent = data.version;
    $("#author").textContent = data.author;
    $("#updated").textContent = (data.updated_at || "").slice(0, 16).replace("T", " ");
  }
  // The form's numbers on top of `onto`; edited weights normalised to sum to 1, untouched ones kept.
  function collect(onto) {
    const out = clone(onto);
    form.querySelectorAll("[data-path]").forEach(function (i) {
      if (i.closest(".weights")) return;
      const v = parseFloat(i.value);
      setPath(out, i.dataset.path, isNaN(v) ? i.value : v);
    });
    Object.keys(out.preferences).forEach(function (sid) {
      const inputs = weightInputs(sid);
      if (inputs.every(function (i) { return i.value === i.dataset.shown; })) {
        inputs.forEach(function (i) { setPath(out, i.dataset.path, getPath(onto, i.dataset.path)); });
        return;   // no weight touched: rounding to 0.1 % must not count as a change
      }
      const total = inputs.reduce(function (s, i) { return s + (parseFloat(i.value) || 0); }, 0);
      inputs.forEach(function (i) {
        const v = parseFloat(i.value);
        setPath(out, i.dataset.path, total > 0 && !isNaN(v) ? round(v / total, 6) : (isNaN(v) ? i.value : 0));
      });
    });
    return out;
  }


  fill(base);
  form.addEventListener("input", function (ev) {
    const box = ev.target.closest(".weights");
    if (box) showSum(box.dataset.weightsFor);
    ev.target.removeAttribute("aria-invalid");
    show($("#prefs-ok"), "");
  });

  let pending = null;   // the user's edited data while a conflict is shown
  async function save(ifMatch, data) {
    const r = await api("PUT", url, { stakeholders: data.stakeholders, preferences: data.preferences }, { "If-Match": String(ifMatch) });
    if (r.ok) {
      base = r.data;
      fill(base);
      placeErrors(form, { data: { error: { problems: [] } } }, $("#prefs-error"));
      show($("#prefs-ok"), "Saved as version " + r.data.version + ".");
      $("#conflict").hidden = true;
    } else if (r.status === 409) {
      await conflict(data);
    } else {
      placeErrors(form, r, $("#prefs-error"));
    }
  }
  async function conflict(mine) {
    const r = await api("GET", url);
    if (!r.ok) { show($("#prefs-error"), message(r)); return; }
    const theirs = r.data;
    const ours = changedPaths({ preferences: base.preferences }, { preferences: mine.preferences });
    const others = changedPaths({ preferences: base.preferences }, { preferences: theirs.preferences });
    pending = { mine: mine, mineChanged: ours, theirs: theirs };
    const rows = $("#conflict-rows");
    rows.textContent = "";
    Array.from(new Set(ours.concat(others))).sort().forEach(function (p) {
      const tr = el("tr");
      tr.appendChild(el("td", p));
      tr.appendChild(el("td", ours.indexOf(p) >= 0 ? JSON.stringify(getPath(mine, p)) : "(unchanged)"));
      tr.appendChild(el("td", others.indexOf(p) >= 0 ? JSON.stringify(getPath(theirs, p)) : "(unchanged)"));
      rows.appendChild(tr);
    });
    $("#conflict-text").textContent = theirs.author + " saved version " + theirs.version + " while you were editing version " +
      base.version + ". Nothing has been saved from your side yet. Merge keeps their changes and puts yours on top (yours win where both changed the same field); reload discards yours.";
    $("#conflict").hidden = false;
    $("#merge").focus();
  }
  $("#merge").addEventListener("click", async function () {
    const merged = clone(pending.theirs);
    pending.mineChanged.forEach(function (p) { setPath(merged, p, getPath(pending.mine, p)); });
    base = pending.theirs;
    const version = pending.theirs.version;
    pending = null;
    await save(version, merged);
  });
  $("#reload").addEventListener("click", function () {
    base = pending.theirs;
    pending = null;
    fill(base);
    $("#conflict").hidden = true;
    show($("#prefs-ok"), "Reloaded version " + base.version + ".");
  });
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    show($("#prefs-ok"), "");
    await save(base.version, collect(base));
  });
}

// ---- results -----------------------------------------------------------------------------

function drawResult(root, result) {
  $("#summary").hidden = false;   // first: a chart drawn in a hidden box gets a default width
  const a = result.agreement || {};
  $("#agreement").textContent = (a.count !== undefined ? a.count.toLocaleString("en") : "?") + " of " +
    (result.packages || 0).toLocaleString("en") + " packages are acceptable to every party" +
    (a.exact === false ? " (estimated)" : "") + ".";
  const frontier = result.frontier || [];
  const keys = frontier.length ? Object.keys(frontier[0].utilities || {}) : [];
  const chart = $("#frontier");
  if (window.Plotly && frontier.length && keys.length) {
    const x = keys.length >= 2 ? frontier.map(function (f) { return f.utilities[keys[0]]; }) : frontier.map(function (_, i) { return i + 1; });
    const y = frontier.map(function (f) { return f.utilities[keys.length >= 2 ? keys[1] : keys[0]]; });
    window.Plotly.newPlot(chart, [{ x: x, y: y, mode: "markers", type: "scatter", marker: { color: "#0072B2", size: 9, symbol: "circle" } }], {
      margin: { t: 20, r: 20, b: 50, l: 60 },
      xaxis: { title: { text: keys.length >= 2 ? "utility of " + keys[0] : "frontier package" } },
      yaxis: { title: { text: "utility of " + (keys.length >= 2 ? keys[1] : keys[0]) } },
    }, { displaylogo: false, responsive: true });
    $("#frontier-note").textContent = frontier.length + " packages on the frontier" +
      (keys.length < 2 ? "; only your own party's utility is shown (the others are private)." : ".");
  } else {
    chart.hidden = true;
    $("#frontier-note").textContent = frontier.length + " packages on the frontier; their utilities are private to each party, so no chart is drawn for you.";
  }
  const box = $("#proposals");
  box.textContent = "";
  (result.proposals || []).forEach(function (p, n) {
    const card = el("article");
    card.setAttribute("aria-label", "Proposal " + (n + 1));
    card.appendChild(el("h3", "Proposal " + (n + 1)));
    const parties = Object.keys(Object.assign({}, p.gives || {}, p.gets || {}));
    parties.forEach(function (party) {
      card.appendChild(el("h4", party));
      const dl = el("ul");
      (p.gives && p.gives[party] || []).forEach(function (g) { dl.appendChild(el("li", "gives " + g)); });
      (p.gets && p.gets[party] || []).forEach(function (g) { dl.appendChild(el("li", "gets " + g)); });
      card.appendChild(dl);
    });
    Object.keys(p.utilities || {}).forEach(function (k) { card.appendChild(el("p", "utility of " + k + ": " + p.utilities[k].toFixed(3))); });
    Object.keys(p.slack || {}).forEach(function (k) { card.appendChild(el("p", "slack of " + k + ": " + p.slack[k].toFixed(3))); });
    if (p.p_accept !== undefined) card.appendChild(el("p", "P(accept): " + p.p_accept));
    box.appendChild(card);
  });
}

async function follow(root, job) {
  const status = $("#job-status"), bar = $("#progress");
  for (;;) {
    const r = await api("GET", "/api/jobs/" + job);
    if (!r.ok) { status.textContent = message(r); return; }
    bar.value = r.data.progress || 0;
    status.textContent = "Analysis " + r.data.status + (r.data.status === "running" ? " (" + Math.round(100 * (r.data.progress || 0)) + " %)" : "");
    if (r.data.status === "done") { bar.value = 1; drawResult(root, r.data.result); return; }
    if (r.data.status === "failed") { status.textContent = "Analysis failed: " + (r.data.error || "unknown error"); return; }
    await new Promise(function (res) { setTimeout(res, 500); });
  }
}

function setupResults() {
  const root = $("#results");
  const id = root.dataset.negotiation;
  const run = $("#run");
  if (run) run.disabled = false;
  if (run) run.addEventListener("click", async function () {
    run.disabled = true;
    const r = await api("POST", "/api/negotiations/" + id + "/jobs", { kind: "analyze", options: {} });
    if (!r.ok) { $("#job-status").textContent = message(r); run.disabled = false; return; }
    await follow(root, r.data.job);
    run.disabled = false;
  });
  // Show the latest finished analysis straight away.
  api("GET", "/api/negotiations/" + id + "/jobs").then(function (r) {
    if (!r.ok) return;
    const done = (r.data.jobs || []).filter(function (j) { return j.kind === "analyze" && j.status === "done"; });
    if (done.length) follow(root, done[done.length - 1].job || done[done.length - 1].id);
    else $("#job-status").textContent = "No analysis has run yet.";
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupLogout();
  const page = document.body.dataset.page;
  const setup = { login: setupLogin, negotiations: setupNegotiations, overview: setupOverview, preferences: setupPreferences, results: setupResults }[page];
  if (setup) setup();
  document.body.dataset.ready = "1";   // the browser tests wait for this
});
