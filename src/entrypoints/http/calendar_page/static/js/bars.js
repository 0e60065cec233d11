// One bar: its colour from the status, its marks from the FMS state, its words for screen readers.
import { parseDay } from "./dates.js";
import { DAY_W, DAYS, LABEL_W, itemKey, state } from "./state.js";

export const STATUS_NAMES = {
  completed: "Completed",
  active: "Active",
  planned: "Planned",
  manual: "Manual",
  requested: "Requested",
};
const FMS_NAMES = {
  creating: "FMS request being created",
  deleting: "FMS request being deleted",
  unknown: "FMS outcome unknown",
};

// Bars run from the middle of the first day to the middle of the last: a hand-over day shows both.
function span(startText, endText) {
  const s = parseDay(startText) - state.start;
  const e = parseDay(endText) - state.start;
  if (e < 0 || s > DAYS - 1) return null;
  const left = LABEL_W + (Math.max(s, -0.5) + 0.5) * DAY_W;
  const right = LABEL_W + (Math.min(e, DAYS - 0.5) + 0.5) * DAY_W;
  return { left, width: Math.max(right - left, DAY_W / 2) };
}

export function describeItem(item) {
  const words = [STATUS_NAMES[item.status] || item.status];
  if (FMS_NAMES[item.fms_state]) words.push(FMS_NAMES[item.fms_state]);
  words.push(item.partner_name || item.activity_type || "no partner");
  words.push([item.make, item.model].filter(Boolean).join(" "), `VIN ${item.vin}`);
  words.push(`${item.start_date} to ${item.end_date}`);
  if (item.dates_differ) {
    words.push(`FMS changed the dates; planned ${item.assignment_start_date} to ${item.assignment_end_date}`);
  }
  if (item.fms_request_id) words.push(`FMS request ${item.fms_request_id}`);
  return words.filter(Boolean).join(", ");
}

export function barElement(item, selection) {
  const where = span(item.start_date, item.end_date);
  if (!where) return [];
  const out = [];
  if (item.dates_differ && item.assignment_start_date && item.assignment_end_date) {
    const own = span(item.assignment_start_date, item.assignment_end_date);
    if (own) {
      const ghost = document.createElement("div");
      ghost.className = "own-days";
      ghost.style.left = `${own.left}px`;
      ghost.style.width = `${own.width}px`;
      out.push(ghost);
    }
  }
  const bar = document.createElement("button");
  bar.type = "button";
  const fms = item.fms_state || "none";
  bar.className = `bar status-${item.status} fms-${fms}`;
  if (item.dates_differ) bar.classList.add("extended");
  const selected = item.assignment_id != null && selection.has(item.assignment_id);
  if (selected) bar.classList.add("selected");
  bar.dataset.key = itemKey(item);
  bar.dataset.status = item.status;
  bar.dataset.fmsState = fms;
  if (item.assignment_id != null) bar.dataset.assignmentId = String(item.assignment_id);
  bar.style.left = `${where.left}px`;
  bar.style.width = `${where.width}px`;
  if (fms === "creating" || fms === "deleting") {
    const spinner = document.createElement("span");
    spinner.className = "spinner";
    spinner.setAttribute("aria-hidden", "true");
    bar.append(spinner);
  } else if (fms === "unknown") {
    const warn = document.createElement("span");
    warn.className = "warn";
    warn.textContent = "!";
    warn.setAttribute("aria-hidden", "true");
    bar.append(warn);
  }
  bar.append(item.partner_name || item.activity_type || STATUS_NAMES[item.status] || item.status);
  const label = describeItem(item) + (selected ? ", selected" : "");
  bar.setAttribute("aria-label", label);
  bar.title = label;
  out.push(bar);
  return out;
}

export function legendItems() {
  const entries = Object.entries(STATUS_NAMES).map(([status, name]) => [`bar status-${status} fms-none`, name]);
  entries.push(["bar status-requested fms-creating", "FMS call under way"]);
  entries.push(["bar status-requested fms-unknown", "FMS outcome unknown"]);
  entries.push(["bar status-active fms-none extended", "FMS changed the dates (dotted: as planned)"]);
  return entries;
}
