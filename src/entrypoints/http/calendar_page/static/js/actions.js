// Actions on one bar: Request, Unrequest, Delete (the existing endpoints), select for bulk, history.
import { api } from "./api.js";
import { STATUS_NAMES } from "./bars.js";
import { fact, notify } from "./messages.js";
import { removeAssignment, state, toggleSelected, updateAssignment } from "./state.js";
import { showHistory } from "./admin.js";

const dialog = () => document.getElementById("bar-dialog");
let current = null;

function allowed(item) {
  const fms = item.fms_state || "none";
  const own = item.assignment_id != null;
  return {
    request: own && ["planned", "manual"].includes(item.status) && fms === "none",
    unrequest: own && item.status === "requested" && fms === "open",
    "unrequest-manual": own && item.status === "requested" && fms === "open",
    delete: own && !["active", "completed"].includes(item.status),
    select: own,
    history: own,
  };
}

export function openBar(item) {
  current = item;
  const d = dialog();
  d.querySelector("#bar-title").textContent =
    `${STATUS_NAMES[item.status] || item.status}: ${item.partner_name || item.activity_type || ""}`;
  const facts = d.querySelector("#bar-facts");
  facts.replaceChildren();
  fact(facts, "Vehicle", `${[item.make, item.model].filter(Boolean).join(" ")} ${item.vin}`);
  fact(facts, "Days", `${item.start_date} to ${item.end_date}`);
  if (item.dates_differ) fact(facts, "Planned days", `${item.assignment_start_date} to ${item.assignment_end_date}`);
  fact(facts, "FMS state", item.fms_state);
  fact(facts, "FMS request", item.fms_request_id);
  fact(facts, "FMS activity", item.activity_id);
  fact(facts, "Last error", item.last_error);
  if (item.assignment_id == null) fact(facts, "Source", "FMS report (no action here)");
  d.querySelector("#bar-error").textContent = "";
  const can = allowed(item);
  for (const button of d.querySelectorAll("[data-action]")) {
    const action = button.dataset.action;
    if (action === "close") continue;
    button.hidden = !can[action];
    if (action === "select") {
      button.textContent = state.selection.has(item.assignment_id) ? "Deselect" : "Select for bulk";
    }
  }
  if (!d.open) d.showModal();
  d.querySelector("[data-action]:not([hidden])").focus();
}

async function changeStatus(item, newStatus) {
  const answer = await api("PATCH", `/api/calendar/change-assignment-status/${item.assignment_id}`, {
    query: { new_status: newStatus },
  });
  updateAssignment(item.assignment_id, {
    status: answer.new_status,
    fms_state: answer.fms_state,
    fms_request_id: answer.fms_request_id,
    last_error: null,
  });
  return answer.message || `${STATUS_NAMES[answer.new_status] || answer.new_status}`;
}

async function remove(item) {
  const answer = await api("DELETE", `/api/calendar/delete-assignment/${item.assignment_id}`);
  removeAssignment(item.assignment_id);
  return answer.message || "Deleted";
}

async function act(action) {
  const item = current;
  const d = dialog();
  if (action === "close") return d.close();
  if (action === "select") {
    toggleSelected(item.assignment_id);
    return d.close();
  }
  if (action === "history") {
    d.close();
    return showHistory(item.assignment_id);
  }
  const buttons = d.querySelectorAll("[data-action]");
  buttons.forEach((b) => (b.disabled = true));
  notify(`${action} ${item.vin}: working...`);
  try {
    const message =
      action === "delete"
        ? await remove(item)
        : await changeStatus(item, { request: "requested", unrequest: "planned" }[action] || "manual");
    d.close();
    notify(message);
  } catch (error) {
    d.querySelector("#bar-error").textContent = error.message;
    notify(error.message, true);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

export function initActions() {
  for (const button of dialog().querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => act(button.dataset.action));
  }
}
