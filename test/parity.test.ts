import { Chart, Testing } from 'cdk8s';
import * as cdk8s from '@tailkube/cdk8s';
import * as tkPulumi from '@tailkube/pulumi';
import { OperatorCredentials, type TailscaleOperatorProps } from '@tailkube/core';

/**
 * The same props through both flavors give the same cluster objects and the same policy.
 *
 * Names differ by design: a cdk8s construct's path includes its chart (`ops/operator`), a Pulumi
 * component's is its name (`operator`). The policy names the construct in its `// tailkube:`
 * comment lines, so only those lines are normalised before comparing, and each flavor's own
 * comment lines are checked exactly.
 */
const PROPS: TailscaleOperatorProps = {
  namespace: 'tailnet',
  version: '1.100.0',
  hostname: 'k8s-operator',
  tags: ['tag:ops'],
  defaultProxyTags: ['tag:web', 'tag:db'],
  operatorImage: { digest: `sha256:${'b'.repeat(64)}` },
  proxyImage: { repository: 'ghcr.io/tailscale/tailscale' },
  firewallMode: 'nftables',
  defaultProxyClass: { name: 'default-class' },
  ingressClassName: 'tailnet',
  createIngressClass: false,
  loginServer: 'https://headscale.example.com',
  logging: 'debug',
  nodeSelector: { pool: 'system' },
  tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
  affinity: { podAntiAffinity: {} },
  priorityClassName: 'critical',
  resources: { requests: { cpu: '50m' } },
  podSecurityContext: { runAsUser: 1000 },
  securityContext: { privileged: false },
  imagePullSecrets: ['registry'],
  credentials: OperatorCredentials.fromSecret('tailscale-oauth'),
};

const BASE_POLICY = `// Ours.
{
\t"groups": {"group:admins": ["alice@example.com"]},
}
`;

interface Flavor {
  readonly namespace: unknown;
  readonly values: unknown;
  readonly policy: string;
}

function synthCdk8s(props: TailscaleOperatorProps): Flavor {
  const app = Testing.app();
  new cdk8s.Tailnet(app, 'Tailnet', { basePolicy: BASE_POLICY });
  const chart = new Chart(app, 'ops');
  new cdk8s.TailscaleOperator(chart, 'operator', props);
  const manifest = Testing.synth(chart);
  const namespace = manifest.find((object) => object.kind === 'Namespace');
  const release = manifest.find((object) => object.kind === 'HelmRelease');
  return {
    namespace: namespace.metadata,
    values: release.spec.values,
    policy: cdk8s.Tailnet.of(app).synth().text,
  };
}

async function runPulumi(props: TailscaleOperatorProps): Promise<Flavor> {
  const run = await tkPulumi.runWithMocks(() =>
    tkPulumi.tailnetProgram({ basePolicy: BASE_POLICY }, () => {
      new tkPulumi.TailscaleOperator('operator', props);
    }),
  );
  const input = (type: string): Readonly<Record<string, unknown>> => {
    const found = run.resources.filter((resource) => resource.type === type);
    expect(found).toHaveLength(1);
    return found[0]!.inputs;
  };
  const namespace = input('kubernetes:core/v1:Namespace');
  return {
    namespace: namespace['metadata'],
    values: input('kubernetes:helm.sh/v4:Chart')['values'],
    policy: input('tailscale:index/acl:Acl')['acl'] as string,
  };
}

/** The policy with the construct named in `// tailkube:` comment lines replaced by `<construct>`. */
function normalise(policy: string): string {
  return policy.replace(
    /^(\s*\/\/ tailkube: )TailscaleOperator '[^']*'$/gm,
    "$1TailscaleOperator '<construct>'",
  );
}

/** The `// tailkube:` comment lines of a policy. */
function commentLines(policy: string): string[] {
  return policy.split('\n').filter((line) => line.trimStart().startsWith('// tailkube:'));
}

describe('flavor parity: TailscaleOperator', () => {
  test('the same Namespace metadata', async () => {
    // WHEN
    const fromCdk8s = synthCdk8s(PROPS);
    const fromPulumi = await runPulumi(PROPS);

    // THEN
    expect(fromPulumi.namespace).toStrictEqual(fromCdk8s.namespace);
    expect(fromCdk8s.namespace).toStrictEqual({
      name: 'tailnet',
      labels: {
        'app.kubernetes.io/managed-by': 'tailkube',
        'pod-security.kubernetes.io/enforce': 'privileged',
      },
    });
  });

  test('the same chart values', async () => {
    // WHEN
    const fromCdk8s = synthCdk8s(PROPS);
    const fromPulumi = await runPulumi(PROPS);

    // THEN
    expect(fromPulumi.values).toStrictEqual(fromCdk8s.values);
    expect(fromCdk8s.values).toStrictEqual({
      oauthSecretVolume: { secret: { secretName: 'tailscale-oauth' } },
      loginServer: 'https://headscale.example.com',
      operatorConfig: {
        defaultTags: ['tag:ops'],
        image: { digest: `sha256:${'b'.repeat(64)}` },
        logging: 'debug',
        hostname: 'k8s-operator',
        nodeSelector: { pool: 'system' },
        resources: { requests: { cpu: '50m' } },
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: { podAntiAffinity: {} },
        priorityClassName: 'critical',
        podSecurityContext: { runAsUser: 1000 },
        securityContext: { privileged: false },
        extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.102.3' }],
      },
      ingressClass: { name: 'tailnet', enabled: false },
      proxyConfig: {
        image: { repository: 'ghcr.io/tailscale/tailscale' },
        defaultTags: 'tag:web,tag:db',
        firewallMode: 'nftables',
        defaultProxyClass: 'default-class',
      },
      imagePullSecrets: [{ name: 'registry' }],
    });
  });

  test('the same chart values for workload identity with an existing federated identity', async () => {
    // GIVEN
    const props: TailscaleOperatorProps = {
      credentials: OperatorCredentials.workloadIdentity({
        issuer: 'https://oidc.example.com',
        clientId: 'client',
        audience: 'aud',
      }),
    };

    // WHEN
    const fromCdk8s = synthCdk8s(props);
    const fromPulumi = await runPulumi(props);

    // THEN
    expect(fromPulumi.values).toStrictEqual(fromCdk8s.values);
    expect(fromPulumi.policy).toStrictEqual(
      fromCdk8s.policy.replaceAll("TailscaleOperator 'ops/operator'", "TailscaleOperator 'operator'"),
    );
  });

  test('the same policy text, apart from the construct named in the comments', async () => {
    // WHEN
    const fromCdk8s = synthCdk8s(PROPS);
    const fromPulumi = await runPulumi(PROPS);

    // THEN
    expect(normalise(fromPulumi.policy)).toBe(normalise(fromCdk8s.policy));
    expect(fromCdk8s.policy).toBe(`// Ours.
{
\t"groups": {"group:admins": ["alice@example.com"]},
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:db": ["tag:ops"],
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:ops": [],
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:web": ["tag:ops"],
\t},
}
`);
    // Only the comment lines differ, and each names its own construct.
    expect(commentLines(fromCdk8s.policy)).toStrictEqual(
      Array(3).fill("\t\t// tailkube: TailscaleOperator 'ops/operator'"),
    );
    expect(commentLines(fromPulumi.policy)).toStrictEqual(
      Array(3).fill("\t\t// tailkube: TailscaleOperator 'operator'"),
    );
  });
});
