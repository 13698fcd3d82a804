import { describe, expect, it } from 'vitest';
import { filterMeasurements, filterTable } from '../../src/fit/data/filter.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { SAFE_REGEX_LIMITS, checkSafeRegex, regexSteps } from '../../src/fit/data/safe-regex.js';
import { tableFromRows } from '../../src/fit/data/table.js';
import { inputError } from './helpers.js';

const row = (notes: string, line = 1) => MeasurementSchema.parse({ model: 'm', nIn: 1, nOut: 1, energyJ: 1, notes, line });

describe('--exclude-notes: patterns that passed the check and still backtracked', () => {
  it("refuses '[^](a+)+$': a class of JavaScript's own reading hid the nested repetition (2^n steps: 14 s on 29 characters)", async () => {
    // `[^]` is any character and `[]` no character: the class ends at the first `]`, as JavaScript reads it.
    for (const pattern of ['[^](a+)+$', '[](a+)+]|x', '[^]]*(b+)+$']) {
      await inputError(() => checkSafeRegex(pattern, '--exclude-notes'), ['holds a quantifier (nested repetition)']);
    }
    // With the `v` flag classes nest: the group after `[[a]]` is outside it.
    await inputError(() => filterMeasurements([row('x')], { excludeNotes: new RegExp('[[a]](a+)+$', 'v') }), ['holds a quantifier']);
    // Without the `u` or `v` flag `\u{` and `\p{` are letters and a brace, not an escape with
    // braces: what follows is read as JavaScript reads it (`\u{(a+)+}` took 2.9 s on 28 characters).
    await inputError(() => checkSafeRegex('\\u{(a+)+}', '--exclude-notes'), ['holds a quantifier (nested repetition)']);
    await inputError(() => filterMeasurements([row('x')], { excludeNotes: '\\p{(a|aa)*}' }), ['holds an alternation']);
    expect(checkSafeRegex('\\u{12}x', '--exclude-notes')).toEqual({ wide: 0, branching: 1 });
    expect(checkSafeRegex('\\u{1,30}x', '--exclude-notes')).toEqual({ wide: 1, branching: 1 });
    // With `u` they are one atom, braces and all.
    expect(checkSafeRegex('\\u{1F600}+\\p{L}+', '--exclude-notes', 'u')).toEqual({ wide: 2, branching: 1 });
    // Under `v` a class may hold strings (`\q{a|aa}`): it is then an alternation, and repeating it
    // backtracks as `(a|aa)+` does (1.8 s on 41 characters).
    for (const pattern of ['^[\\q{a|aa}]+$', '^([\\q{aa}a])+$', '^[\\q{ab}\\q{a}b]*$']) {
      await inputError(() => filterMeasurements([row('x')], { excludeNotes: new RegExp(pattern, 'v') }), ['holds an alternation (nested repetition)']);
    }
    expect(checkSafeRegex('[\\q{a|aa}]b+', '--exclude-notes', 'v')).toEqual({ wide: 1, branching: 1 });
    expect(checkSafeRegex('[a-z]+', '--exclude-notes', 'v')).toEqual({ wide: 1, branching: 1 });
    // A `]` escaped in a class, or one a class starts with under `u`, does not end it early.
    expect(checkSafeRegex('[\\]a]+x', '--exclude-notes')).toEqual({ wide: 1, branching: 1 });
  });

  it("refuses an alternation wrapped in a group before it repeats: '^((a|aa))+$' took 1.6 s on 35 characters (Fibonacci in the length)", async () => {
    for (const pattern of ['^((a|aa))+$', '^(?:(?:a|aa))+$', '^(x(a|aa)y)*$', '((a|b)c)+']) {
      await inputError(() => checkSafeRegex(pattern, '--exclude-notes'), ['holds an alternation (nested repetition)']);
    }
    // Once, not repeated, the same groups are fine: their alternatives multiply with the other choices.
    expect(checkSafeRegex('^((a|aa))b+$', '--exclude-notes')).toEqual({ wide: 1, branching: 2 });
    expect(checkSafeRegex('(x(a|b)?)c+', '--exclude-notes')).toEqual({ wide: 1, branching: 4 });
  });

  it('counts {n,m} with 16 or more counts as unbounded (a{1,3000} three times: 4.5 s on 250 characters)', async () => {
    await inputError(() => checkSafeRegex('a{1,3000}a{1,3000}a{1,3000}x', '--exclude-notes'), [`more than ${SAFE_REGEX_LIMITS.maxUnbounded} unbounded quantifiers`]);
    expect(checkSafeRegex('a{1,3000}b+', '--exclude-notes')).toEqual({ wide: 2, branching: 1 });
    // However many digits a count is written with (JavaScript reads leading zeros): `(a+){000…01,}`
    // is `(a+)+`, 4 s on 27 characters.
    await inputError(() => checkSafeRegex(`^(a+){${'0'.repeat(40)}1,}$`, '--exclude-notes'), ['holds a quantifier (nested repetition)']);
    await inputError(() => checkSafeRegex(`a{${'0'.repeat(40)}1,}b+c*`, '--exclude-notes'), [`more than ${SAFE_REGEX_LIMITS.maxUnbounded} unbounded quantifiers`]);
    await inputError(() => checkSafeRegex(`a{1,${'0'.repeat(40)}9}b{1,9}c{1,9}`, '--exclude-notes'), [`multiply to more than ${SAFE_REGEX_LIMITS.maxBranching}`]);
    expect(checkSafeRegex('\\d{4}-\\d{2}-\\d{2}', '--exclude-notes')).toEqual({ wide: 0, branching: 1 });
  });

  it('bounds the choices multiplied: 30 × a? or (a|a) took 2^30 steps with no quantifier refused', async () => {
    for (const pattern of [`${'a?'.repeat(30)}${'a'.repeat(30)}`, `${'(a|a)'.repeat(30)}b`, 'a{1,9}b{1,9}c{1,9}']) {
      await inputError(() => checkSafeRegex(pattern, '--exclude-notes'), [`multiply to more than ${SAFE_REGEX_LIMITS.maxBranching}`]);
    }
    // 2 × 4 × 3 choices, and alternatives at the top level, are fine.
    expect(checkSafeRegex('(cold)?x{2,5}(a|b|c)|warm|iteration 0', '--exclude-notes')).toEqual({ wide: 0, branching: 24 });
  });

  it('refuses a pattern whose worst case on the notes exceeds SAFE_REGEX_LIMITS.maxSteps (.*a.*b on one 1 MB note would take hours)', async () => {
    const long = row('a'.repeat(1_000_000), 7);
    const rows = [row('cold start'), long];
    await inputError(() => filterMeasurements(rows, { excludeNotes: '.*a.*b' }), [
      '--exclude-notes: the regular expression could take up to 1.00e+18 steps on these notes (2 distinct, the longest 1000000 characters), more than the limit of 1000000000',
    ]);
    await inputError(() => filterTable(tableFromRows(rows), { excludeNotes: '.*a.*b' }), ['more than the limit of 1000000000']);
    // Without unbounded quantifiers the same notes cost about their length: the filter runs.
    expect(regexSteps({ wide: 0, branching: 1 }, 1_000_000)).toBe(1_000_001);
    expect(filterMeasurements(rows, { excludeNotes: 'cold' }).rows.map((r) => r.line)).toEqual([7]);
    expect(filterMeasurements(rows, { excludeNotes: '^a' }).rows.map((r) => r.notes)).toEqual(['cold start']);
  });

  it('matches each distinct note once and keeps the rows in order, the same as matching every row', () => {
    const notes = ['iteration 0', 'warm', 'iteration 0', 'cold', 'warm', 'iteration 1'];
    const rows = notes.map((n, k) => row(n, k + 2));
    const kept = filterMeasurements(rows, { excludeNotes: 'iteration 0|cold' });
    expect(kept.rows.map((r) => r.line)).toEqual(rows.filter((r) => !/iteration 0|cold/.test(r.notes!)).map((r) => r.line));
    expect(kept.steps).toEqual([{ filter: 'notes!~/iteration 0|cold/', before: 6, kept: 3, dropped: 3 }]);
  });
});
