// Bulk actions on the selected bars, with live progress from the NDJSON stream; failures stay selected.
import { ndjson } from "./api.js";
import { describe } from "./api.js";
import { notify } from "./messages.js";
import { assignment, removeAssignment, state, toggleSelected, updateAssignment } from "./state.js";

const PATHS = {
  request: "/api/fms/bulk-create-vehicle-requests",
  unrequest: "/api/fms/bulk-unrequest-vehicle-requests",
  delete: "/api/fms/bulk-delete-vehicle-requests",
};
let running = false;

export function showSelection() {
  const bar = document.getElementById("bulk-bar");
  const count = state.selection.size;
  bar.hidden = count === 0 && !running && !document.getElementById("bulk-results").children.length;
  document.getElementById("bulk-count").textContent = `${count} selected`;
  for (const button of bar.querySelectorAll("[data-bulk]")) button.disabled = running || count === 0;
}

function resultLine(event) {
  const li = document.createElement("li");
  const item = assignment(event.assignment_id);
  const what = item ? `${item.vin} (${item.partner_name || "?"})` : `assignment ${event.assignment_id}`;
  if (event.success) {
    li.textContent = `${what}: done${event.fms_request_id ? `, FMS request ${event.fms_request_id}` : ""}`;
  } else {
    li.className = "failed";
    li.textContent = `${what}: ${describe(0, { detail: event.error, conflicts: event.conflicts })}`;
  }
  return li;
}

function apply(event) {
  if (event.removed) {
    removeAssignment(event.assignment_id);
    return;
  }
  updateAssignment(event.assignment_id, {
    status: event.status,
    fms_state: event.fms_state,
    fms_request_id: event.fms_request_id,
    last_error: event.success ? null : event.error,
  });
  if (event.success) toggleSelected(event.assignment_id, false);
}

export async function runBulk(action) {
  const ids = [...state.selection];
  if (!ids.length || running) return;
  running = true;
  const progress = document.getElementById("bulk-progress");
  const text = document.getElementById("bulk-progress-text");
  const results = document.getElementById("bulk-results");
  results.replaceChildren();
  progress.hidden = false;
  progress.max = ids.length;
  progress.value = 0;
  text.textContent = `${action}: 0 of ${ids.length}`;
  showSelection();
  let done = 0;
  try {
    for await (const event of ndjson(PATHS[action], { assignment_ids: ids })) {
      if (event.event === "started") progress.max = event.total;
      if (event.event === "item") {
        done += 1;
        progress.value = done;
        text.textContent = `${action}: ${done} of ${progress.max}`;
        results.append(resultLine(event));
        apply(event);
      }
      if (event.event === "summary") {
        text.textContent = `${action}: ${event.succeeded} succeeded, ${event.failed} failed of ${event.total}`;
        notify(text.textContent, event.failed > 0);
      }
    }
  } catch (error) {
    text.textContent = `${action} stopped: ${error.message}`;
    notify(text.textContent, true);
  } finally {
    running = false;
    showSelection();
  }
}

export function initBulk() {
  for (const button of document.querySelectorAll("[data-bulk]")) {
    button.addEventListener("click", () => runBulk(button.dataset.bulk));
  }
  document.getElementById("bulk-clear").addEventListener("click", () => {
    for (const id of [...state.selection]) toggleSelected(id, false);
    document.getElementById("bulk-results").replaceChildren();
    document.getElementById("bulk-progress").hidden = true;
    document.getElementById("bulk-progress-text").textContent = "";
    showSelection();
  });
}
