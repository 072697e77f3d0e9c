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
    const spot = p.where && errorSpot(form, p.where);
    if (spot) {
      spot.textContent = p.message;
      const input = form.querySelector('[data-path="' + CSS.escape(p.where) + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
    } else rest.push((p.where ? p.where + ": " : "") + p.message);
  });
  const placed = problems.length - rest.length;
  if (placed) rest.unshift("Not saved: " + placed + " problem" + (placed > 1 ? "s" : "") + " marked next to the field" + (placed > 1 ? "s" : "") + ".");
  show(general, rest.join(" "));
}

// The field a problem belongs to: its exact place, else the closest enclosing one
// ("parties[0].stakeholders" holds the problems of "parties[0].stakeholders[2].id").
function errorSpot(form, where) {
  const exact = form.querySelector('[data-error-for="' + CSS.escape(where) + '"]');
  if (exact) return exact;
  let best = null;
  form.querySelectorAll("[data-error-for]").forEach(function (n) {
    const key = n.dataset.errorFor;
    const next = where.charAt(key.length);
    if (key && where.startsWith(key) && (next === "." || next === "[") && (!best || key.length > best.dataset.errorFor.length)) best = n;
  });
  return best;
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

// ---- the guided create form ---------------------------------------------------------------

function words(text) { return text.split(",").map(function (w) { return w.trim(); }).filter(Boolean); }
function slug(text) {
  const s = text.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  return s || "guided";
}
let rowCount = 0;
function addRow(box, template) {
  const row = template.content.firstElementChild.cloneNode(true);
  const n = ++rowCount;
  row.querySelectorAll("[data-field]").forEach(function (input) {
    input.id = "g" + n + "-" + input.dataset.field;
    row.querySelector('[data-for="' + input.dataset.field + '"]').htmlFor = input.id;
  });
  row.querySelector(".remove").addEventListener("click", function () {
    row.remove();
    refreshGivers();
  });
  box.appendChild(row);
  return row;
}
function rows(kind) { return Array.from(document.querySelectorAll('[data-row="' + kind + '"]')); }
function field(row, name) { return row.querySelector('[data-field="' + name + '"]'); }
// Every issue's "party that gives" list follows the parties entered above it.
function refreshGivers() {
  const ids = rows("party").map(function (r) { return field(r, "id").value.trim(); }).filter(Boolean);
  rows("issue").forEach(function (r) {
    const select = field(r, "giver"), chosen = select.value;
    select.textContent = "";
    select.appendChild(el("option", "(no party)")).value = "";
    ids.forEach(function (id) { select.appendChild(el("option", id)).value = id; });
    if (ids.indexOf(chosen) >= 0) select.value = chosen;
  });
}
// Problems of the scenario come back located ("scenario: issues[1].options"): name the fields so.
function locateRows() {
  ["party", "issue"].forEach(function (kind) {
    rows(kind).forEach(function (r, k) {
      r.querySelectorAll("[data-error]").forEach(function (n) {
        n.dataset.errorFor = "scenario: " + (kind === "party" ? "parties" : "issues") + "[" + k + "]." + n.dataset.error;
      });
    });
  });
}
// A scenario with neutral preferences: equal weights, values rising along the options for
// everyone but the giver (falling for the giver), reservation 0.4.
function guidedScenario(title) {
  const parties = rows("party").map(function (r) {
    const p = { id: field(r, "id").value.trim(), stakeholders: words(field(r, "stakeholders").value).map(function (id) { return { id: id }; }) };
    if (field(r, "name").value.trim()) p.name = field(r, "name").value.trim();
    return p;
  });
  const issues = rows("issue").map(function (r) {
    const i = { id: field(r, "id").value.trim(), options: words(field(r, "options").value).map(function (id) { return { id: id }; }) };
    if (field(r, "name").value.trim()) i.name = field(r, "name").value.trim();
    if (field(r, "giver").value) i.giver = field(r, "giver").value;
    return i;
  });
  const preferences = {};
  parties.forEach(function (p) {
    p.stakeholders.forEach(function (s) {
      const weights = {}, values = {};
      issues.forEach(function (i) {
        weights[i.id] = 1;
        values[i.id] = {};
        const n = i.options.length;
        i.options.forEach(function (o, k) {
          const up = n > 1 ? round(k / (n - 1), 4) : 1;
          values[i.id][o.id] = i.giver === p.id ? round(1 - up, 4) : up;
        });
      });
      preferences[p.id + "." + s.id] = { reservation: 0.4, weights: weights, values: values };
    });
  });
  return { dealcraft: 1, id: slug(title), title: title, parties: parties, issues: issues, preferences: preferences };
}

function setupGuided(form) {
  const box = $("#guided");
  const partyBox = $("#g-parties"), issueBox = $("#g-issues");
  $("#add-party").addEventListener("click", function () { field(addRow(partyBox, $("#party-row")), "id").focus(); refreshGivers(); });
  $("#add-issue").addEventListener("click", function () { field(addRow(issueBox, $("#issue-row")), "id").focus(); refreshGivers(); });
  partyBox.addEventListener("input", refreshGivers);
  form.querySelectorAll('input[name="source"]').forEach(function (r) {
    r.addEventListener("change", function () {
      box.hidden = !$("#src-guided").checked;
      if (!box.hidden && !rows("party").length) {
        addRow(partyBox, $("#party-row")); addRow(partyBox, $("#party-row")); addRow(issueBox, $("#issue-row"));
        refreshGivers();
      }
    });
  });
}

function setupNegotiations() {
  const form = $("#create-form");
  setupGuided(form);
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    let scenario = form.builtin.value;
    if ($("#src-file").checked) {
      const f = form.file.files[0];
      if (!f) { show($("#create-error"), "choose a YAML file to upload"); return; }
      scenario = await f.text();
    } else if ($("#src-guided").checked) {
      locateRows();
      scenario = JSON.stringify(guidedScenario(form.title.value.trim()));   // JSON is YAML too
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

function isNumber(v) { return typeof v === "number" && isFinite(v); }
function isRange(v) { return Array.isArray(v) && v.length === 2 && v.every(isNumber); }

// One number of the form: fixed, or a [low, high] range when "uncertain" is ticked.
function numParts(box) {
  const inputs = box.querySelectorAll("input[type=number]");
  return { fixed: inputs[0], low: inputs[1], high: inputs[2], range: box.querySelector("input[type=checkbox]"),
    fixedBox: box.querySelector(".fixed"), rangeBox: box.querySelector(".range") };
}
function showRange(box) {
  const n = numParts(box);
  n.fixedBox.hidden = n.range.checked;
  n.rangeBox.hidden = !n.range.checked;
}
function fillNumber(box, v) {
  const n = numParts(box);
  n.range.checked = isRange(v);
  if (isRange(v)) { n.low.value = v[0]; n.high.value = v[1]; n.fixed.value = round((v[0] + v[1]) / 2, 6); }
  else if (isNumber(v)) { n.fixed.value = v; n.low.value = v; n.high.value = v; }
  showRange(box);
}
function readNumber(box) {
  const n = numParts(box);
  const num = function (i) { const x = parseFloat(i.value); return isNaN(x) ? i.value : x; };
  return n.range.checked ? [num(n.low), num(n.high)] : num(n.fixed);
}
function toggleRange(box) {
  const n = numParts(box);
  if (n.range.checked) {   // a fixed number becomes a range around it, and back to its middle
    const x = parseFloat(n.fixed.value);
    if (!isNaN(x)) {
      const lo = parseFloat(box.dataset.lo), hi = parseFloat(box.dataset.hi);
      n.low.value = round(Math.max(lo, x - 0.05), 4); n.high.value = round(Math.min(hi, x + 0.05), 4);
    }
  } else {
    const a = parseFloat(n.low.value), b = parseFloat(n.high.value);
    if (!isNaN(a) && !isNaN(b)) n.fixed.value = round((a + b) / 2, 6);
  }
  showRange(box);
  (n.range.checked ? n.low : n.fixed).focus();
}

function setupPreferences() {
  const form = $("#prefs-form");
  let base = JSON.parse($("#prefs-data").textContent);   // the version being edited
  const issues = JSON.parse($("#issues-data").textContent);
  const neg = form.dataset.negotiation;
  const url = "/api/negotiations/" + neg + "/preferences/" + encodeURIComponent(form.dataset.party);
  const q = function (attr, sid) { return form.querySelector("[" + attr + '="' + CSS.escape(sid) + '"]'); };

  // ---- weights: sliders (with an exact number beside each) that always sum to 100 % ----
  function sliders(sid) {
    return Array.from(form.querySelectorAll('[data-weights-for="' + CSS.escape(sid) + '"] input.slider'));
  }
  function twin(slider) { return form.querySelector('[data-twin="' + CSS.escape(slider.id) + '"]'); }
  // The exact share lives in data-exact; the slider and the number show it rounded to 0.1 %.
  function setWeight(slider, v) { slider.dataset.exact = v; slider.value = v; twin(slider).value = round(v, 1); }
  function exact(slider) { return parseFloat(slider.dataset.exact) || 0; }
  function showSum(sid) {
    const total = sliders(sid).reduce(function (s, i) { return s + exact(i); }, 0);
    q("data-sum-for", sid).textContent = "(sum " + round(total, 1) + " %)";
  }
  // The moved weight keeps its new value; the others share what is left in their old proportions.
  function rebalance(sid, moved, value) {
    const all = sliders(sid), others = all.filter(function (i) { return i !== moved; });
    const v = Math.min(100, Math.max(0, isNaN(value) ? 0 : value));
    const rest = others.reduce(function (s, i) { return s + exact(i); }, 0);
    setWeight(moved, v);
    others.forEach(function (i) {
      setWeight(i, rest > 0 ? (exact(i) * (100 - v)) / rest : (100 - v) / others.length);
    });
    all.forEach(function (i) { i.dataset.touched = "1"; });
    showSum(sid);
  }
  function fillWeights(data) {
    Object.keys(data.preferences).forEach(function (sid) {
      const inputs = sliders(sid);
      const total = inputs.reduce(function (s, i) {
        const w = getPath(data, i.dataset.path);
        return s + (isNumber(w) ? w : 0);
      }, 0);
      inputs.forEach(function (i) {
        const w = getPath(data, i.dataset.path);
        setWeight(i, total > 0 ? (100 * w) / total : 0);
        delete i.dataset.touched;   // untouched weights keep their exact saved numbers
      });
      if (inputs.length) showSum(sid);
    });
  }

  // ---- red lines: a list of expressions, added from pickers or typed, checked by the server ----
  async function check(text) {
    const r = await api("POST", "/api/negotiations/" + neg + "/expressions", { expression: text });
    return r.ok ? "" : message(r);
  }
  function redLine(list, sid, text) {
    const li = el("li");
    const k = list.children.length;
    const id = "rl-" + sid + "-" + k + "-" + Math.random().toString(36).slice(2, 7);
    const label = el("label", "Red line " + (k + 1));
    label.htmlFor = id;
    label.className = "sr-only";
    const input = el("input");
    input.id = id; input.value = text; input.size = 50; input.className = "redline";
    const note = el("span", "", "field-error");
    note.setAttribute("role", "alert");
    let timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        note.textContent = await check(input.value);
        input.setAttribute("aria-invalid", note.textContent ? "true" : "false");
      }, 250);
    });
    const remove = el("button", "Remove", "link");
    remove.type = "button";
    remove.setAttribute("aria-label", "Remove red line " + (k + 1));
    remove.addEventListener("click", function () { li.remove(); renumber(list, sid); });
    li.append(label, input, " ", remove, note);
    list.appendChild(li);
    renumber(list, sid);
    return input;
  }
  // Problems of a saved red line come back as preferences.<sid>.constraints[k]: keep k in step.
  function renumber(list, sid) {
    Array.from(list.children).forEach(function (li, k) {
      li.querySelector(".field-error").dataset.errorFor = "preferences." + sid + ".constraints[" + k + "]";
    });
  }
  function fillRedLines(data) {
    form.querySelectorAll("[data-redlines-for]").forEach(function (list) {
      const sid = list.dataset.redlinesFor;
      list.textContent = "";
      ((data.preferences[sid] || {}).constraints || []).forEach(function (t) { redLine(list, sid, t); });
    });
  }
  function options(select, issue) {
    select.textContent = "";
    ((issues[issue] || {}).options || []).forEach(function (o) { select.appendChild(el("option", o.name ? o.name + " (" + o.id + ")" : o.id)).value = o.id; });
  }
  form.querySelectorAll("[data-builder-for]").forEach(function (b) {
    const sid = b.dataset.builderFor, list = q("data-redlines-for", sid);
    const pick = function (name) { return b.querySelector('[data-pick="' + name + '"]'); };
    options(pick("option"), pick("issue").value);
    pick("issue").addEventListener("change", function () { options(pick("option"), pick("issue").value); });
    const typed = pick("text"), status = b.querySelector(".check");
    typed.addEventListener("keydown", function (ev) {   // Enter adds the red line, it does not save
      if (ev.key === "Enter") { ev.preventDefault(); b.querySelector('[data-add="text"]').click(); }
    });
    let timer = null;
    typed.addEventListener("input", function () {
      clearTimeout(timer);
      if (!typed.value.trim()) { status.textContent = ""; return; }
      timer = setTimeout(async function () {
        const problem = await check(typed.value);
        status.textContent = problem ? problem : "valid";
        status.className = "check " + (problem ? "error" : "ok");
      }, 250);
    });
    b.querySelector('[data-add="pick"]').addEventListener("click", function () {
      redLine(list, sid, pick("issue").value + " " + pick("op").value + " " + pick("option").value);
      show($("#prefs-ok"), "");
    });
    b.querySelector('[data-add="text"]').addEventListener("click", async function () {
      const problem = await check(typed.value);
      if (problem) { status.textContent = problem; status.className = "check error"; typed.focus(); return; }
      redLine(list, sid, typed.value.trim());
      typed.value = ""; status.textContent = "";
    });
  });

  // ---- sources: document, locator, note (a quote or `about` already there is kept) ----
  function sourceRow(box, sid, src) {
    const k = box.children.length;
    const row = el("div", undefined, "row source");
    row.dataset.original = JSON.stringify(src);   // a quote or `about` is kept as it was
    const tag = sid + "-" + k + "-" + Math.random().toString(36).slice(2, 7);
    [["doc", "Document"], ["at", "Locator (e.g. paragraph 12)"], ["note", "Note"]].forEach(function (f) {
      const p = el("p"), label = el("label", f[1] + " (source " + (k + 1) + ")"), input = el("input");
      input.id = "src-" + f[0] + "-" + tag; label.htmlFor = input.id;
      input.dataset.source = f[0]; input.value = src[f[0]] || ""; input.size = f[0] === "note" ? 40 : 20;
      const err = el("span", "", "field-error"); err.setAttribute("role", "alert");
      err.dataset.errorFor = "preferences." + sid + ".sources[" + k + "]." + f[0];
      p.append(label, input, err);
      row.appendChild(p);
    });
    const remove = el("button", "Remove source " + (k + 1), "link");
    remove.type = "button";
    remove.addEventListener("click", function () { row.remove(); });
    row.appendChild(el("p")).appendChild(remove);
    box.appendChild(row);
    return row;
  }
  function fillSources(data) {
    form.querySelectorAll("[data-sources-for]").forEach(function (box) {
      const sid = box.dataset.sourcesFor;
      box.textContent = "";
      ((data.preferences[sid] || {}).sources || []).forEach(function (src) { sourceRow(box, sid, src); });
    });
  }
  form.querySelectorAll("[data-add-source]").forEach(function (b) {
    b.addEventListener("click", function () {
      const sid = b.dataset.addSource;
      sourceRow(q("data-sources-for", sid), sid, {}).querySelector("input").focus();
    });
  });

  function fill(data) {
    form.querySelectorAll("[data-num]").forEach(function (box) { fillNumber(box, getPath(data, box.dataset.num)); });
    fillWeights(data);
    fillRedLines(data);
    fillSources(data);
    $("#version").textContent = data.version;
    $("#author").textContent = data.author;
    $("#updated").textContent = (data.updated_at || "").slice(0, 16).replace("T", " ");
  }
  // The form on top of `onto`: numbers, weights normalised to sum to 1 (untouched ones kept
  // exactly), red lines and sources.
  function collect(onto) {
    const out = clone(onto);
    form.querySelectorAll("[data-num]").forEach(function (box) { setPath(out, box.dataset.num, readNumber(box)); });
    Object.keys(out.preferences).forEach(function (sid) {
      const inputs = sliders(sid);
      if (inputs.some(function (i) { return i.dataset.touched; })) {
        inputs.forEach(function (i) {
          setPath(out, i.dataset.path, round(exact(i) / 100, 6));
        });
      }
      const list = q("data-redlines-for", sid);
      if (list) {
        const lines = Array.from(list.querySelectorAll("input.redline")).map(function (i) { return i.value; });
        if (lines.length || out.preferences[sid].constraints) out.preferences[sid].constraints = lines;
      }
      const box = q("data-sources-for", sid);
      if (box) {
        const sources = Array.from(box.children).map(function (row) {
          const src = JSON.parse(row.dataset.original || "{}");
          row.querySelectorAll("[data-source]").forEach(function (i) {
            if (i.value.trim()) src[i.dataset.source] = i.value.trim();
            else delete src[i.dataset.source];
          });
          return src;
        });
        if (sources.length || out.preferences[sid].sources) out.preferences[sid].sources = sources;
      }
    });
    return out;
  }

  fill(base);
  form.addEventListener("input", function (ev) {
    const t = ev.target;
    if (t.classList.contains("slider")) rebalance(t.closest(".weights").dataset.weightsFor, t, parseFloat(t.value));
    else if (t.dataset.twin) {
      const slider = document.getElementById(t.dataset.twin), v = parseFloat(t.value);
      if (!isNaN(v)) rebalance(slider.closest(".weights").dataset.weightsFor, slider, v);
    }
    t.removeAttribute("aria-invalid");
    show($("#prefs-ok"), "");
  });
  form.addEventListener("change", function (ev) {
    if (ev.target.type === "checkbox" && ev.target.closest("[data-num]")) toggleRange(ev.target.closest("[data-num]"));
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

// Okabe–Ito: distinguishable with every common colour-vision deficiency.
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const PLOT_CONFIG = { displaylogo: false, responsive: true };
function layout(x, y, extra) {
  return Object.assign({
    margin: { t: 20, r: 20, b: 60, l: 70 },
    xaxis: { title: { text: x }, automargin: true },
    yaxis: { title: { text: y }, automargin: true },
    legend: { orientation: "h", y: -0.25 },
    font: { family: "system-ui, sans-serif" },
  }, extra || {});
}
function plot(node, traces, lay) {
  node.hidden = false;
  if (window.Plotly) window.Plotly.newPlot(node, traces, lay, PLOT_CONFIG);
}

function drawAnalysis(result) {
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
    plot(chart, [{ x: x, y: y, mode: "markers", type: "scatter", marker: { color: PALETTE[0], size: 9, symbol: "circle" } }],
      layout(keys.length >= 2 ? "utility of " + keys[0] : "frontier package", "utility of " + (keys.length >= 2 ? keys[1] : keys[0])));
    $("#frontier-note").textContent = frontier.length + " packages on the frontier" +
      (keys.length < 2 ? "; only your own party's utility is shown (the others are private)." : ".");
  } else {
    chart.hidden = true;
    $("#frontier-note").textContent = frontier.length + " packages on the frontier; their utilities are private to each party, so no chart is drawn for you.";
  }
  const box = $("#proposals");
  box.textContent = "";
  const proposals = result.proposals || [];
  proposals.forEach(function (p, n) {
    const card = el("article");
    card.setAttribute("aria-label", "Proposal " + (n + 1));
    card.appendChild(el("h4", "Proposal " + (n + 1)));
    const parties = Object.keys(Object.assign({}, p.gives || {}, p.gets || {}));
    parties.forEach(function (party) {
      card.appendChild(el("h5", party));
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
  const slack = $("#slack");
  if (slack) {
    const who = Array.from(new Set([].concat.apply([], proposals.map(function (p) { return Object.keys(p.slack || {}); }))));
    if (who.length) {
      plot(slack, proposals.map(function (p, n) {
        return { type: "bar", name: "proposal " + (n + 1), x: who, y: who.map(function (k) { return (p.slack || {})[k]; }), marker: { color: PALETTE[n % PALETTE.length] } };
      }), layout("stakeholder", "slack (utility − reservation)", { barmode: "group" }));
    } else slack.hidden = true;
  }
}

function table(head, rows) {
  const t = el("table"), thead = el("thead"), tr = el("tr"), body = el("tbody");
  head.forEach(function (h) { const th = el("th", h); th.scope = "col"; tr.appendChild(th); });
  thead.appendChild(tr); t.appendChild(thead);
  rows.forEach(function (r) { const row = el("tr"); r.forEach(function (c) { row.appendChild(el("td", c)); }); body.appendChild(row); });
  t.appendChild(body);
  return t;
}
function verdicts(ev) {
  return table(["party", "verdict", "who says no (your own stakeholders only)"], (ev.parties || []).map(function (p) {
    return [p.id, p.accepts ? "accepts" : "rejects", (p.rejecting || []).join(", ") || (p.rejecting ? "–" : "(private)")];
  }));
}
function drawBridge(result) {
  const out = $("#bridge-out");
  out.hidden = false;
  out.textContent = "";
  const o = result.original;
  out.appendChild(el("h3", "The package " + (o.accepted ? "is acceptable to every party" : "fails")));
  out.appendChild(verdicts(o));
  (o.stakeholders || []).filter(function (s) { return s.reason; }).forEach(function (s) { out.appendChild(el("p", s.id + ": " + s.reason)); });
  if (!o.accepted) {
    if (result.bridge) {
      out.appendChild(el("h3", "Smallest change: " + result.changes.length + " issue(s)"));
      out.appendChild(table(["issue", "offer", "bridge"], result.changes.map(function (c) { return [c.issue, c.from, c.to]; })));
      out.appendChild(verdicts(result.bridge));
    } else out.appendChild(el("p", "No acceptable package exists, so there is no bridge."));
  }
}

function drawRoadmap(result) {
  const phases = result.phases || [];
  $("#roadmap-note").textContent = (result.feasible ? "Feasible" : "Not feasible within the trust of every party") + ": " +
    phases.length + " phase(s), " + result.total_weeks + " weeks.";
  const parties = Array.from(new Set([].concat.apply([], phases.map(function (ph) { return Object.keys(ph.by_party || {}); }))));
  let start = 0;
  const starts = phases.map(function (ph) { const s = start; start += ph.weeks; return s; });
  plot($("#roadmap"), parties.map(function (party, k) {
    return {
      type: "bar", orientation: "h", name: party, marker: { color: PALETTE[k % PALETTE.length] },
      y: phases.map(function (_, n) { return "phase " + (n + 1); }),
      base: starts, x: phases.map(function (ph) { return (ph.by_party || {})[party] && ph.by_party[party].length ? ph.weeks : 0; }),
      text: phases.map(function (ph) { return ((ph.by_party || {})[party] || []).join(", "); }),
      hovertemplate: party + ": %{text}<extra></extra>",
    };
  }), layout("weeks from the start", "phase", { barmode: "group", yaxis: { title: { text: "phase" }, autorange: "reversed", automargin: true } }));
}

const OUTCOMES = [["p_deal", "deal (agreed and ratified)"], ["p_walkout", "walk-out"], ["p_deadline", "deadline reached"], ["p_ratification_failure", "vetoed at home"]];
function drawSimulation(result) {
  const rows = OUTCOMES.filter(function (o) { return result[o[0]] !== undefined; });
  const top = (result.outcomes || []).slice(0, 5);
  const labels = rows.map(function (o) { return o[1]; }).concat(top.map(function (o, n) { return "deal " + (n + 1) + ": " + Object.keys(o.changes || {}).map(function (k) { return k + "=" + o.changes[k]; }).join(", ").slice(0, 60); }));
  const values = rows.map(function (o) { return result[o[0]]; }).concat(top.map(function (o) { return o.share; }));
  plot($("#simulate"), [{ type: "bar", orientation: "h", y: labels, x: values, marker: { color: labels.map(function (_, n) { return n < rows.length ? PALETTE[0] : PALETTE[2]; }) }, hovertemplate: "%{y}: %{x:.1%}<extra></extra>" }],
    layout("share of " + result.runs + " simulated negotiations", "outcome", { xaxis: { title: { text: "share of " + result.runs + " simulated negotiations" }, tickformat: ".0%", range: [0, 1] }, yaxis: { autorange: "reversed", automargin: true } }));
}

function drawSensitivity(result) {
  const rows = (result.parameters || []).slice().sort(function (a, b) { return (b.swing || 0) - (a.swing || 0); }).slice(0, 12);
  $("#sensitivity-note").textContent = "P(accept) of proposal 1: " + (100 * result.p_accept).toFixed(1) + " %" +
    (rows.length ? "; below, each of your party's numbers at its low and high end." : "; the numbers behind it belong to the parties' delegates, so none are shown to you.");
  if (!rows.length) { $("#sensitivity").hidden = true; return; }
  const names = rows.map(function (r) { return r.id; });
  plot($("#sensitivity"), [
    { type: "bar", orientation: "h", name: "at the low end", y: names, x: rows.map(function (r) { return r.p_low; }), marker: { color: PALETTE[1] } },
    { type: "bar", orientation: "h", name: "at the high end", y: names, x: rows.map(function (r) { return r.p_high; }), marker: { color: PALETTE[0] } },
  ], layout("P(accept)", "your party's number", { barmode: "group", xaxis: { title: { text: "P(accept)" }, tickformat: ".0%", range: [0, 1] }, yaxis: { autorange: "reversed", automargin: true } }));
}

const DRAW = { analyze: drawAnalysis, bridge: drawBridge, roadmap: drawRoadmap, simulate: drawSimulation, sensitivity: drawSensitivity };
const NAMES = { analyze: "Analysis", bridge: "Bridge", roadmap: "Roadmap", simulate: "Simulation", sensitivity: "Sensitivity" };
function statusOf(kind) { return kind === "analyze" ? $("#job-status") : $('[data-status="' + kind + '"]'); }
function barOf(kind) { return kind === "analyze" ? $("#progress") : $('[data-progress="' + kind + '"]'); }

async function follow(kind, job) {
  const status = statusOf(kind), bar = barOf(kind);
  for (;;) {
    const r = await api("GET", "/api/jobs/" + job);
    if (!r.ok) { status.textContent = message(r); return; }
    bar.value = r.data.progress || 0;
    status.textContent = NAMES[kind] + " " + r.data.status + (r.data.status === "running" ? " (" + Math.round(100 * (r.data.progress || 0)) + " %)" : "");
    if (r.data.status === "done") { bar.value = 1; DRAW[kind](r.data.result); return; }
    if (r.data.status === "failed") { status.textContent = NAMES[kind] + " failed: " + (r.data.error || "unknown error"); return; }
    await new Promise(function (res) { setTimeout(res, 400); });
  }
}

function jobOptions(kind) {
  if (kind === "bridge") {
    const pkg = {};
    document.querySelectorAll("#bridge-form [data-issue]").forEach(function (s) { pkg[s.dataset.issue] = s.value; });
    return { package: pkg };
  }
  if (kind === "simulate") return { runs: 200 };
  if (kind === "sensitivity") return { samples: 300 };
  return {};
}

function setupResults() {
  const root = $("#results");
  const id = root.dataset.negotiation;
  const buttons = { analyze: $("#run") };
  document.querySelectorAll("[data-run]").forEach(function (b) { buttons[b.dataset.run] = b; });
  Object.keys(buttons).forEach(function (kind) {
    const b = buttons[kind];
    if (!b) return;
    b.disabled = false;
    b.addEventListener("click", async function () {
      b.disabled = true;
      const r = await api("POST", "/api/negotiations/" + id + "/jobs", { kind: kind, options: jobOptions(kind) });
      if (!r.ok) { statusOf(kind).textContent = message(r); b.disabled = false; return; }
      await follow(kind, r.data.job);
      b.disabled = false;
    });
  });
  // Show the latest finished result of each kind straight away.
  api("GET", "/api/negotiations/" + id + "/jobs").then(function (r) {
    if (!r.ok) return;
    Object.keys(DRAW).forEach(function (kind) {
      const done = (r.data.jobs || []).filter(function (j) { return j.kind === kind && j.status === "done"; });
      if (done.length) follow(kind, done[done.length - 1].job);
      else statusOf(kind).textContent = kind === "analyze" ? "No analysis has run yet." : "Not run yet.";
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupLogout();
  const page = document.body.dataset.page;
  const setup = { login: setupLogin, negotiations: setupNegotiations, overview: setupOverview, preferences: setupPreferences, results: setupResults }[page];
  if (setup) setup();
  document.body.dataset.ready = "1";   // the browser tests wait for this
});
