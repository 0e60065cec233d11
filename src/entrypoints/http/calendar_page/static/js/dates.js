// Days as integers (days since 1970-01-01, UTC): no time zone can shift a loan's day.
export const DAY_MS = 86400000;

export function parseDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function formatDay(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function todayDay() {
  const now = new Date();
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY_MS;
}

export function weekday(day) {
  return new Date(day * DAY_MS).getUTCDay(); // 0 Sunday .. 6 Saturday
}

export function dayOfMonth(day) {
  return new Date(day * DAY_MS).getUTCDate();
}

export function monthName(day) {
  return new Date(day * DAY_MS).toLocaleString("en", { month: "short", timeZone: "UTC" });
}
