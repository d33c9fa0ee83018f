/**
 * The one vocabulary of stances, statuses and signpost outcomes, and the one resolution rule. The
 * dashboard, the digest, the API, the Atom feed, the scorer and the database take their words from
 * here, so a forecast reads the same everywhere (issue #15: the digest said "no evidence yet" where
 * the dashboard said "No recent evidence"; issue #16: the lists were defined in eight places).
 */
export * from './stances.ts';
export * from './statuses.ts';
export * from './resolution.ts';
export * from './signposts.ts';
