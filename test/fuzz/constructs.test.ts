import { singleConstructPlan } from './arbitraries';
import { runCdk8s } from './harness/cdk8s';
import { CONSTRUCTS } from './harness/plan';
import { assertContract } from './harness/property';
import { runPulumi } from './harness/pulumi';
import { HANG_MS, PULUMI_RUNS, RUNS, TIME_LIMIT_MS } from './harness/settings';

/**
 * For every construct, in both flavors, random props (valid, near-valid, wrong types, odd strings,
 * secrets in the wrong place) give either a complete ValidationError that echoes no secret, or
 * objects that pass their CRD schema with its CEL rules (or the Kubernetes schema) and the API
 * server's create-time rules, with distinct identities and no secret in any output; never a raw
 * error, a hang, or a change to the built-in prototypes. See harness/outcome.ts.
 */
const TIMEOUT = TIME_LIMIT_MS + 2 * HANG_MS + 30_000;

describe.each(CONSTRUCTS)('%s under random props', (construct) => {
  test(
    'cdk8s: a ValidationError or objects the API server accepts',
    () => assertContract(singleConstructPlan(construct), runCdk8s, RUNS),
    TIMEOUT,
  );

  test(
    'Pulumi: a ValidationError or objects the API server accepts',
    () => assertContract(singleConstructPlan(construct), runPulumi, PULUMI_RUNS),
    TIMEOUT,
  );
});
