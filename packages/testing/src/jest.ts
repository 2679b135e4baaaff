// Registers the matchers with jest's global `expect` on import. Import it from a test file, or list
// it in jest's `setupFilesAfterEnv`; the types come with the import.
import { tailkubeMatchers } from './matchers';

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

export { tailkubeMatchers } from './matchers';
export type { TailkubeMatchers } from './matchers';
