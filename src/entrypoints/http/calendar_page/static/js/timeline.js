// The timeline: vehicles as rows, days as columns; only the rows in view (plus a margin) are in the DOM.
import { dayOfMonth, formatDay, monthName, parseDay, todayDay, weekday } from "./dates.js";
import { DAY_W, DAYS, LABEL_W, ROW_H, itemKey, state } from "./state.js";
import { barElement } from "./bars.js";

const OVERSCAN = 8;

export function createTimeline(root, { onBar, onSelect, onEmptyDay }) {
  const header = document.createElement("div");
  header.className = "grid-header";
  const body = document.createElement("div");
  body.className = "grid-body";
  body.setAttribute("role", "list");
  body.setAttribute("aria-label", "Vehicles");
  const todayLine = document.createElement("div");
  todayLine.className = "today-line";
  root.append(header, body);
  let rows = [];
  let rendered = new Map(); // row index -> element
  let frame = 0;

  function drawHeader() {
    header.replaceChildren();
    const corner = document.createElement("div");
    corner.className = "corner";
    corner.textContent = "Vehicle";
    header.append(corner);
    const today = todayDay();
    for (let d = 0; d < DAYS; d += 1) {
      const day = state.start + d;
      const cell = document.createElement("div");
      cell.className = "day";
      if (weekday(day) === 0 || weekday(day) === 6) cell.classList.add("weekend");
      if (dayOfMonth(day) === 1) cell.classList.add("month-start");
      if (day === today) cell.classList.add("today");
      cell.title = formatDay(day);
      const top = d === 0 || dayOfMonth(day) === 1 ? monthName(day) : "SMTWTFS"[weekday(day)];
      cell.append(top, document.createElement("br"), String(dayOfMonth(day)));
      header.append(cell);
    }
    const offset = today - state.start;
    todayLine.hidden = offset < 0 || offset >= DAYS;
    todayLine.style.left = `${LABEL_W + (offset + 0.5) * DAY_W}px`;
  }

  function rowElement(index) {
    const { vehicle, items } = rows[index];
    const row = document.createElement("div");
    row.className = "row";
    row.setAttribute("role", "listitem");
    row.dataset.vin = vehicle.vin;
    row.style.top = `${index * ROW_H}px`;
    row.style.width = `${LABEL_W + DAYS * DAY_W}px`;
    const name = [vehicle.make, vehicle.model].filter(Boolean).join(" ") || "Vehicle";
    row.setAttribute("aria-label", `${name}, VIN ${vehicle.vin}${vehicle.office ? `, ${vehicle.office}` : ""}`);
    const label = document.createElement("div");
    label.className = "label";
    const text = document.createElement("span");
    text.className = "name";
    text.textContent = name;
    const vin = document.createElement("span");
    vin.className = "vin";
    vin.textContent = vehicle.vin;
    const add = document.createElement("button");
    add.type = "button";
    add.className = "add";
    add.textContent = "+";
    add.setAttribute("aria-label", `New booking for ${name} ${vehicle.vin}`);
    add.addEventListener("click", () => onEmptyDay(vehicle, Math.max(state.start, todayDay())));
    label.append(text, vin, add);
    row.title = `${name} ${vehicle.vin}${vehicle.office ? ` (${vehicle.office})` : ""}`;
    row.append(label);
    for (const item of items) row.append(...barElement(item, state.selection));
    row.addEventListener("click", (event) => {
      const bar = event.target.closest(".bar");
      if (bar) {
        const item = state.items.get(bar.dataset.key);
        if (!item) return;
        if ((event.shiftKey || event.ctrlKey || event.metaKey) && item.assignment_id != null) onSelect(item);
        else onBar(item);
        return;
      }
      if (event.target.closest(".label")) return;
      const x = event.clientX - row.getBoundingClientRect().left - LABEL_W;
      if (x >= 0) onEmptyDay(vehicle, state.start + Math.floor(x / DAY_W));
    });
    return row;
  }

  function draw() {
    frame = 0;
    const first = Math.max(0, Math.floor(root.scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(rows.length - 1, Math.ceil((root.scrollTop + root.clientHeight) / ROW_H) + OVERSCAN);
    for (const [index, element] of rendered) {
      if (index < first || index > last) {
        element.remove();
        rendered.delete(index);
      }
    }
    for (let i = first; i <= last; i += 1) {
      if (rendered.has(i)) continue;
      const element = rowElement(i);
      rendered.set(i, element);
      body.append(element);
    }
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  root.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);

  return {
    setRows(next) {
      rows = next;
      for (const element of rendered.values()) element.remove();
      rendered = new Map();
      body.style.height = `${rows.length * ROW_H}px`;
      body.style.width = `${LABEL_W + DAYS * DAY_W}px`;
      todayLine.style.height = `${rows.length * ROW_H}px`;
      body.append(todayLine);
      drawHeader();
      draw();
    },
    redrawVins(vins, next) {
      rows = next;
      const wanted = new Set(vins);
      for (const [index, element] of rendered) {
        if (!rows[index] || !wanted.has(element.dataset.vin)) continue;
        const focused = document.activeElement && element.contains(document.activeElement) ? document.activeElement.dataset.key : null;
        const fresh = rowElement(index);
        element.replaceWith(fresh);
        rendered.set(index, fresh);
        if (focused) fresh.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
      }
    },
    scrollToDay(day) {
      root.scrollLeft = Math.max(0, (day - state.start) * DAY_W - (root.clientWidth - LABEL_W) / 4);
    },
    scrollToVin(vin) {
      const index = rows.findIndex((r) => r.vehicle.vin === vin);
      if (index >= 0) root.scrollTop = Math.max(0, index * ROW_H - root.clientHeight / 3);
      draw();
      return rendered.get(index);
    },
    renderedCount: () => rendered.size,
    dayOf: (text) => parseDay(text) - state.start,
    itemKey,
  };
}
