// The calendar page: boots once the token is there (or none is needed), then loads the office.
import { openBar, initActions } from "./actions.js";
import { initAttentionPanel } from "./panels.js";
import { loadAttention, initSync, showDataStatus } from "./admin.js";
import { api } from "./api.js";
import { hasToken, initAuth, onTokenChange } from "./auth.js";
import { legendItems } from "./bars.js";
import { initBooking, openBooking } from "./booking.js";
import { initBulk, showSelection } from "./bulk.js";
import { formatDay, todayDay } from "./dates.js";
import { notify } from "./messages.js";
import { DAYS, DAYS_BEFORE_TODAY, STATUSES, onChange, setItems, state, toggleSelected, visibleRows } from "./state.js";
import { createTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);
let timeline = null;
let booted = false;

function options(select, values) {
  const keep = select.value;
  select.replaceChildren(new Option("All", ""));
  for (const v of values) select.append(new Option(v, v));
  select.value = values.includes(keep) ? keep : "";
}

function fillFilters() {
  options($("filter-make"), [...new Set(state.vehicles.map((v) => v.make).filter(Boolean))].sort());
  const names = new Set(state.partners.map((p) => p.name));
  for (const item of state.items.values()) if (item.partner_name) names.add(item.partner_name);
  options($("filter-partner"), [...names].sort());
}

async function loadWindow() {
  const end = state.start + DAYS - 1;
  $("range").textContent = `${formatDay(state.start)} to ${formatDay(end)}`;
  const answer = await api("GET", "/api/calendar/activity", {
    query: { office: state.office, start_date: formatDay(state.start), end_date: formatDay(end) },
  });
  setItems(answer.activities);
  fillFilters();
  document.body.dataset.loaded = "true";
}

async function loadOffice() {
  const [vehicles, partners] = await Promise.all([
    api("GET", "/api/calendar/vehicles", { query: { office: state.office } }),
    api("GET", "/api/calendar/media-partners", { query: { office: state.office } }),
  ]);
  state.vehicles = vehicles.vehicles;
  state.partners = partners.partners;
  await loadWindow();
}

async function loadConfig() {
  const config = await api("GET", "/api/ui/config");
  state.roles = config.roles;
  showDataStatus(config);
}

async function guarded(work) {
  try {
    await work();
  } catch (error) {
    notify(error.message, true);
  }
}

async function boot() {
  if (booted || !hasToken()) return;
  booted = true;
  try {
    await loadConfig();
    const offices = await api("GET", "/api/offices");
    const wanted = new URLSearchParams(location.search).get("office");
    const select = $("office");
    select.replaceChildren(...offices.map((o) => new Option(o.name, o.name)));
    state.office = offices.some((o) => o.name === wanted) ? wanted : offices.length ? offices[0].name : null;
    if (!state.office) return notify("No office yet: load the FMS reports (Sync now).", true);
    select.value = state.office;
    await loadOffice();
    timeline.scrollToDay(todayDay());
    await loadAttention(loadWindow);
  } catch (error) {
    booted = false; // a fresh token boots again
    notify(error.message, true);
  }
}

function move(days) {
  state.start = days === null ? todayDay() - DAYS_BEFORE_TODAY : state.start + days;
  guarded(async () => {
    await loadWindow();
    if (days === null) timeline.scrollToDay(todayDay());
  });
}

function wire() {
  $("office").addEventListener("change", () => {
    state.office = $("office").value;
    const url = new URL(location.href);
    url.searchParams.set("office", state.office);
    history.replaceState(history.state, "", url.pathname + url.search);
    guarded(loadOffice);
  });
  $("prev-week").addEventListener("click", () => move(-7));
  $("next-week").addEventListener("click", () => move(7));
  $("today").addEventListener("click", () => move(null));
  options($("filter-status"), STATUSES);
  for (const [id, key] of [["filter-make", "make"], ["filter-partner", "partner"], ["filter-status", "status"]]) {
    $(id).addEventListener("change", () => {
      state.filters[key] = $(id).value;
      timeline.setRows(visibleRows());
    });
  }
  const legend = $("legend");
  for (const [cls, text] of legendItems()) {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = cls;
    swatch.setAttribute("aria-hidden", "true");
    li.append(swatch, text);
    legend.append(li);
  }
}

function start() {
  timeline = createTimeline($("timeline"), {
    onBar: openBar,
    onSelect: (item) => toggleSelected(item.assignment_id),
    onEmptyDay: (vehicle, day) => openBooking(vehicle, day),
  });
  onChange((what) => {
    const rows = visibleRows();
    const filtering = Object.values(state.filters).some(Boolean);
    if (what.all || filtering || !what.vins) timeline.setRows(rows);
    else timeline.redrawVins(what.vins, rows);
    if (what.selection || what.all) showSelection();
  });
  wire();
  initActions();
  initBulk();
  initBooking();
  initSync(async () => {
    await loadConfig();
    await loadWindow();
  });
  initAttentionPanel(() => loadAttention(loadWindow));
  onTokenChange(({ wasExpired }) => {
    if (!booted) boot();
    else if (wasExpired) guarded(loadWindow);
  });
  initAuth();
  boot();
}

start();
