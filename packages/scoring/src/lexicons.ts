/**
 * Cue-word lists in the style of the FNC-1 baseline and winning systems (refuting and hedging
 * words), extended with reporting verbs, confirmation words and negations. Lists hold
 * stemmed forms (see `stem`), so they match inflections.
 */
import { stem } from './text.ts';

function stems(words: string): Set<string> {
  return new Set(
    words
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => stem(w)),
  );
}

export const REFUTING = stems(
  'fake fraud hoax false deny denies denied denial not despite nope doubt doubts bogus debunk debunks ' +
    'debunked pranks prank retract retracts retracted misleading mislead rumor rumour rumors rumours ' +
    'untrue incorrect wrong myth satire satirical fabricated fabrication fiction fictional baseless ' +
    'unfounded refute refutes refuted dismiss dismissed reject rejects rejected contrary disputes ' +
    'disputed dispute lie lies lying photoshopped doctored scam falsely never',
);

export const HEDGING = stems(
  'alleged allegedly apparently appear appears claim claims could evidently largely likely mainly may ' +
    'maybe might mostly perhaps presumably probably purported purportedly reported reportedly rumored ' +
    'rumoured rumor suggest suggests suggested unconfirmed unclear unverified possibly possible supposedly ' +
    'seems seemingly speculation speculate speculated believed thought',
);

export const REPORTING = stems(
  'according said says told report reports reported claimed claiming stated announced tweeted wrote ' +
    'posted source sources statement spokesman spokeswoman spokesperson',
);

export const CONFIRMING = stems(
  'confirm confirms confirmed confirmation official officially indeed true verified proof proves proved ' +
    'evidence revealed reveals announce announced footage video photos shows showed actually definitely ' +
    'finally successfully',
);

export const NEGATION = new Set(['not', 'no', 'never', 'nobody', 'nothing', 'none', 'neither', 'nor', 'nowhere', 'without', 'cannot']);

/** Words a forecast uses to deny an event ("will not", "won't", "no"), kept unstemmed. */
export const FUTURE_NEGATION = new Set(['not', 'no', 'never', 'neither', 'nor']);

export const POSITIVE = stems(
  'good great success successful win wins won safe saved rescue rescued help helped support supports ' +
    'supported agree agrees agreed happy best positive alive survive survived survives approve approved ' +
    'welcome welcomed praise praised boost boosted',
);

export const NEGATIVE = stems(
  'bad worst fail failed fails failure kill killed dead death die died attack attacked crash crashed ' +
    'crisis war threat threatens threatened sanction sanctions sanctioned ban banned condemn condemned ' +
    'oppose opposed against violence arrest arrested injured wounded loss lost suffer suffered warn warned',
);

/** Multi-word refutations ("has not been confirmed" is hedging; "turned out to be fake" refutes). */
export const REFUTING_PHRASES =
  /\b(?:turned out to be|(?:is|was|are|were) (?:not true|false|fake|a hoax|a prank|satire|untrue)|no evidence|there is no|no truth|not real|has denied|have denied|denied (?:the|that|reports?)|debunk\w*|fake news|made up|not the case|no such|never happened|did not happen|didn't happen|false (?:report|claim|rumou?r)s?|dismissed|set the record straight)\b/g;

export const HEDGING_PHRASES =
  /\b(?:according to|not (?:yet )?(?:been )?(?:independently )?(?:confirmed|verified)|could not (?:be )?(?:independently )?(?:confirm|verif)\w*|unable to (?:confirm|verify)|if true|it is unclear|it's unclear|remains unclear|has yet to|have yet to|it is not clear|reports? (?:say|said|suggest\w*|claim\w*)|is said to|are said to|is believed|are believed|is thought|are thought|allegedly|reportedly|purportedly|appears? to|seems? to|rumou?rs?|unconfirmed|speculat\w+)\b/g;
