import { describe, expect, it } from 'vitest';
import { affirmFutureNegation } from './negation.ts';

describe('affirmFutureNegation', () => {
  it('turns a negated forecast into its affirmative form', () => {
    expect(affirmFutureNegation('China will not impose sanctions on Russia.')).toBe('China will impose sanctions on Russia.');
    expect(affirmFutureNegation("Beijing won't join the sanctions")).toBe('Beijing will join the sanctions');
    expect(affirmFutureNegation('A formal alliance will never be signed')).toBe('A formal alliance will be signed');
  });

  it('leaves subordinate, reported, double and non-future negations alone', () => {
    expect(affirmFutureNegation("Argentina's President Adopts Young Boy so He Won't Turn Into Werewolf")).toBeNull();
    expect(affirmFutureNegation('Doctor denies selfie as she releases statement saying she will not comment')).toBeNull();
    expect(affirmFutureNegation('China will not sanction Russia and will not arm it')).toBeNull();
    expect(affirmFutureNegation('China does not sanction Russia')).toBeNull();
    expect(affirmFutureNegation('Trade will reach $200 billion by 2024')).toBeNull();
  });
});
