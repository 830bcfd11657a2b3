// sitrep dashboard: offline (no CDN, no tiles). Province/district polygons from the
// conflict profile's gazetteer are coloured by control as of the slider date; event markers are
// drawn on a canvas (fast with 10,000 events); table rows render in pages of 300.
"use strict";

// the conflict profile's sides and states (GET /profile, sitrep/profile.py): colour and
// label per controller id, and the profile's word for each unit level (province / oblast)
const CONTROL = {};
const LABELS = {};
const LEVELS = {};
const NO_STATE = "#f4f4f2";
const TYPES = {
  "Battles": "#c0392b", "Explosions/Remote violence": "#8e44ad", "Violence against civilians": "#d35400",
  "Strategic developments": "#27ae60", "Protests": "#2980b9", "Riots": "#7f8c8d",
};
const DAY = 86400000;
const PAGE = 300;

const state = {
  events: [], changes: [], claims: [], days: [], asOf: null, from: null, to: null, minConfidence: null,
  // "since your last visit": the change log since this browser last saw the data
  since: { from: null, items: [] }, lastSeq: 0, pollMs: 15000, refreshes: 0,
  selected: null, layers: { province: null, district: null, points: null, markers: null },
};
window.sitrep = state; // for the browser test and for curious users
const pollParam = +new URLSearchParams(location.search).get("poll");
if (pollParam >= 100) state.pollMs = pollParam; // ?poll=MS: how often to look for new data

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
// Only http(s) URLs become links; anything else (javascript:, data:, …) is shown as text.
const httpUrl = (u) => typeof u === "string" && /^https?:\/\/[^\s]+$/i.test(u.trim());
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const parse = (d) => Date.parse(d + "T00:00:00Z");

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

// Events and control changes at the minimum confidence (null: the API's default, which
// the events response reports back).
async function loadData(minConfidence) {
  const mc = minConfidence == null ? "" : `&min_confidence=${minConfidence}`;
  const [events, changes] = await Promise.all([
    getJSON(`/events?view=summary&limit=10000&sort=date${mc}`), getJSON(`/control/changes?${mc.slice(1)}`),
  ]);
  state.events = events.items;
  state.changes = changes.items;
  state.minConfidence = events.min_confidence;
}

function setDays() {
  const dates = [...state.events.map((e) => parse(e.date_start)), ...state.changes.map((c) => parse(c.date))];
  const lo = dates.length ? Math.min(...dates) : Date.now();
  const hi = dates.length ? Math.max(...dates) : Date.now();
  state.days = [];
  for (let t = lo; t <= hi; t += DAY) state.days.push(t);
  state.from = lo; state.to = hi; state.asOf = hi;
}

function applyProfile(profile) {
  for (const c of profile.controllers) { CONTROL[c.key] = c.colour; LABELS[c.key] = c.label; }
  for (const [level, names] of Object.entries(profile.unit_levels)) LEVELS[level] = names;
  state.profile = profile;
  document.title = `sitrep — ${profile.title}`;
  $("#profile-title").textContent = profile.title;
  const all = $("#admin1-filter option[value='']");
  if (all && LEVELS.province) all.textContent = `All ${LEVELS.province.plural}`;
}

const sideLabel = (k) => LABELS[k] || k;
const levelLabel = (level) => (LEVELS[level] ? LEVELS[level].label : level.replace("_", " "));

async function main() {
  const [, claims, provinces, districts, profile] = await Promise.all([
    loadData(null), getJSON("/claims"),
    getJSON("/geo/units?level=province"), getJSON("/geo/units?level=district"), getJSON("/profile"),
  ]);
  applyProfile(profile);
  state.claims = claims.items;
  setDays();

  buildMap(provinces, districts);
  buildControls();
  buildFilters();
  renderAll();
  await loadSince();
  state.ready = true;
  document.body.dataset.ready = "1";
  setTimeout(poll, state.pollMs);
}

// The moment of the last change this browser has shown, kept in localStorage: the next
// visit lists what changed after it. The API's as_of is the cursor (never this clock).
const LAST_SEEN = "sitrep.lastSeen";

