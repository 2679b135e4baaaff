import { Chart, Testing } from 'cdk8s';
import * as cdk8s from '@tailkube/cdk8s';
import * as tkPulumi from '@tailkube/pulumi';
import { OperatorCredentials, type ProxyClassProps, type TailscaleOperatorProps } from '@tailkube/core';

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
  new cdk8s.Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE_POLICY });
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
    tkPulumi.tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, () => {
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

  test('the same namespace decision and values for a shared namespace and the issue-16 values', async () => {
    // GIVEN a shared namespace with no privileged proxy in the program, and the newer values set
    const props: TailscaleOperatorProps = {
      ...PROPS,
      namespaceMode: 'shared',
      imageRegistry: 'ghcr.io/tailscale',
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/ts' },
      podLabels: { team: 'net' },
      installCRDs: false,
      extraEnv: { defaultLoadBalancer: true, raw: { TS_DEBUG_X: '1' } },
    };

    // WHEN
    const fromCdk8s = synthCdk8s(props);
    const fromPulumi = await runPulumi(props);

    // THEN
    expect(fromPulumi.namespace).toStrictEqual(fromCdk8s.namespace);
    expect(fromCdk8s.namespace).toStrictEqual({
      name: 'tailnet',
      labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
    });
    expect(fromPulumi.values).toStrictEqual(fromCdk8s.values);
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
        extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.100.0' }],
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

describe('flavor parity: Connector and ProxyClass', () => {
  const PROXY_CLASS: ProxyClassProps = {
    statefulSet: {
      labels: { team: 'platform' },
      pod: {
        labels: { 'app.kubernetes.io/part-of': 'tailscale' },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        priorityClassName: 'system-cluster-critical',
        tailscaleContainer: { resources: { requests: { cpu: '50m', memory: '64Mi' } } },
      },
    },
    metrics: { enable: true, serviceMonitor: { enable: true, labels: { release: 'prometheus' } } },
    tailscale: { acceptRoutes: true },
  };
  /**
   * List-valued fields. Copied with `structuredClone`, their arrays came from Node's realm, not
   * jest's, and Pulumi's serializer (`instanceof Array`) sent them as objects keyed "0", "1", …
   * under jest, in users' `runWithMocks` tests too.
   */
  const PROXY_CLASS_LISTS: ProxyClassProps = {
    statefulSet: {
      pod: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' }] },
    },
    staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }] } },
  };
  const CONNECTOR = {
    subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '192.168.0.0/24'] },
    exitNode: true,
    hostnamePrefix: 'home-ops',
    replicas: 2,
    tags: ['tag:home-ops'],
  } as const;
  const FAMILY_BASE = '{"groups": {"group:family": ["kid@example.com"]}}\n';

  interface ConnectorFlavor {
    readonly connector: unknown;
    readonly proxyClass: unknown;
    readonly grants: unknown;
    readonly policy: string;
    readonly report: unknown;
  }

  const OPERATOR: TailscaleOperatorProps = { credentials: OperatorCredentials.fromSecret('operator-oauth') };

  function synthCdk8sConnector(proxyClass = PROXY_CLASS): ConnectorFlavor {
    const app = Testing.app();
    new cdk8s.Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: FAMILY_BASE, policyTests: true });
    new cdk8s.TailscaleOperator(new Chart(app, 'operator'), 'tailscale', OPERATOR);
    const chart = new Chart(app, 'home');
    const prod = new cdk8s.ProxyClass(chart, 'prod', proxyClass);
    const grants = new cdk8s.Connector(chart, 'home-ops', { ...CONNECTOR, proxyClass: prod }).allow([
      'group:family',
    ]);
    const manifest = Testing.synth(chart);
    const synthesis = cdk8s.Tailnet.of(app).synth();
    return {
      connector: manifest.find((object) => object.kind === 'Connector'),
      proxyClass: manifest.find((object) => object.kind === 'ProxyClass'),
      grants,
      policy: synthesis.text,
      report: synthesis.report,
    };
  }

  async function runPulumiConnector(proxyClass = PROXY_CLASS): Promise<ConnectorFlavor> {
    let grants: unknown;
    let tailnet: tkPulumi.Tailnet | undefined;
    const run = await tkPulumi.runWithMocks(() =>
      tkPulumi.tailnetProgram({ allowAll: 'deny', basePolicy: FAMILY_BASE, policyTests: true }, (t) => {
        tailnet = t;
        new tkPulumi.TailscaleOperator('tailscale', OPERATOR);
        const prod = new tkPulumi.ProxyClass('prod', proxyClass);
        grants = new tkPulumi.Connector('home-ops', { ...CONNECTOR, proxyClass: prod }).allow([
          'group:family',
        ]);
      }),
    );
    const object = (kind: string): unknown => {
      const found = run.resources.filter((r) => r.type === `kubernetes:tailscale.com/v1alpha1:${kind}`);
      expect(found).toHaveLength(1);
      return found[0]!.inputs;
    };
    return {
      connector: object('Connector'),
      proxyClass: object('ProxyClass'),
      grants,
      policy: run.resources.find((r) => r.type === 'tailscale:index/acl:Acl')!.inputs['acl'] as string,
      report: tailnet!.seal().report,
    };
  }

  /** Construct paths differ by design (cdk8s: `chart/id`, Pulumi: `name`). */
  const unpath = (text: string): string =>
    text.replace(/(Connector|ProxyClass|TailscaleOperator) '(?:[^'/]*\/)?([^']*)'/g, "$1 '$2'");

  test('the same Connector and ProxyClass objects', async () => {
    // WHEN
    const fromCdk8s = synthCdk8sConnector();
    const fromPulumi = await runPulumiConnector();

    // THEN
    expect(fromPulumi.connector).toStrictEqual(fromCdk8s.connector);
    expect(fromPulumi.proxyClass).toStrictEqual(fromCdk8s.proxyClass);
    expect(fromCdk8s.connector).toMatchObject({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Connector',
      metadata: { name: 'home-ops' },
      spec: { proxyClass: 'prod', tags: ['tag:home-ops'], replicas: 2, hostnamePrefix: 'home-ops' },
    });
  });

  test('the same ProxyClass lists (tolerations, static endpoint ports)', async () => {
    const fromCdk8s = synthCdk8sConnector(PROXY_CLASS_LISTS);
    const fromPulumi = await runPulumiConnector(PROXY_CLASS_LISTS);
    expect(fromPulumi.proxyClass).toStrictEqual(fromCdk8s.proxyClass);
  });

  test('the same grants, policy (with its tests) and report', async () => {
    // WHEN
    const fromCdk8s = synthCdk8sConnector();
    const fromPulumi = await runPulumiConnector();

    // THEN
    expect(fromPulumi.grants).toStrictEqual(fromCdk8s.grants);
    expect(unpath(fromPulumi.policy)).toBe(unpath(fromCdk8s.policy));
    expect(JSON.parse(unpath(JSON.stringify(fromPulumi.report)))).toStrictEqual(
      JSON.parse(unpath(JSON.stringify(fromCdk8s.report))),
    );
    expect(fromCdk8s.policy).toContain('"accept": ["10.244.0.1:443", "192.168.0.1:443"]');
  });
});
