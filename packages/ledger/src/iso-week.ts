/** The ISO 8601 week of a date (UTC), as `YYYY-Www`. Weeks start on Monday; week 1 holds 4 January. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of an ISO week. */
export function isoWeekStart(week: string): Date {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) throw new RangeError(`ledger: not an ISO week: "${week}" (expected YYYY-Www)`);
  const year = Number(m[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86400000;
  const start = new Date(mondayOfWeek1 + (Number(m[2]) - 1) * 7 * 86400000);
  if (isoWeek(start) !== week) throw new RangeError(`ledger: ${week} does not exist`);
  return start;
}

/** The ISO weeks from `from` to `to`, both included, oldest first. */
export function isoWeeksBetween(from: Date, to: Date): string[] {
  const weeks: string[] = [];
  for (let t = isoWeekStart(isoWeek(from)).getTime(); t <= to.getTime(); t += 7 * 86400000) weeks.push(isoWeek(new Date(t)));
  return weeks;
}