async function loadSince() {
  const last = localStorage.getItem(LAST_SEEN);
  const r = await getJSON(`/changes?since=${encodeURIComponent(last || "24h")}&limit=500`);
  state.since = { from: last, items: r.items.reverse() };
  state.lastSeq = r.last_seq;
  if (r.as_of) localStorage.setItem(LAST_SEEN, r.as_of);
  renderSince();
}

// Self-refresh: a light poll of /status; when the writer has published new changes, the
// new ones join the "since your last visit" list and the map, timeline and table reload.
async function poll() {
  try {
    const status = await getJSON("/status");
    if (status.snapshot.last_seq > state.lastSeq) {
      const r = await getJSON(`/changes?after_seq=${state.lastSeq}&limit=500`);
      state.since.items = [...r.items.reverse(), ...state.since.items];
      state.lastSeq = r.last_seq;
      if (r.as_of) localStorage.setItem(LAST_SEEN, r.as_of);
      renderSince();
      await refreshData(state.minConfidence);
      state.refreshes += 1;
    }
  } catch (err) {
    $("#since-when").textContent = `(refresh failed: ${err.message})`;
  }
  setTimeout(poll, state.pollMs);
}

function renderSince() {
  const what = (c) => c.event_id
    ? `<a href="#" data-event="${esc(c.event_id)}">${esc(c.sub_event_type || "event")}</a> ${esc(c.location || "")}${c.admin1 && c.admin1 !== c.location ? ", " + esc(c.admin1) : ""}
       <small>${esc(c.date || "")}${Object.keys(c.changed || {}).map((k) => ` · ${esc(k)} ${esc(c.changed[k][0])}→${esc(c.changed[k][1])}`).join("")}</small>`
    : `${esc(c.unit_name || c.unit_id)}${c.admin1 && c.admin1 !== c.unit_name ? ", " + esc(c.admin1) : ""} ${esc(c.previous || "")}→<b>${esc(c.controller || "")}</b> <small>${esc(c.date || "")}</small>`;
  const label = { new_event: "new", updated_event: "updated", removed_event: "removed", control_changed: "control", control_withdrawn: "withdrawn" };
  const outlets = (c) => [...new Set((c.sources || []).map((s) => s.outlet || "?"))].join(", ");
  $("#since-list").innerHTML = state.since.items.slice(0, 100).map((c) => `<li class="since-${esc(c.kind)}">
    <span class="badge">${esc(label[c.kind] || c.kind)}</span> ${what(c)}${outlets(c) ? ` <small>· ${esc(outlets(c))}</small>` : ""}</li>`).join("")
    || "<li>Nothing new.</li>";
  $("#since-when").textContent = state.since.from ? `(${state.since.from.slice(0, 16).replace("T", " ")} UTC)` : "(last 24 hours)";
  for (const a of document.querySelectorAll("#since-list a[data-event]")) {
    a.addEventListener("click", (ev) => { ev.preventDefault(); showEvent(a.dataset.event); });
  }
}

// Events and control reloaded at a minimum confidence, the controls reset to the new range.
async function refreshData(minConfidence) {
  await loadData(minConfidence);
  setDays();
  const slider = $("#date-slider"), f = $("#period-from"), t = $("#period-to");
  slider.max = String(state.days.length - 1);
  slider.value = slider.max;
  f.value = iso(state.from); t.value = iso(state.to);
  f.min = t.min = iso(state.from); f.max = t.max = iso(state.to);
  renderAll();
}

function buildMap(provinces, districts) {
  const map = L.map("map", { preferCanvas: false, zoomSnap: 0.25, attributionControl: false });
  state.map = map;
  const svg = L.svg();
  const unitStyle = (level) => (f) => ({
    renderer: svg, weight: level === "province" ? 1.2 : 0.3, color: "#555", fillOpacity: level === "province" ? 0.9 : 0.85,
    fillColor: NO_STATE, className: `unit unit-${f.properties.unit_id} level-${level}`,
  });
  state.layers.province = L.geoJSON(provinces, { style: unitStyle("province") }).addTo(map);
  state.layers.district = L.geoJSON(districts, {
    style: unitStyle("district"),
    onEachFeature: (f, layer) => layer.bindTooltip(() => unitTooltip(f.properties)),
  }).addTo(map);
  state.layers.points = L.layerGroup().addTo(map);
  state.layers.markers = L.layerGroup().addTo(map);
  state.canvas = L.canvas({ padding: 0.2 });
  map.fitBounds(state.layers.province.getBounds());
  $("#legend").innerHTML = Object.entries(CONTROL).map(([k, c]) => `<span style="--c:${c}">${esc(sideLabel(k))}</span>`).join("")
    + Object.entries(TYPES).map(([k, c]) => `<span style="--c:${c}">● ${k}</span>`).join("");
}

