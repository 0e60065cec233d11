// What the page shows: the office, the window, vehicles, bars, filters and the bulk selection.
import { todayDay } from "./dates.js";

export const DAYS = 126;
export const LABEL_W = 260; // pixels; app.css --label-w, --day-w and --row-h say the same
export const DAY_W = 24;
export const ROW_H = 30;
export const DAYS_BEFORE_TODAY = 42;
export const STATUSES = ["completed", "active", "planned", "manual", "requested"];

export const state = {
  office: null,
  start: todayDay() - DAYS_BEFORE_TODAY,
  vehicles: [],
  partners: [],
  items: new Map(), // key -> calendar item (as /api/calendar/activity answers it)
  selection: new Set(), // assignment ids
  filters: { make: "", partner: "", status: "" },
  roles: [],
};

const listeners = [];

export function onChange(listener) {
  listeners.push(listener);
}

export function changed(what) {
  for (const listener of listeners) listener(what);
}

export function itemKey(item) {
  if (item.assignment_id !== null && item.assignment_id !== undefined) return `a${item.assignment_id}`;
  return `x${item.activity_id}-${item.status}-${item.vin}-${item.start_date}`;
}

export function setItems(list) {
  state.items = new Map(list.map((item) => [itemKey(item), item]));
  changed({ all: true });
}

export function assignment(id) {
  return state.items.get(`a${id}`);
}

// Apply what an answer says about an assignment (status, fms_state, request id) and redraw its row.
export function updateAssignment(id, patch) {
  const item = assignment(id);
  if (!item) return;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined && v !== null) item[k] = v;
  changed({ vins: [item.vin] });
}

export function removeAssignment(id) {
  const item = assignment(id);
  if (!item) return;
  state.items.delete(`a${id}`);
  state.selection.delete(id);
  changed({ vins: [item.vin], selection: true });
}

export function addAssignment(item) {
  state.items.set(itemKey(item), item);
  changed({ vins: [item.vin] });
}

export function toggleSelected(id, on) {
  const want = on === undefined ? !state.selection.has(id) : on;
  if (want) state.selection.add(id);
  else state.selection.delete(id);
  const item = assignment(id);
  changed({ vins: item ? [item.vin] : [], selection: true });
}

export function isAdmin() {
  return state.roles.includes("admin");
}

// Rows in view of the filters: vehicles (and VINs only the bars know), each with its bars.
export function visibleRows() {
  const byVin = new Map();
  for (const item of state.items.values()) {
    if (!byVin.has(item.vin)) byVin.set(item.vin, []);
    byVin.get(item.vin).push(item);
  }
  const known = new Set(state.vehicles.map((v) => v.vin));
  const vehicles = [...state.vehicles];
  for (const [vin, items] of byVin) {
    if (!known.has(vin)) vehicles.push({ vin, make: items[0].make, model: items[0].model, office: items[0].office });
  }
  const { make, partner, status } = state.filters;
  const rows = [];
  for (const vehicle of vehicles) {
    if (make && (vehicle.make || "") !== make) continue;
    let items = byVin.get(vehicle.vin) || [];
    if (partner) items = items.filter((i) => (i.partner_name || "") === partner);
    if (status) items = items.filter((i) => i.status === status);
    if ((partner || status) && !items.length) continue;
    rows.push({ vehicle, items });
  }
  return rows;
}
