export type { ChartInstall, SynthResult } from './result';
// The flavor helpers live in subpaths (`@tailkube/testing/cdk8s`, `@tailkube/testing/pulumi`) so
// that a cdk8s user need not install Pulumi, and the reverse. `@tailkube/testing/jest` registers
// the matchers on import; this entry point has no side effects.
export { TestTailnet, type TestDeviceOptions, type TestUserOptions } from './test-tailnet';
export type { AccessAnswer, CapabilitiesAnswer, Endpoint } from './access';
export type { ConstructIdentity } from './construct-identity';
export {
  tailkubeMatchers,
  type TailkubeMatcherContext,
  type TailkubeMatcherResult,
  type TailkubeMatchers,
} from './matchers';