function buildControls() {
  const slider = $("#date-slider");
  slider.max = String(state.days.length - 1);
  slider.value = slider.max;
  slider.addEventListener("input", () => { state.asOf = state.days[+slider.value]; renderControl(); renderTimeline(); });
  const f = $("#period-from"), t = $("#period-to");
  f.value = iso(state.from); t.value = iso(state.to);
  f.min = t.min = iso(state.from); f.max = t.max = iso(state.to);
  const onPeriod = () => {
    state.from = f.value ? parse(f.value) : state.days[0];
    state.to = t.value ? parse(t.value) : state.days[state.days.length - 1];
    renderAll();
  };
  f.addEventListener("change", onPeriod);
  t.addEventListener("change", onPeriod);
  const mc = $("#min-confidence");
  mc.value = String(state.minConfidence);
  mc.addEventListener("change", async () => {
    const v = Math.min(1, Math.max(0, +mc.value || 0));
    document.body.dataset.ready = "0";
    await refreshData(v);
    document.body.dataset.ready = "1";
  });
  $("#detail-close").addEventListener("click", () => { $("#detail").hidden = true; });
}

function buildFilters() {
  const types = [...new Set(state.events.map((e) => e.event_type))].sort();
  const provs = [...new Set(state.events.map((e) => e.admin1).filter(Boolean))].sort();
  $("#type-filter").insertAdjacentHTML("beforeend", types.map((x) => `<option>${esc(x)}</option>`).join(""));
  $("#admin1-filter").insertAdjacentHTML("beforeend", provs.map((x) => `<option>${esc(x)}</option>`).join(""));
  for (const id of ["#search", "#type-filter", "#admin1-filter"]) $(id).addEventListener("input", renderTable);
}

// Latest change per unit on or before the slider date.
function controlAsOf(t) {
  const latest = new Map();
  for (const c of state.changes) {
    if (parse(c.date) > t) continue;
    const prev = latest.get(c.unit_id);
    if (!prev || prev.date <= c.date) latest.set(c.unit_id, c);
  }
  return latest;
}

function unitTooltip(p) {
  const s = state.controlNow && (state.controlNow.get(p.unit_id) || state.districtState.get(p.unit_id));
  return `<b>${esc(p.name)}</b> (${esc(p.admin1 || "")})<br>${s ? `${esc(sideLabel(s.controller))} since ${esc(s.date)}${s.confirmed ? "" : " (unconfirmed)"}` : "no reported change"}`;
}

function renderControl() {
  $("#date-label").textContent = iso(state.asOf);
  const now = controlAsOf(state.asOf);
  state.controlNow = now;
  // A provincial capital, crossing or base colours the district it lies in.
  const byDistrict = new Map();
  for (const s of [...now.values()].sort((a, b) => a.date.localeCompare(b.date))) {
    const d = s.unit_level === "district" ? s.unit_id : s.admin2_id;
    if (d) byDistrict.set(d, s);
  }
  state.districtState = byDistrict;
  state.layers.province.eachLayer((l) => {
    const s = now.get(l.feature.properties.unit_id);
    l.setStyle({ fillColor: s ? CONTROL[s.controller] : NO_STATE });
  });
  state.layers.district.eachLayer((l) => {
    const s = byDistrict.get(l.feature.properties.unit_id);
    l.setStyle({ fillColor: s ? CONTROL[s.controller] : "transparent", fillOpacity: s ? 0.85 : 0 });
  });
  state.layers.points.clearLayers();
  for (const s of now.values()) {
    if (s.lat == null || s.lon == null || s.unit_level === "district" || s.unit_level === "province") continue;
    L.circleMarker([s.lat, s.lon], { radius: 5, color: "#000", weight: 1.5, fillColor: CONTROL[s.controller], fillOpacity: 1 })
      .bindTooltip(`${esc(s.unit_name)} (${esc(s.unit_level.replace("_", " "))}): ${esc(s.controller)} since ${esc(s.date)}`)
      .addTo(state.layers.points);
  }
}

