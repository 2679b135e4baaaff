import { tailkubeMatchers } from '@tailkube/testing';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { homeProgram } from './helpers/programs';

/** Loads the registering entry point; `jest.isolateModules` needs a synchronous `require`. */
function loadJestEntry(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tailkube/testing/jest');
}

describe('registration', () => {
  test('expect.extend(tailkubeMatchers) registers the matchers', () => {
    // GIVEN
    expect.extend(tailkubeMatchers);
    const result = synthCdk8s(homeProgram().app);

    // THEN
    expect(result).toAllow('group:family', '10.20.0.1', 443);
  });

  test('importing @tailkube/testing/jest registers them with the global expect', () => {
    // GIVEN
    const extend = jest.spyOn(expect, 'extend');

    // WHEN: a fresh copy of the module, so its import runs again
    jest.isolateModules(loadJestEntry);

    // THEN
    expect(extend).toHaveBeenCalledTimes(1);
    expect(Object.keys(extend.mock.calls[0]?.[0] ?? {})).toStrictEqual(Object.keys(tailkubeMatchers));
    extend.mockRestore();
  });

  test('importing @tailkube/testing/jest where no runner defines expect fails saying what to do', () => {
    // GIVEN
    const global = globalThis as { expect?: unknown };
    const saved = global.expect;
    delete global.expect;

    // WHEN
    let thrown: unknown;
    try {
      jest.isolateModules(loadJestEntry);
    } catch (error) {
      thrown = error;
    } finally {
      global.expect = saved;
    }

    // THEN
    expect((thrown as Error).message).toMatch(
      /^@tailkube\/testing\/jest registers jest matchers on the global `expect`/,
    );
  });
});
