// Registers the matchers with jest's global `expect` on import. Import it from a test file, or list
// it in jest's `setupFilesAfterEnv`; the types come with the import.
// Brings `expect` into this package's own build; a jest project always has it (@types/jest and
// @jest/globals both import it), so the emitted declaration needs no import.
import type {} from 'expect';
import { tailkubeMatchers, type TailkubeMatchers } from './matchers';

/** The part of jest's global `expect` this module calls. */
interface ExtensibleExpect {
  extend(matchers: typeof tailkubeMatchers): void;
}

const expectGlobal = (globalThis as { expect?: ExtensibleExpect }).expect;
if (expectGlobal === undefined) {
  throw new Error(
    '@tailkube/testing/jest registers jest matchers on the global `expect`, which is not defined here: ' +
      "import it from a test file or jest's `setupFilesAfterEnv`, or call `expect.extend(tailkubeMatchers)` " +
      "with the `expect` of your test runner (`tailkubeMatchers` from '@tailkube/testing')",
  );
}
expectGlobal.extend(tailkubeMatchers);

// `import { expect } from '@jest/globals'` is typed by the `expect` package's `Matchers`, which
// `@jest/expect` re-exports; the global `expect` of @types/jest by the `jest` namespace, which
// `./matchers` extends. Both need the same names, so importing this module types either.
declare module 'expect' {
  // The type parameters must equal the `expect` package's declaration of Matchers.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends TailkubeMatchers<R> {}
}

export { tailkubeMatchers } from './matchers';
export type { TailkubeMatchers } from './matchers';
