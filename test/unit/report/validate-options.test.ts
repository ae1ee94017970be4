import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import { resolveValidateOptions } from '../../../src/eval/report/validate-options.js';

function usageError(pattern: RegExp): (err: unknown) => boolean {
  return (err) => err instanceof MreError && err.code === 'USAGE' && pattern.test(err.message);
}

describe('resolveValidateOptions', () => {
  it('applies the defaults: results/, 5% failures, no accuracy gate, previous run', () => {
    assert.deepEqual(resolveValidateOptions({ root: 'data/val' }), {
      root: 'data/val', model: null, results: 'results', failUnder: undefined,
      maxFailureRate: 0.05, compare: null, logLevel: 'info',
    });
  });

  it('takes every flag as yargs gives it, in camelCase', () => {
    const options = resolveValidateOptions({ root: 'r', model: 'm', results: 'out',
      failUnder: 0.6, maxFailureRate: 0, compare: 'old', verbose: true });
    assert.deepEqual(options, { root: 'r', model: 'm', results: 'out', failUnder: 0.6,
      maxFailureRate: 0, compare: 'old', logLevel: 'verbose' });
  });

  it('returns a frozen object', () => {
    assert.equal(Object.isFrozen(resolveValidateOptions({ root: 'r' })), true);
  });

  it('requires the root', () => {
    assert.throws(() => resolveValidateOptions({}), usageError(/<root> is required/));
  });

  it('rejects thresholds outside 0..1, naming the flag', () => {
    assert.throws(() => resolveValidateOptions({ root: 'r', failUnder: 62 }),
      usageError(/--fail-under must be a number from 0 to 1, got 62/));
    assert.throws(() => resolveValidateOptions({ root: 'r', maxFailureRate: Number.NaN }),
      usageError(/--max-failure-rate/));
    assert.throws(() => resolveValidateOptions({ root: 'r', failUnder: 'abc' }),
      usageError(/--fail-under must be a number from 0 to 1, got "abc"$/));
    assert.equal(resolveValidateOptions({ root: 'r', failUnder: '0.5' }).failUnder, 0.5);
  });

  it('rejects --quiet together with --verbose', () => {
    assert.throws(() => resolveValidateOptions({ root: 'r', quiet: true, verbose: true }),
      usageError(/cannot be used together/));
  });
});
