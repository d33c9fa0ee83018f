export { isoWeek, isoWeekStart, isoWeeksBetween } from './iso-week.ts';
export { STANDING_RULES, balanceOf, computeStanding, statusOf, weighEvidence } from './standing.ts';
export type { Evidence, Stance, Standing, Status, WeekPoint } from './standing.ts';
