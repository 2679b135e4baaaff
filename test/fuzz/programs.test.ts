import { programPlan } from './arbitraries';
import { runCdk8s } from './harness/cdk8s';
import { assertContract } from './harness/property';
import { runPulumi } from './harness/pulumi';
import { HANG_MS, PULUMI_RUNS, RUNS, TIME_LIMIT_MS } from './harness/settings';

/**
 * Whole random programs (an operator and two to six constructs whose names collide often) keep
 * the contract of one construct, and in particular never emit two objects with one identity
 * (group, kind, namespace, name): one would silently replace the other at apply.
 */
const TIMEOUT = TIME_LIMIT_MS + 2 * HANG_MS + 30_000;

test(
  'cdk8s: random programs never emit two objects with one identity',
  () => assertContract(programPlan, runCdk8s, RUNS),
  TIMEOUT,
);

test(
  'Pulumi: random programs never emit two objects with one identity',
  () => assertContract(programPlan, runPulumi, PULUMI_RUNS),
  TIMEOUT,
);