function inPeriod(e) {
  return parse(e.date_end) >= state.from && parse(e.date_start) <= state.to;
}

function renderMarkers() {
  state.layers.markers.clearLayers();
  for (const e of state.events) {
    if (!inPeriod(e) || e.lat == null || e.lon == null) continue;
    L.circleMarker([e.lat, e.lon], {
      renderer: state.canvas, radius: 4 + 3 * Math.min(e.n_sources || 1, 6), weight: 1, color: "#222",
      fillColor: TYPES[e.event_type] || "#333", fillOpacity: 0.75,
    }).bindTooltip(`${esc(e.date_start)} ${esc(e.sub_event_type)} — ${esc(e.location)}`)
      .on("click", () => showEvent(e.id)).addTo(state.layers.markers);
  }
}

function renderTimeline() {
  const svg = $("#timeline");
  const w = svg.clientWidth || 800, h = 150, pad = 18;
  const days = state.days, n = Math.max(days.length, 1), bw = (w - 2 * pad) / n;
  const counts = days.map(() => ({}));
  for (const e of state.events) {
    const i = Math.round((parse(e.date_start) - days[0]) / DAY);
    if (i >= 0 && i < n) counts[i][e.event_type] = (counts[i][e.event_type] || 0) + 1;
  }
  const max = Math.max(1, ...counts.map((c) => Object.values(c).reduce((a, b) => a + b, 0)));
  let out = "";
  counts.forEach((c, i) => {
    let y = h - pad;
    for (const [type, colour] of Object.entries(TYPES)) {
      const k = c[type] || 0;
      if (!k) continue;
      const bh = (k / max) * (h - 2 * pad);
      y -= bh;
      out += `<rect x="${pad + i * bw}" y="${y}" width="${Math.max(bw - 1, 1)}" height="${bh}" fill="${colour}" data-day="${iso(days[i])}"><title>${iso(days[i])}: ${k} ${esc(type)}</title></rect>`;
    }
  });
  const xi = Math.round((state.asOf - days[0]) / DAY);
  out += `<line x1="${pad + (xi + 0.5) * bw}" x2="${pad + (xi + 0.5) * bw}" y1="4" y2="${h - pad}" stroke="#000" stroke-dasharray="3,2"/>`;
  out += `<text x="${pad}" y="${h - 3}" font-size="11">${iso(days[0])}</text><text x="${w - pad}" y="${h - 3}" font-size="11" text-anchor="end">${iso(days[n - 1])}</text>`;
  out += `<text x="2" y="12" font-size="11">${max}</text>`;
  svg.innerHTML = out;
  svg.onclick = (ev) => {
    const d = ev.target.dataset && ev.target.dataset.day;
    if (!d) return;
    const i = state.days.indexOf(parse(d));
    $("#date-slider").value = String(i);
    $("#date-slider").dispatchEvent(new Event("input"));
  };
}

function renderTable() {
  const q = $("#search").value.trim().toLowerCase();
  const type = $("#type-filter").value, prov = $("#admin1-filter").value;
  const rows = state.events.filter((e) => inPeriod(e)
    && (!type || e.event_type === type) && (!prov || e.admin1 === prov)
    && (!q || [e.notes, e.sub_event_type, e.location, e.admin1, e.actor1, e.actor2]
      .join(" ").toLowerCase().includes(q)));
  rows.sort((a, b) => b.date_start.localeCompare(a.date_start));
  $("#table-count").textContent = rows.length > PAGE ? `showing ${PAGE} of ${rows.length}` : `${rows.length} events`;
  $("#events-table tbody").innerHTML = rows.slice(0, PAGE).map((e) => `<tr data-id="${esc(e.id)}"${e.id === state.selected ? ' class="selected"' : ""}>
    <td>${esc(e.date_start)}${e.date_end !== e.date_start ? "–" + esc(e.date_end) : ""}</td>
    <td>${esc(e.sub_event_type)}</td><td>${esc(e.location || "")}${e.admin1 && e.admin1 !== e.location ? ", " + esc(e.admin1) : ""}</td>
    <td>${esc(e.actor1 || "")}${e.actor2 ? " vs " + esc(e.actor2) : ""}</td>
    <td>${e.n_sources}</td><td><span class="badge ${esc(e.status)}">${esc(e.status)}</span></td><td>${esc(e.notes)}</td></tr>`).join("");
  for (const tr of document.querySelectorAll("#events-table tbody tr")) tr.addEventListener("click", () => showEvent(tr.dataset.id));
}

