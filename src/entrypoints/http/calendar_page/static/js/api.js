// Calls to this service: same origin, the bearer token on every call, the service's own messages.
import { authHeaders, expire } from "./auth.js";

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
}

function conflictText(c) {
  return `${c.vin} ${c.start_date}..${c.end_date} held by ${c.held_by}`;
}

export function describe(status, body) {
  const detail = (body && (body.detail || body.message)) || `HTTP ${status}`;
  const parts = [detail];
  if (body && body.may_have_reached_fms === true) {
    parts.push("FMS may have acted: the booking is marked unknown until the service or an admin settles it.");
  } else if (body && body.may_have_reached_fms === false) {
    parts.push("FMS did not act.");
  }
  if (body && Array.isArray(body.conflicts) && body.conflicts.length) {
    const more = body.conflict_count > body.conflicts.length ? ` (${body.conflict_count} in all)` : "";
    parts.push(`Clashes: ${body.conflicts.map(conflictText).join("; ")}${more}`);
  }
  return parts.join(" ");
}

function url(path, query) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, v);
  return u.pathname + u.search;
}

async function send(method, path, { query, body, accept } = {}) {
  const headers = { Accept: accept || "application/json", ...authHeaders() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url(path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (!response.ok) {
    let parsed = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    if (response.status === 401) expire();
    throw new ApiError(response.status, parsed);
  }
  return response;
}

export async function api(method, path, options = {}) {
  const response = await send(method, path, options);
  return response.status === 204 ? null : response.json();
}

// POST with ?stream=ndjson: yields each event object as its line arrives.
export async function* ndjson(path, body) {
  const response = await send("POST", path, { query: { stream: "ndjson" }, body, accept: "application/x-ndjson" });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line);
    }
    if (done) break;
  }
  if (buffered.trim()) yield JSON.parse(buffered);
}
