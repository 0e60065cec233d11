// The status of the data (last sync), Sync now, the attention list with its resolutions, and history.
import { api } from "./api.js";
import { fact, notify } from "./messages.js";
import { isAdmin } from "./state.js";

const RESOLUTIONS = [
  ["link", "Link to FMS request id"],
  ["not_sent", "Not sent (FMS holds none)"],
  ["deleted", "Deleted in FMS"],
  ["still_open", "Still open in FMS"],
];

function when(text) {
  return text ? new Date(text).toLocaleString() : "never";
}

export function showDataStatus(config) {
  document.getElementById("data-as-of").textContent = `FMS data as of ${when(config.data_as_of)}`;
  const list = document.getElementById("sync-results");
  list.replaceChildren();
  for (const r of (config.last_sync && config.last_sync.results) || []) {
    const li = document.createElement("li");
    li.className = r.success ? "" : "failed";
    li.textContent = `${r.table}: ${r.success ? "loaded" : "failed"}, ${r.rows_processed} rows` +
      `${r.rows_rejected ? `, ${r.rows_rejected} rejected` : ""}${r.message ? ` (${r.message})` : ""}`;
    list.append(li);
  }
  if (!list.children.length) list.append("No sync has run yet.");
  document.getElementById("sync-now").hidden = !isAdmin();
  document.getElementById("actor").textContent = `${config.actor} (${config.roles.join(", ")})`;
}

export function initSync(reload) {
  const button = document.getElementById("sync-now");
  button.addEventListener("click", async () => {
    button.disabled = true;
    notify("Sync running...");
    try {
      const run = await api("POST", "/api/admin/trigger-sync");
      notify(`Sync finished: ${run.success_count} reports loaded, ${run.failure_count} failed`, run.failure_count > 0);
      await reload();
    } catch (error) {
      notify(error.message, true);
    } finally {
      button.disabled = false;
    }
  });
}

function resolveControls(entry, refresh) {
  const box = document.createElement("div");
  const choice = document.createElement("select");
  choice.setAttribute("aria-label", `Resolution for assignment ${entry.assignment.assignment_id}`);
  for (const [value, text] of RESOLUTIONS) choice.append(new Option(text, value));
  const requestId = document.createElement("input");
  requestId.type = "number";
  requestId.min = "1";
  requestId.placeholder = "FMS request id";
  requestId.setAttribute("aria-label", "FMS request id (for link)");
  const go = document.createElement("button");
  go.type = "button";
  go.textContent = "Resolve";
  go.addEventListener("click", async () => {
    const body = { resolution: choice.value };
    if (choice.value === "link") body.fms_request_id = Number(requestId.value);
    try {
      await api("POST", `/api/fms/resolve/${entry.assignment.assignment_id}`, { body });
      notify(`Assignment ${entry.assignment.assignment_id} resolved: ${choice.value}`);
      await refresh();
    } catch (error) {
      notify(error.message, true);
    }
  });
  box.append(choice, requestId, go);
  return box;
}

export async function loadAttention(onResolved) {
  const list = document.getElementById("attention-list");
  const summary = document.getElementById("attention-summary");
  const refresh = async () => {
    await loadAttention(onResolved);
    await onResolved();
  };
  try {
    const answer = await api("GET", "/api/fms/attention");
    document.getElementById("open-attention").textContent = `Attention (${answer.count})`;
    summary.textContent = answer.count ? `${answer.count} bookings wait on FMS` : "Nothing waits on FMS.";
    list.replaceChildren();
    for (const entry of answer.assignments) {
      const a = entry.assignment;
      const li = document.createElement("li");
      li.append(`#${a.assignment_id} ${a.vin} ${a.partner_name || ""} ${a.start_day}..${a.end_day}: ` +
        `${a.status}, FMS ${a.fms_state}${entry.pending_kind ? ` (${entry.pending_kind})` : ""}`);
      if (a.last_error) li.append(document.createElement("br"), a.last_error);
      const history = document.createElement("button");
      history.type = "button";
      history.textContent = "History";
      history.addEventListener("click", () => showHistory(a.assignment_id));
      li.append(" ", history);
      if (entry.call_under_way) {
        const note = document.createElement("div");
        note.className = "under-way";
        note.textContent = "An FMS call is under way: wait for it before resolving.";
        li.append(note);
      } else if (isAdmin()) {
        li.append(resolveControls(entry, refresh));
      }
      list.append(li);
    }
  } catch (error) {
    summary.textContent = error.message;
  }
}

export async function showHistory(assignmentId) {
  const d = document.getElementById("history-dialog");
  const facts = document.getElementById("history-facts");
  const ops = document.getElementById("history-ops");
  facts.replaceChildren();
  ops.replaceChildren();
  try {
    const detail = await api("GET", `/api/assignments/${assignmentId}`);
    const a = detail.assignment;
    document.getElementById("history-title").textContent = `History of assignment ${assignmentId}`;
    for (const [k, v] of Object.entries({ VIN: a.vin, Partner: a.partner_name, Days: `${a.start_day} to ${a.end_day}`,
      Status: a.status, "FMS state": a.fms_state, "FMS request": a.fms_request_id, "Last error": a.last_error })) {
      fact(facts, k, v);
    }
    for (const o of detail.operations) {
      const tr = document.createElement("tr");
      for (const v of [when(o.started_at), `${o.call} (${o.purpose})`, o.outcome, o.status_code, o.fms_request_id, o.actor, o.error]) {
        const td = document.createElement("td");
        td.textContent = v === null || v === undefined ? "" : String(v);
        tr.append(td);
      }
      ops.append(tr);
    }
    if (!d.open) d.showModal();
  } catch (error) {
    notify(error.message, true);
  }
}
