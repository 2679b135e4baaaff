import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  TailscaleOperator,
  TailscaleService,
  runWithMocks,
  tailnetProgram,
  type MockedResource,
} from '@tailkube/pulumi';
import { measure, row, type BenchCase } from '../bench';

/** Goal of the issue: a mock run ≤ 1.3× the same cluster resources without tailkube. */
const PULUMI_GOAL = 1.3;

/** The type of the component each {@link TailscaleService} registers. */
const SERVICE_COMPONENT = 'tailkube:index:TailscaleService';

/** The program's own Service number `i`, as the user declares it. */
function webService(i: number): k8s.core.v1.Service {
  return new k8s.core.v1.Service(`web-${i}`, {
    metadata: { name: `web-${i}`, namespace: 'apps' },
    spec: { selector: { app: `web-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

/** `n` Services exposed through tailkube, with an operator, in a tailnet program. */
export function exposeServices(n: number): Promise<void> {
  return tailnetProgram({}, () => {
    new TailscaleOperator('operator');
    for (let i = 0; i < n; i++) {
      new TailscaleService(`web-${i}`, {
        service: { name: `web-${i}`, namespace: 'apps', resource: webService(i) },
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        tags: [`tag:web-${i}`],
      }).allow(['alice@example.com']);
    }
  });
}

/** The Kubernetes SDK's class for each kind of cluster resource tailkube registers. */
const KINDS: Readonly<
  Record<
    string,
    new (
      name: string,
      args: never,
      opts?: pulumi.CustomResourceOptions,
    ) => pulumi.CustomResource | pulumi.ComponentResource
  >
> = {
  'kubernetes:core/v1:Service': k8s.core.v1.Service,
  'kubernetes:core/v1:Namespace': k8s.core.v1.Namespace,
  'kubernetes:core/v1:Secret': k8s.core.v1.Secret,
  'kubernetes:helm.sh/v4:Chart': k8s.helm.v4.Chart,
};

/**
 * The same cluster resources with the same inputs, declared directly with the Kubernetes SDK: no
 * components, no tailnet resources.
 */
function sameResources(resources: readonly MockedResource[]): void {
  resources.forEach(({ type, name, inputs }, j) => {
    const Kind = KINDS[type];
    if (Kind !== undefined) new Kind(`${name}-${j}`, inputs as never);
  });
}

/** An empty component of tailkube's type, registering the outputs a {@link TailscaleService} does. */
class EmptyServiceComponent extends pulumi.ComponentResource {
  constructor(name: string) {
    super(SERVICE_COMPONENT, name);
  }

  done(outputs: pulumi.Inputs): void {
    this.registerOutputs(outputs);
  }
}

/**
 * The same as {@link sameResources}, with each companion Service under one empty ComponentResource
 * of tailkube's type that registers the outputs tailkube's does: what the resource tree alone costs.
 */
function sameResourcesUnderComponents(resources: readonly MockedResource[]): void {
  const components = new Map<string, EmptyServiceComponent>();
  resources.forEach(({ type, name, inputs }, j) => {
    if (type === SERVICE_COMPONENT) {
      components.set(name, new EmptyServiceComponent(`${name}-${j}`));
      return;
    }
    const Kind = KINDS[type];
    if (Kind === undefined) return;
    const metadata = inputs['metadata'] as { annotations?: Record<string, string> } | undefined;
    const hostname = metadata?.annotations?.['tailscale.com/hostname'];
    const parent = hostname === undefined ? undefined : components.get(name);
    new Kind(`${name}-${j}`, inputs as never, parent && { parent });
    parent?.done({ hostname, tags: metadata?.annotations?.['tailscale.com/tags']?.split(',') });
  });
}

export const cases: BenchCase[] = [
  {
    name: 'pulumi:tailscale-service',
    run: async (context) => {
      const n = context.quick ? 100 : 1000;
      const { resources } = await runWithMocks(() => exposeServices(n));
      const cluster = resources.filter(({ type }) => type.startsWith('kubernetes:'));
      const clusterAndComponents = resources.filter(
        ({ type }) => type.startsWith('kubernetes:') || type === SERVICE_COMPONENT,
      );
      if (cluster.some(({ type }) => KINDS[type] === undefined)) {
        throw new Error('a cluster resource kind is missing from the baseline');
      }
      const medians = await measure(
        {
          tailkube: () => runWithMocks(() => exposeServices(n)),
          bare: () => runWithMocks(() => sameResources(cluster)),
          components: () => runWithMocks(() => sameResourcesUnderComponents(clusterAndComponents)),
        },
        context.repetitions,
      );
      return [
        row(
          `pulumi:tailscale-service mock run ÷ same cluster resources`,
          n,
          medians['tailkube']! / medians['bare']!,
          'ratio',
          { max: PULUMI_GOAL },
          medians,
        ),
        row(
          `pulumi:tailscale-service one empty component per service ÷ same cluster resources`,
          n,
          medians['components']! / medians['bare']!,
          'ratio',
          { max: PULUMI_GOAL },
          medians,
        ),
      ];
    },
  },
];
