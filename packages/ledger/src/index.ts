export { isoWeek, isoWeekStart, isoWeeksBetween } from './iso-week.ts';
export {
  STANDING_RULES,
  balanceOf,
  computeStanding,
  momentumOf,
  publicationStart,
  recordAtWeek,
  recordStatusOf,
  splitBackground,
  statusOf,
  weighEvidence,
  weighRecord,
} from './standing.ts';
export type { Evidence, Standing, WeekPoint, Weight } from './standing.ts';
export { refreshStandings, standingFromRow } from './refresh-standings.ts';
export type { LastEvidence } from './refresh-standings.ts';
