// The matchers through `import { expect } from '@jest/globals'`: type-checked by
// tsconfig.check.json (a missing augmentation fails the type-check), registered at run time.
import { expect, test } from '@jest/globals';
import '@tailkube/testing/jest';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { homeProgram } from './helpers/programs';

test("@jest/globals' expect has the matchers, typed", () => {
  const result = synthCdk8s(homeProgram().app);
  expect(result).toAllow('group:family', '10.20.0.1', 443);
  expect(result).not.toDeny('group:family', '10.20.0.1', 443);
});
