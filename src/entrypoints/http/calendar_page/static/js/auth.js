// The embed flow: the token comes in the URL fragment (#embed_token=...), leaves the address bar at
// once, goes as "Authorization: Bearer" on every call, and is refreshed by the FMS parent page through
// postMessage before it expires. Messages are taken only from the parent window on an allowed origin.
const root = document.documentElement;
export const mode = root.dataset.auth === "bearer" ? "bearer" : "none";
const allowed = (root.dataset.parentOrigins || "").split(" ").filter(Boolean);
export const REQUEST_TYPE = "media-scheduler:token-request";
export const TOKEN_TYPE = "media-scheduler:token";

let token = null;
let refreshTimer = null;
let expiryTimer = null;
const listeners = [];

function claims(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")));
  } catch {
    return {};
  }
}

export function originAllowed(origin) {
  return allowed.some((source) => {
    if (source === "'self'") return origin === location.origin;
    const wildcard = source.match(/^(https?):\/\/\*\.(.+)$/);
    if (!wildcard) return origin === source;
    const [scheme, rest] = origin.split("://");
    return scheme === wildcard[1] && rest !== undefined && rest.endsWith(`.${wildcard[2]}`);
  });
}

function parentTargets() {
  const ancestor = location.ancestorOrigins && location.ancestorOrigins[0];
  if (ancestor && originAllowed(ancestor)) return [ancestor];
  return allowed
    .map((source) => (source === "'self'" ? location.origin : source))
    .filter((source) => !source.includes("*"));
}

export function requestToken() {
  if (window.parent === window) return;
  for (const target of parentTargets()) {
    window.parent.postMessage({ type: REQUEST_TYPE }, target);
  }
}

function schedule() {
  clearTimeout(refreshTimer);
  clearTimeout(expiryTimer);
  const { exp, iat } = claims(token);
  if (typeof exp !== "number") return;
  const now = Date.now() / 1000;
  const lifetime = typeof iat === "number" ? exp - iat : exp - now;
  const lead = Math.min(60, Math.max(1, lifetime / 4)); // ask a minute (at most) before the end
  refreshTimer = setTimeout(requestToken, Math.max(0, (exp - lead - now) * 1000));
  expiryTimer = setTimeout(() => expire(), Math.max(0, (exp - now) * 1000));
}

function setToken(fresh) {
  const wasExpired = !document.getElementById("session-expired").hidden;
  token = fresh;
  document.getElementById("session-expired").hidden = true;
  schedule();
  for (const listener of listeners) listener({ wasExpired });
}

export function expire() {
  if (mode !== "bearer") return;
  document.getElementById("session-expired").hidden = false;
  requestToken();
}

export function onTokenChange(listener) {
  listeners.push(listener);
}

export function hasToken() {
  return mode === "none" || token !== null;
}

export function authHeaders() {
  return mode === "bearer" && token ? { Authorization: `Bearer ${token}` } : {};
}

function onMessage(event) {
  if (event.source !== window.parent || window.parent === window) return;
  if (!originAllowed(event.origin)) return;
  const data = event.data;
  if (!data || data.type !== TOKEN_TYPE || typeof data.token !== "string" || !data.token) return;
  setToken(data.token);
}

export function initAuth() {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromFragment = params.get("embed_token");
  if (location.hash.includes("embed_token")) {
    params.delete("embed_token");
    const rest = params.toString();
    history.replaceState(history.state, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  }
  window.addEventListener("message", onMessage);
  if (mode !== "bearer") return;
  if (fromFragment) setToken(fromFragment);
  else expire();
}
