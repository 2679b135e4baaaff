import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, type App } from 'cdk8s';
import { parse } from 'yaml';
import {
  Connector,
  DNSConfig,
  OperatorTailnet,
  PeerRelay,
  ProxyClass,
  ProxyGroup,
  ProxyGroupPolicy,
  Recorder,
  TailscaleOperator,
  Tailnet,
} from '@tailkube/cdk8s';
import { OPERATOR_REFERENCE_DIR, expectValidKubeObjects, type KubeObjectLike } from './helpers/schemas';
import { kubeObjects, synthApp } from './helpers/synth';

// Every spec field of every CRD the pinned operator ships must be typed by a construct, or listed
// below as deliberately left out with a reason. "Typed" is proved, not declared: each construct is
// rendered with props that set everything it offers, and the field's path must be in the output
// (which is also validated against the CRD, CEL rules included).
//
// Paths: `spec.a.b`, `[]` for the items of a list; the values of a string map (labels) are not
// fields. A field the props take as a Kubernetes type passed through as written (KubernetesJson)
// covers its whole subtree: Kubernetes' own schema types it, and the CRD check at synth holds it.

const CRD_DIR = path.join(OPERATOR_REFERENCE_DIR, 'crds');

/** Fields the props pass through as a Kubernetes type (`KubernetesJson`): their subtree is theirs. */
const PASS_THROUGH: Readonly<Record<string, readonly string[]>> = {
  ProxyClass: [
    'spec.statefulSet.pod.affinity',
    'spec.statefulSet.pod.securityContext',
    'spec.statefulSet.pod.tailscaleContainer.securityContext',
    'spec.statefulSet.pod.tailscaleInitContainer.securityContext',
    'spec.statefulSet.pod.topologySpreadConstraints',
  ],
  Recorder: [
    'spec.statefulSet.pod.affinity',
    'spec.statefulSet.pod.securityContext',
    'spec.statefulSet.pod.container.securityContext',
  ],
  DNSConfig: ['spec.nameserver.pod.affinity'],
};

/**
 * A container's `resources.claims` must each name an entry of its pod's `spec.resourceClaims`
 * (Kubernetes dynamic resource allocation), and neither a ProxyClass nor a Recorder pod can set
 * `resourceClaims`: the operator would render pods the API server rejects.
 */
const NO_POD_RESOURCE_CLAIMS =
  "a container resource claim must name one of the pod's `resourceClaims`, which the operator's pod template cannot declare";

/** Fields left out on purpose, with the reason (a subtree: the path and everything below it). */
const LEFT_OUT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ProxyClass: {
    'spec.statefulSet.pod.tailscaleContainer.resources.claims': NO_POD_RESOURCE_CLAIMS,
    'spec.statefulSet.pod.tailscaleInitContainer.resources.claims': NO_POD_RESOURCE_CLAIMS,
    // cmd/k8s-operator/proxyclass.go at v1.102.3 (`validate`): the operator marks a ProxyClass
    // invalid when the init container has debug settings; ProxyInitContainer has no `debug`.
    'spec.statefulSet.pod.tailscaleInitContainer.debug':
      'the operator refuses it: "debug settings cannot be configured on the init container"',
  },
  Recorder: {
    'spec.statefulSet.pod.container.resources.claims': NO_POD_RESOURCE_CLAIMS,
  },
};

interface Schema {
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
}

/** Every field path under `spec` of the CRD's storage version, and its kind. */
function crdSpecPaths(file: string): { readonly kind: string; readonly paths: readonly string[] } {
  const crd = parse(fs.readFileSync(file, 'utf8')) as {
    spec: {
      names: { kind: string };
      versions: { storage: boolean; schema: { openAPIV3Schema: { properties: { spec: Schema } } } }[];
    };
  };
  const version = crd.spec.versions.find((v) => v.storage)!;
  const paths: string[] = [];
  const walk = (schema: Schema, at: string): void => {
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      paths.push(`${at}.${key}`);
      walk(child, `${at}.${key}`);
    }
    if (schema.items) walk(schema.items, `${at}[]`);
  };
  walk(version.schema.openAPIV3Schema.properties.spec, 'spec');
  return { kind: crd.spec.names.kind, paths };
}

