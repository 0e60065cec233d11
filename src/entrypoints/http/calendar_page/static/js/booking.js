// New bookings (a manual assignment from a click on an empty day) and the free-vehicles panel.
import { api } from "./api.js";
import { formatDay, parseDay, todayDay } from "./dates.js";
import { notify } from "./messages.js";
import { addAssignment, state } from "./state.js";

const LOAN_DAYS = 7;
let vehicle = null;

function partnerOptions(select) {
  select.replaceChildren();
  for (const p of state.partners) {
    const option = document.createElement("option");
    option.value = String(p.person_id);
    option.textContent = p.affiliation ? `${p.name} (${p.affiliation})` : p.name;
    select.append(option);
  }
}

export function openBooking(target, day, end) {
  vehicle = target;
  const d = document.getElementById("booking-dialog");
  document.getElementById("booking-vehicle").textContent =
    `${[target.make, target.model].filter(Boolean).join(" ")} ${target.vin}`;
  partnerOptions(document.getElementById("booking-partner"));
  document.getElementById("booking-start").value = formatDay(day);
  document.getElementById("booking-end").value = formatDay(end ?? day + LOAN_DAYS);
  document.getElementById("booking-error").textContent = "";
  if (!d.open) d.showModal();
  document.getElementById("booking-partner").focus();
}

async function save() {
  const personId = Number(document.getElementById("booking-partner").value);
  const partner = state.partners.find((p) => p.person_id === personId);
  const body = {
    vin: vehicle.vin,
    person_id: personId,
    partner_name: partner ? partner.name : undefined,
    office: state.office,
    start_day: document.getElementById("booking-start").value,
    end_day: document.getElementById("booking-end").value,
    make: vehicle.make || undefined,
    model: vehicle.model || undefined,
  };
  try {
    const answer = await api("POST", "/api/calendar/schedule-assignment", { body });
    const a = answer.assignment;
    addAssignment({
      ...a,
      start_date: a.start_day,
      end_date: a.end_day,
      assignment_start_date: a.start_day,
      assignment_end_date: a.end_day,
      fms_state: a.fms_state || "none",
      dates_differ: false,
    });
    document.getElementById("booking-dialog").close();
    notify(answer.message || `Booked ${vehicle.vin}`);
  } catch (error) {
    document.getElementById("booking-error").textContent = error.message;
    notify(error.message, true);
  }
}

async function findFree() {
  const start = document.getElementById("free-start").value;
  const end = document.getElementById("free-end").value;
  const summary = document.getElementById("free-summary");
  const list = document.getElementById("free-list");
  list.replaceChildren();
  try {
    const answer = await api("GET", "/api/calendar/free-vehicles", {
      query: { office: state.office, start_date: start, end_date: end },
    });
    summary.textContent = `${answer.count} vehicles free from ${start} to ${end}`;
    for (const v of answer.vehicles) {
      const li = document.createElement("li");
      li.append(`${[v.make, v.model].filter(Boolean).join(" ")} ${v.vin} `);
      const book = document.createElement("button");
      book.type = "button";
      book.textContent = "Book";
      book.setAttribute("aria-label", `Book ${v.vin} from ${start} to ${end}`);
      book.addEventListener("click", () => openBooking(v, parseDay(start), parseDay(end)));
      li.append(book);
      list.append(li);
    }
  } catch (error) {
    summary.textContent = error.message;
  }
}

export function initBooking() {
  document.getElementById("booking-save").addEventListener("click", save);
  document.getElementById("booking-cancel").addEventListener("click", () => document.getElementById("booking-dialog").close());
  const panel = document.getElementById("free-panel");
  document.getElementById("open-free").addEventListener("click", () => {
    const start = document.getElementById("free-start");
    if (!start.value) {
      start.value = formatDay(todayDay());
      document.getElementById("free-end").value = formatDay(todayDay() + LOAN_DAYS);
    }
    panel.hidden = false;
    start.focus();
  });
  document.getElementById("free-close").addEventListener("click", () => (panel.hidden = true));
  document.getElementById("free-find").addEventListener("click", findFree);
}
