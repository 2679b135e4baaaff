import {
  resolveDNSConfigProps,
  resolveProxyClassProps,
  resolveRecorderProps,
  resolveTailscaleOperatorProps,
  type DNSConfigProps,
  type ProxyClassProps,
  type RecorderProps,
  type TailscaleOperatorProps,
  type ValidationError,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';
import { checkKubeSchema, checkKubeSchemaEach } from '../../src/validate/kube-schema';

const QUANTITY = 'a Kubernetes quantity such as "100m", "0.5", "2" or "128Mi"';
const S3 = { s3: { endpoint: 's3.us-east-1.amazonaws.com', bucket: 'recordings' } };
const SUPPORT = {
  defaultCredentials: { kind: 'existing-secret', secretName: 'operator-oauth' },
  createsOAuthClient: false,
  createsFederatedIdentity: false,
} as const;

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

const proxyClass = (props: ProxyClassProps) => () => resolveProxyClassProps("ProxyClass 'pc'", 'pc', props);
const dnsConfig = (props: DNSConfigProps) => () => resolveDNSConfigProps("DNSConfig 'dns'", 'dns', props);
const recorder = (props: RecorderProps) => () =>
  resolveRecorderProps("Recorder 'rec'", 'rec', { storage: S3, ...props });
const operator = (props: TailscaleOperatorProps) => () =>
  resolveTailscaleOperatorProps("TailscaleOperator 'op'", props, SUPPORT);

/** Pass-through values as the Kubernetes docs write them; each must pass. */
const AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] },
      ],
    },
  },
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 100,
        podAffinityTerm: {
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: { app: 'ts' } },
        },
      },
    ],
  },
};
const TOLERATIONS = [
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' },
] as const;
const RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '1.5Gi' } };
const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 1000,
  fsGroup: 2000,
  seccompProfile: { type: 'RuntimeDefault' },
};
const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
  readOnlyRootFilesystem: true,
};

describe('valid pass-through fields', () => {
  test('a ProxyClass with every pass-through field set passes', () => {
    expect(
      proxyClass({
        statefulSet: {
          pod: {
            affinity: AFFINITY,
            tolerations: TOLERATIONS,
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
            ],
            securityContext: POD_SECURITY,
            tailscaleContainer: { resources: RESOURCES, securityContext: CONTAINER_SECURITY },
            tailscaleInitContainer: {
              resources: { requests: { cpu: '10m' } },
              securityContext: { privileged: true },
            },
          },
        },
      }),
    ).not.toThrow();
  });

  test('a DNSConfig, a Recorder and the operator with them pass', () => {
    expect(dnsConfig({ affinity: AFFINITY, tolerations: TOLERATIONS })).not.toThrow();
    expect(
      recorder({
        statefulSet: {
          pod: {
            affinity: AFFINITY,
            tolerations: TOLERATIONS,
            securityContext: POD_SECURITY,
            container: { resources: RESOURCES, securityContext: CONTAINER_SECURITY },
          },
        },
      }),
    ).not.toThrow();
    expect(
      operator({
        affinity: AFFINITY,
        tolerations: TOLERATIONS,
        resources: RESOURCES,
        podSecurityContext: POD_SECURITY,
        securityContext: CONTAINER_SECURITY,
      }),
    ).not.toThrow();
  });

  test.each(['100m', '0.5', '2', '128Mi', '1e3', '1.5Gi', '+1k', '.5'])('quantity %p passes', (cpu) => {
    expect(checkKubeSchema('ResourceRequirements', { limits: { cpu } }, 'resources')).toBeUndefined();
  });
});