/** Every path in a rendered value, in the same notation. */
function renderedPaths(value: unknown, at: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) renderedPaths(item, `${at}[]`, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      into.add(`${at}.${key}`);
      renderedPaths(child, `${at}.${key}`, into);
    }
  }
}

function under(pathText: string, roots: readonly string[]): string | undefined {
  return roots.find(
    (root) => pathText === root || pathText.startsWith(`${root}.`) || pathText.startsWith(`${root}[]`),
  );
}

const AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] },
      ],
    },
  },
};
const SECURITY_CONTEXT = { runAsNonRoot: true };
const TOLERATION = {
  key: 'dedicated',
  operator: 'Equal',
  value: 'proxies',
  effect: 'NoSchedule',
  tolerationSeconds: 60,
} as const;
const RESOURCES = { requests: { cpu: '100m' }, limits: { memory: '128Mi' } };
const CONTAINER = {
  env: [{ name: 'EXTRA', value: '1' }],
  image: 'registry.example.com/tailscale:v1',
  imagePullPolicy: 'IfNotPresent',
  resources: RESOURCES,
  securityContext: SECURITY_CONTEXT,
} as const;

/** Every construct that renders a tailscale.com custom resource, with every prop it offers set. */
function maximalApp(app: App): void {
  new Tailnet(app, 'Tailnet', {
    basePolicy: '{"groups": {"group:eng": ["alice@example.com"]}, "grants": []}',
  });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const chart = new Chart(app, 'crs');
  const staging = new OperatorTailnet(chart, 'staging', {
    credentials: { secretName: 'staging-oauth' },
    loginUrl: 'https://controlplane.example.com',
  });
  const proxyClass = new ProxyClass(chart, 'full', {
    statefulSet: {
      labels: { team: 'net' },
      annotations: { 'example.com/a': 'b' },
      pod: {
        labels: { team: 'net' },
        annotations: { 'example.com/a': 'b' },
        affinity: AFFINITY,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [TOLERATION],
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
        ],
        priorityClassName: 'high',
        nodeName: 'node-a',
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['10.96.0.10'],
          searches: ['svc.cluster.local'],
          options: [{ name: 'ndots', value: '2' }],
        },
        imagePullSecrets: ['regcred'],
        securityContext: SECURITY_CONTEXT,
        tailscaleContainer: { ...CONTAINER, debug: { enable: true } },
        tailscaleInitContainer: CONTAINER,
      },
    },
    metrics: { enable: true, serviceMonitor: { enable: true, labels: { release: 'prom' } } },
    tailscale: { acceptRoutes: true },
    useLetsEncryptStagingEnvironment: true,
    staticEndpoints: { nodePort: { ports: [{ port: 30001, endPort: 30002 }], selector: { role: 'edge' } } },
  });
  new Connector(chart, 'router', {
    subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] },
    exitNode: true,
    hostname: 'router',
    replicas: 1,
    tags: ['tag:router'],
    proxyClass,
    operatorTailnet: staging,
  });
  new Connector(chart, 'apps', {
    appConnector: { domains: ['example.com'], routes: ['192.0.2.0/24'] },
    hostnamePrefix: 'apps',
    replicas: 2,
  });
  new ProxyGroup(chart, 'api', {
    type: 'kube-apiserver',
    replicas: 2,
    hostnamePrefix: 'api',
    tags: ['tag:api'],
    proxyClass,
    kubeAPIServer: { mode: 'auth', hostname: 'k8s-api' },
    operatorTailnet: staging,
  });
  const ingress = new ProxyGroup(chart, 'ingress', { type: 'ingress' });
  const egress = new ProxyGroup(chart, 'egress', { type: 'egress' });
  new ProxyGroupPolicy(chart, 'policy', { namespace: 'team', ingress: [ingress], egress: [egress] });
  new Recorder(chart, 'recorder', {
    tags: ['tag:k8s-recorder'],
    enableUI: true,
    replicas: 2,
    storage: {
      s3: {
        endpoint: 's3.us-east-1.amazonaws.com',
        bucket: 'recordings',
        credentialsSecret: { name: 's3-creds' },
      },
    },
    statefulSet: {
      labels: { team: 'sec' },
      annotations: { 'example.com/a': 'b' },
      pod: {
        labels: { team: 'sec' },
        annotations: { 'example.com/a': 'b' },
        affinity: AFFINITY,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [TOLERATION],
        imagePullSecrets: ['regcred'],
        securityContext: SECURITY_CONTEXT,
        container: CONTAINER,
        serviceAccount: {
          name: 'recorder',
          annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r' },
        },
      },
    },
    operatorTailnet: staging,
  });
  new DNSConfig(chart, 'dns', {
    image: { repo: 'registry.example.com/k8s-nameserver', tag: 'v1' },
    replicas: 2,
    clusterIP: '10.96.0.53',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [TOLERATION],
    affinity: AFFINITY,
  });
  new PeerRelay(chart, 'relay', {
    replicas: 2,
    hostnamePrefix: 'relay',
    tags: ['tag:relay'],
    proxyClass,
    service: { annotations: { 'example.com/lb': 'x' } },
    aws: {
      elasticIPs: [
        { allocationID: 'eipalloc-0a', subnetID: 'subnet-0a' },
        { allocationID: 'eipalloc-0b', subnetID: 'subnet-0b' },
      ],
    },
    operatorTailnet: staging,
  });
}

