export type { ChartInstall, SynthResult } from './result';
// The flavor helpers live in subpaths (`@tailkube/testing/cdk8s`, `@tailkube/testing/pulumi`) so
// that a cdk8s user need not install Pulumi, and the reverse.