describe('bad pass-through fields', () => {
  test('fails when a toleration waits 1.5 seconds', () => {
    const error = failure(
      proxyClass({
        statefulSet: {
          pod: { tolerations: [TOLERATIONS[1], { ...TOLERATIONS[0], tolerationSeconds: 1.5 }] },
        },
      }),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'pc'",
      field: 'statefulSet.pod.tolerations[1].tolerationSeconds',
      value: 1.5,
      allowed: 'a whole number (64-bit)',
    });
  });

  test('fails when a CPU limit is not a quantity', () => {
    const error = failure(
      proxyClass({
        statefulSet: { pod: { tailscaleContainer: { resources: { limits: { cpu: 'lots' } } } } },
      }),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'pc'",
      field: 'statefulSet.pod.tailscaleContainer.resources.limits.cpu',
      value: 'lots',
      allowed: QUANTITY,
    });
    expect(error.message).toBe(
      `ProxyClass 'pc': \`statefulSet.pod.tailscaleContainer.resources.limits.cpu\` must be ${QUANTITY}, got "lots"`,
    );
  });

  test('fails when an extended resource name needs quoting', () => {
    const error = failure(
      recorder({
        statefulSet: { pod: { container: { resources: { requests: { 'nvidia.com/gpu': '1 gpu' } } } } },
      }),
    );
    expect(error.field).toBe('statefulSet.pod.container.resources.requests["nvidia.com/gpu"]');
    expect(error.allowed).toBe(QUANTITY);
  });

  test('fails when a topology spread constraint misses required fields', () => {
    const error = failure(
      proxyClass({ statefulSet: { pod: { topologySpreadConstraints: [{ maxSkew: 1 }] } } }),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'pc'",
      field: 'statefulSet.pod.topologySpreadConstraints[0].topologyKey',
      value: undefined,
      allowed: 'set: the Kubernetes TopologySpreadConstraint requires it',
    });
  });

  test('fails when a node selector operator is not one Kubernetes knows', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Equals', values: ['a'] }] }],
        },
      },
    };
    const error = failure(dnsConfig({ affinity }));
    expect(fields(error)).toStrictEqual({
      path: "DNSConfig 'dns'",
      field:
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator',
      value: 'Equals',
      allowed: 'one of "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"',
    });
  });

  test('fails when a security context runs as a user name', () => {
    const error = failure(operator({ podSecurityContext: { runAsUser: 'root' } }));
    expect(fields(error)).toStrictEqual({
      path: "TailscaleOperator 'op'",
      field: 'podSecurityContext.runAsUser',
      value: 'root',
      allowed: 'a whole number',
    });
  });

  test('fails when a capability is not a string', () => {
    const error = failure(operator({ securityContext: { capabilities: { add: ['NET_ADMIN', 12] } } }));
    expect(error.field).toBe('securityContext.capabilities.add[1]');
    expect(error.allowed).toBe('a string');
  });

  test('fails when the operator toleration effect is misspelt', () => {
    const error = failure(operator({ tolerations: [{ key: 'a', effect: 'NoSchedul' as 'NoSchedule' }] }));
    expect(error.field).toBe('tolerations[0].effect');
    expect(error.allowed).toBe('one of "NoExecute", "NoSchedule", "PreferNoSchedule"');
  });

  test('fails on a field Kubernetes does not define, naming the ones it does', () => {
    expect(checkKubeSchema('Affinity', { nodeAfinity: {} }, 'affinity')).toStrictEqual({
      field: 'affinity.nodeAfinity',
      value: {},
      allowed: 'a field Kubernetes defines here: nodeAffinity, podAffinity, podAntiAffinity',
    });
    const deep = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'], valuse: ['y'] }] },
          ],
        },
      },
    };
    expect(checkKubeSchema('Affinity', deep, 'affinity')?.field).toBe(
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].valuse',
    );
    const error = failure(dnsConfig({ affinity: { nodeAfinity: {} } as never }));
    expect(error.field).toBe('affinity.nodeAfinity');
  });

  test('accepts any key of a map (resource names, label selectors)', () => {
    expect(
      checkKubeSchema(
        'ResourceRequirements',
        { requests: { cpu: '1', 'example.com/gpu': '1' } },
        'resources',
      ),
    ).toBeUndefined();
    expect(
      checkKubeSchema(
        'TopologySpreadConstraint',
        {
          maxSkew: 1,
          topologyKey: 'zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'x' } },
        },
        'topologySpreadConstraints[0]',
      ),
    ).toBeUndefined();
  });

  test('fails when affinity or a list is not the right shape', () => {
    expect(checkKubeSchema('Affinity', 'anywhere', 'affinity')).toStrictEqual({
      field: 'affinity',
      value: 'anywhere',
      allowed: 'an object',
    });
    expect(checkKubeSchemaEach('Toleration', { key: 'a' } as never, 'tolerations')).toStrictEqual({
      field: 'tolerations',
      value: { key: 'a' },
      allowed: 'a list of Toleration objects',
    });
  });
});
