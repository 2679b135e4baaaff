import '@tailkube/testing/jest';
import { isValidationError } from '@tailkube/core';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { apiServerProgram } from './helpers/programs';

// Matcher arguments come from user code: printing one must never throw (BigInt, Symbol, cycles),
// so the assertion fails with its own message or a ValidationError, never a TypeError.

/** What the assertion `fn` throws; never a TypeError. */
function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (error) {
    expect(error).not.toBeInstanceOf(TypeError);
    return error as Error;
  }
  throw new Error('expected the assertion to fail');
}

describe('hostile matcher arguments', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;

  test.each([
    ['a BigInt', 10n],
    ['a Symbol', Symbol('v')],
    ['a cyclic object', cyclic],
  ])('toGrantCapability with %s as the value fails with a message', (_name, value) => {
    const { app, kubectl: proxy } = apiServerProgram();
    const result = synthCdk8s(app);
    const error = thrown(() =>
      expect(result).toGrantCapability('group:sre', proxy, 'tailscale.com/cap/kubernetes', value),
    );
    expect(isValidationError(error)).toBe(false);
    expect(error.message).toMatch(/holding/);
  });

  test.each([
    ['a BigInt port', 10n],
    ['a Symbol port', Symbol('p')],
  ])('toAllow with %s is a ValidationError', (_name, port) => {
    const { app, kubectl: proxy } = apiServerProgram();
    const error = thrown(() => expect(synthCdk8s(app)).toAllow('group:nobody', proxy, port as never));
    expect(isValidationError(error)).toBe(true);
  });
});