const crds = fs
  .readdirSync(CRD_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .map((file) => crdSpecPaths(path.join(CRD_DIR, file)));
const objects: readonly KubeObjectLike[] = kubeObjects(synthApp(maximalApp)).filter(
  (obj) => obj.apiVersion === 'tailscale.com/v1alpha1',
);

/** Every path the maximal props render, by kind. */
function renderedByKind(kind: string): Set<string> {
  const paths = new Set<string>();
  for (const obj of objects.filter((o) => o.kind === kind)) {
    renderedPaths((obj as { spec?: unknown }).spec, 'spec', paths);
  }
  return paths;
}

describe('CRD coverage: every spec field at the pinned tag is typed or left out with a reason', () => {
  test('the reference holds every CRD the operator ships, each rendered by a construct', () => {
    expect(crds.map((crd) => crd.kind).sort()).toStrictEqual([
      'Connector',
      'DNSConfig',
      'PeerRelay',
      'ProxyClass',
      'ProxyGroup',
      'ProxyGroupPolicy',
      'Recorder',
      'Tailnet',
    ]);
    expect([...new Set(objects.map((o) => o.kind))].sort()).toStrictEqual(crds.map((crd) => crd.kind).sort());
  });

  test('the maximal objects are valid against their CRDs, CEL rules included', () => {
    expectValidKubeObjects(objects);
  });

  test.each(crds.map((crd) => [crd.kind, crd.paths] as const))('%s', (kind, paths) => {
    const rendered = renderedByKind(kind);
    const passThrough = PASS_THROUGH[kind] ?? [];
    const leftOut = Object.keys(LEFT_OUT[kind] ?? {});
    const uncovered = paths.filter(
      (p) => !rendered.has(p) && under(p, passThrough) === undefined && under(p, leftOut) === undefined,
    );
    expect(uncovered).toStrictEqual([]);
    // A pass-through field is rendered; a left-out one is not (else the list is stale), and each
    // names a field the CRD has.
    for (const root of passThrough) expect([root, rendered.has(root)]).toStrictEqual([root, true]);
    for (const root of leftOut) {
      expect([root, paths.includes(root), rendered.has(root)]).toStrictEqual([root, true, false]);
    }
    for (const reason of Object.values(LEFT_OUT[kind] ?? {})) expect(reason.length).toBeGreaterThan(20);
  });

  test('the count: typed, passed through, left out with a reason', () => {
    const tally = { typed: 0, passedThrough: 0, leftOut: 0, uncovered: 0 };
    for (const { kind, paths } of crds) {
      const rendered = renderedByKind(kind);
      for (const p of paths) {
        if (rendered.has(p)) tally.typed += 1;
        else if (under(p, PASS_THROUGH[kind] ?? [])) tally.passedThrough += 1;
        else if (under(p, Object.keys(LEFT_OUT[kind] ?? {}))) tally.leftOut += 1;
        else tally.uncovered += 1;
      }
    }
    const total = crds.reduce((sum, crd) => sum + crd.paths.length, 0);
    expect(tally.typed + tally.passedThrough + tally.leftOut).toBe(total);
    expect(tally.uncovered).toBe(0);
    // Printed for the record of what the program types (the assertion above is what can fail).
    process.stdout.write(`CRD spec fields: ${total}; ${JSON.stringify(tally)}\n`);
  });
});