function renderChanges() {
  const items = state.changes.filter((c) => parse(c.date) >= state.from && parse(c.date) <= state.to)
    .sort((a, b) => a.date.localeCompare(b.date));
  $("#control-changes").innerHTML = items.map((c) => `<li><b>${esc(c.date)}</b> ${esc(c.unit_name)}
    <small>(${esc(levelLabel(c.unit_level))}, ${esc(c.admin1 || "")})</small> → <span class="badge" style="background:${CONTROL[c.controller]};color:#fff">${esc(sideLabel(c.controller))}</span>
    ${c.confirmed ? "" : "<small>unconfirmed</small>"}</li>`).join("") || "<li>No change in the period.</li>";
}

function renderClaims() {
  $("#claims").innerHTML = state.claims.map((c) => `<li><b>${esc(c.claimant)}</b> (${esc(c.as_of || "?")}): “${esc(c.quote.text)}”
    ${c.disputed_by && c.disputed_by.length ? `<br><small>disputed by ${esc(c.disputed_by.join(", "))}</small>` : ""}</li>`).join("") || "<li>No claims.</li>";
}

async function showEvent(id) {
  state.selected = id;
  const e = await getJSON(`/events/${encodeURIComponent(id)}`);
  const quotes = e.mentions.map((m) => `<div class="quote">“${esc(m.quote)}”
    <div class="src">${esc(m.outlet || "unknown outlet")}${m.published ? ", " + esc(m.published) : ""}${m.modality !== "asserted" ? ` · <i>${esc(m.modality)}</i>` : ""}${m.attribution ? " · " + esc(m.attribution) : ""}
    · ${httpUrl(m.url) ? `<a href="${esc(m.url.trim())}" target="_blank" rel="noopener noreferrer">source</a>` : `<span class="url">${esc(m.url || m.article_id)}</span>`} · chars ${m.start}–${m.end}</div></div>`).join("");
  $("#detail-body").innerHTML = `<h2>${esc(e.sub_event_type)} <span class="badge ${esc(e.status)}">${esc(e.status)}</span></h2>
    <p>${esc(e.date_start)}${e.date_end !== e.date_start ? " – " + esc(e.date_end) : ""} (${esc(e.precision)}) ·
    ${esc(e.place ? `${e.place.name}, ${e.place.admin1 || ""}` : "unknown place")} · ${e.n_sources} independent source(s): ${esc((e.sources || []).join(", "))}
    ${e.fatalities != null ? ` · fatalities ${e.fatalities}${e.fatalities_high != null && e.fatalities_high !== e.fatalities ? ` (reports up to ${e.fatalities_high})` : ""}` : ""}</p>
    <p>${esc(e.notes)}</p><p>Confidence ${esc(e.confidence)} <small>(calibrated: the share of events so scored that are right)</small></p><h3>Quotes (${e.mentions.length})</h3>${quotes}`;
  $("#detail").hidden = false;
  renderTable();
}

function renderAll() {
  renderControl();
  renderMarkers();
  renderTimeline();
  renderTable();
  renderChanges();
  renderClaims();
  const n = state.events.filter(inPeriod).length;
  $("#summary").textContent = `${n} events · ${state.changes.length} control changes · ${state.claims.length} claims`;
}

main().catch((err) => {
  document.body.dataset.ready = "error";
  $("#summary").textContent = `Could not load data: ${err.message}`;
});
