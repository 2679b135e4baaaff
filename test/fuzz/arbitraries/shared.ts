import fc from 'fast-check';

/**
 * Shared building blocks of the fuzz generators: names, tags, principals, ports, Kubernetes
 * fragments and adversarial values. Each construct's generator (one file per construct beside
 * this one) composes them with {@link props}, which records the keys it covers so that
 * `generators.test.ts` can fail when a props interface gains a key no generator produces.
 */

/** The prefix of every Tailscale key, kept apart so no file holds a key-shaped literal. */
const KEY_PREFIX = ['ts', 'key'].join('');

/**
 * A marker every planted secret carries (built at run time): output or an error holding it has
 * echoed a secret.
 */
export const SECRET_MARK = ['Sekr', 'Et', 'q7'].join('');

/** A value shaped like a Tailscale key, built at run time. */
export function keyShaped(kind: string): string {
  return [KEY_PREFIX, kind, `k${SECRET_MARK}CNTRL`].join('-');
}

/** Matches anything shaped like a Tailscale key, or a planted secret. */
export const SECRET_SHAPE = new RegExp(`${KEY_PREFIX}-[a-z]+-[A-Za-z0-9]|${SECRET_MARK}`);

/** Key-shaped strings and URLs with a password in their userinfo, all carrying {@link SECRET_MARK}. */
export const secretValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('auth', 'client', 'api').map(keyShaped),
  fc.constantFrom('https', 'http', 's3').map((scheme) => `${scheme}://admin:${SECRET_MARK}@example.com`),
  fc.constant(`tag:${keyShaped('auth')}`),
);

/** Strings that trip plain-object lookups. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'] as const;

/** An object with an own `__proto__` key, as `JSON.parse` makes one. */
export function withOwnProto(inner: unknown = { polluted: true }): Record<string, unknown> {
  return JSON.parse(
    `{"__proto__": ${JSON.stringify(inner)}, "constructor": {"prototype": {"polluted": true}}}`,
  );
}

/** Unicode that looks like ASCII or breaks naive handling. */
const UNICODE = [
  'ｗｅｂ', // fullwidth
  'wеb', // Cyrillic e
  'ı', // dotless i: 'I'.toLowerCase() is not it
  'İstanbul',
  'web\u200b', // zero-width space
  'we\u0301b', // combining accent
  '\u202eweb', // right-to-left override
  '🦀',
  'web\u0000',
  'web\n',
  ' web ',
] as const;

/** A huge string: long enough to trip length limits and quadratic code, cheap to build. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'a-', '1', 'tag:', '.', '0.'), fc.integer({ min: 300, max: 20_000 }))
  .map(([unit, count]) => unit.repeat(count));

/** Strings a type checker would accept but no field should. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '-', '.', '..', '/', '*', 'a/b', 'A', 'UPPER', 'a_b', '0', '-1', '1.5', 'null'),
  fc.constantFrom(...PROTO_NAMES),
  fc.constantFrom(...UNICODE),
  hugeString,
  secretValue,
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

/** Values of a type TypeScript would refuse: what a JavaScript caller can pass anyway. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, NaN, Infinity, -0, 2 ** 53, '', 'x', [], {}),
  fc.constant(Symbol('fuzz')),
  fc.constant(Symbol.for('fuzz')),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constant(() => 'fuzz'),
  fc.constant(new Date(0)),
  fc.constant(/re/),
  fc.constant(new Map([['a', 'b']])),
  fc.constant(Object.create(null) as object),
  fc.constant(withOwnProto()),
  // An array with a hole at index 1.
  fc.constant(Object.assign(new Array<string>(3), { 0: 'a', 2: 'b' })),
  fc.constant({ length: 2, 0: 'a', 1: 'b' }),
  fc.constant(Object.assign(Object.create({ inherited: 'x' }) as object, { own: 'y' })),
);

/** Anything at all: a wrong type or an odd string. */
export const adversarial: fc.Arbitrary<unknown> = fc.oneof(wrongType, oddString);

/** A DNS label (lower-case letters, digits, dashes), valid or not. */
export const dnsLabel: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('web', 'db', 'app', 'office', 'prod', 'a', 'ts-1', 'x0') },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('a'.repeat(63), 'b'.repeat(64), 'a'.repeat(53), 'Web', 'web-', '1web', 'a.b'),
  },
  { weight: 1, arbitrary: oddString },
);

/** A Kubernetes object name (DNS subdomain), valid or not. */
export const objectName: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: dnsLabel },
  { weight: 1, arbitrary: fc.constantFrom('a.b.c', 'web.example', 'x'.repeat(253), 'y'.repeat(254)) },
);

/** A namespace, valid or not. */
export const namespaceName: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('default', 'apps', 'tailscale', 'kube-system', 'web') },
  { weight: 1, arbitrary: dnsLabel },
);

/** A hostname (DNS label), valid or not. */
export const hostname = dnsLabel;

/** A tag, valid or not. */
export const tag: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('tag:k8s', 'tag:web', 'tag:db', 'tag:prod', 'tag:k8s-operator') },
  { weight: 2, arbitrary: dnsLabel.map((l) => `tag:${l}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('k8s', 'tag:', 'tag:UPPER', 'tag:a b', 'tag:__proto__', 'group:eng'),
  },
  { weight: 1, arbitrary: oddString },
);

/** A list of tags, valid or not. */
export const tags: fc.Arbitrary<readonly string[]> = fc.array(tag, { maxLength: 3 });

/** A principal as an intent verb takes it. */
export const principal: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'group:eng',
      'alice@example.com',
      'tag:ci',
      'autogroup:member',
      '*',
      'autogroup:internet',
      'svc:web',
      '10.0.0.0/8',
    ),
  },
  { weight: 1, arbitrary: tags.map((t) => ({ principalSelectors: t })) },
  { weight: 1, arbitrary: oddString },
  { weight: 1, arbitrary: wrongType },
);

/** A port number, valid or not. */
export const portNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(80, 443, 5432, 8080, 53, 1) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 65535, 65536, 1.5, NaN, Infinity) },
);

/** A port as an intent verb's `ports` takes it. */
export const portSpec: fc.Arbitrary<unknown> = fc.oneof(
  portNumber,
  fc.constantFrom('tcp:443', 'udp:53', 'tcp:8000-8100', '*', 'tcp:*', 'icmp:*', 'tcp:0', 'http:80', '443'),
  adversarial,
);

/** Options of an `allow` verb. */
export const allowOptions: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.record({ ports: fc.array(portSpec, { maxLength: 3 }) }, { requiredKeys: [] }),
  wrongType,
);

/** Arguments of an intent verb: principals and options. */
export const verbArgs: fc.Arbitrary<{ readonly principals: unknown; readonly options: unknown }> = fc.record({
  principals: fc.oneof(
    { weight: 8, arbitrary: fc.array(principal, { maxLength: 3 }) },
    { weight: 1, arbitrary: adversarial },
  ),
  options: allowOptions,
});

/** A label or annotation key, valid or not. */
export const labelKey: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom('app', 'team', 'example.com/owner', 'app.kubernetes.io/name', 'tier'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a/b/c',
      '-bad',
      'UPPER.example/x',
      'x'.repeat(64),
      'tailscale.com/proxy-class',
      '',
    ),
  },
  { weight: 1, arbitrary: oddString },
);

/** A label value, valid or not. */
export const labelValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('web', 'platform', '', 'v1.2', 'a_b') },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(64), 'has space', '-bad', 'a/b') },
  { weight: 1, arbitrary: oddString },
);

/** A string map (labels, annotations, node selectors), keys and values valid or not. */
export const stringMap: fc.Arbitrary<Readonly<Record<string, unknown>>> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(labelKey, wrongType, { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.constant(withOwnProto('x')) },
);

/** A resource quantity, valid or not. */
const quantity: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('100m', '1', '128Mi', '1Gi', '0.5', '2e3') },
  { weight: 1, arbitrary: fc.constantFrom('lots', '1.5.5', '-', 'Mi', '100 m', '') },
  { weight: 1, arbitrary: fc.constantFrom(1, 0.5, true) },
);

/** Container resources, valid or not. */
export const resources: fc.Arbitrary<unknown> = fc.record(
  {
    requests: fc.dictionary(
      fc.constantFrom('cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu', 'bad key'),
      quantity,
      {
        maxKeys: 2,
      },
    ),
    limits: fc.dictionary(fc.constantFrom('cpu', 'memory'), quantity, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

/** A toleration, valid or not. */
export const toleration: fc.Arbitrary<unknown> = fc.record(
  {
    key: fc.oneof(labelKey, fc.constant('node.kubernetes.io/unreachable')),
    operator: fc.constantFrom('Exists', 'Equal', 'In', ''),
    value: labelValue,
    effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute', 'Never'),
    tolerationSeconds: fc.oneof(fc.constantFrom(30, 0, -1, 1.5), fc.integer()),
  },
  { requiredKeys: [] },
);

/** Affinity as passed through to Kubernetes, valid or not. */
export const affinity: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({}),
  fc.constant({ podAntiAffinity: {} }),
  fc.constant({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
      },
    },
  }),
  fc.constant({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'a' } },
  }),
  fc.constant({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1.5 }] } }),
  fc.constant({ nodeAfinity: {} }),
);

/** A security context as passed through to Kubernetes, valid or not. */
export const securityContext: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({}),
  fc.constant({ runAsNonRoot: true, runAsUser: 1000 }),
  fc.constant({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }),
  fc.constant({ privileged: 'yes' }),
  fc.constant({ runAsUser: -1.5 }),
  fc.constant({ capabilities: { add: 'NET_ADMIN' } }),
  fc.constant({ runAsUsr: 1000 }),
);

/** A topology spread constraint, valid or not. */
export const topologySpreadConstraint: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }),
  fc.constant({ maxSkew: 1.5, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }),
  fc.constant({ maxSkew: 1 }),
  fc.constant({ topologyKey: 5 }),
);

/** An environment variable, valid or not. */
export const envVar: fc.Arbitrary<unknown> = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom('FOO', 'TS_DEBUG_FIREWALL_MODE', 'TS_EXTRA_ARGS', 'TS_AUTHKEY', '1BAD', ''),
      oddString,
    ),
    value: fc.oneof(fc.constantFrom('1', 'true', ''), secretValue, oddString),
  },
  { requiredKeys: ['name'] },
);

/** An image reference, valid or not. */
export const image: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'tailscale/tailscale:v1.102.3',
    `ghcr.io/tailscale/tailscale@sha256:${'a'.repeat(64)}`,
    'img',
    'bad image',
  ),
  oddString,
);

/** An image pull policy, valid or not. */
export const imagePullPolicy = fc.constantFrom('Always', 'Never', 'IfNotPresent', 'Sometimes');

/** A list of image pull secret names. */
export const imagePullSecrets: fc.Arbitrary<readonly string[]> = fc.array(objectName, { maxLength: 2 });

/** A boolean, usually; a JavaScript caller's truthy stand-in sometimes. */
export const bool: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom('true', 1, 0) },
);

/** A CIDR, valid or not. */
export const cidr: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '10.0.0.0/8',
    '192.168.1.0/24',
    'fd7a:115c:a1e0::/48',
    '10.0.0.1/8',
    '0.0.0.0/0',
    '::/0',
    '10.0.0.0/33',
  ),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
  oddString,
);

/** An IP address, valid or not. */
export const ipAddress: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('100.64.0.1', 'fd7a:115c:a1e0::1', '10.0.0.1', '10.96.0.10', '256.1.1.1', '::ffff:1.2.3.4'),
  fc.ipV4(),
  fc.ipV6(),
  oddString,
);

/** A domain, valid or not. */
export const domain: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'github.com',
    '*.example.com',
    'db.tailnet.ts.net',
    'example.com.',
    '*',
    'a..b',
    'xn--bcher-kva.example',
  ),
  dnsLabel.map((l) => `${l}.example.com`),
  oddString,
);

/** A URL, valid or not. */
export const url: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'https://headscale.example.com',
    'http://minio.local:9000',
    'https://s3.amazonaws.com',
    'ftp://x',
    'not a url',
  ),
  secretValue,
  oddString,
);

/**
 * Which keys a construct's generator covers, and the arbitrary of its props. `plausible` values
 * are mostly of the declared types (valid or near-valid); `props` also replaces a few of them with
 * adversarial values, so every key gets wrong types and odd strings too.
 */
export interface PropsArbitrary {
  /** The top-level keys the generator sets. */
  readonly keys: readonly string[];
  /** Props of the declared types (valid or not): what reaches rendering most often. */
  readonly plausible: fc.Arbitrary<Record<string, unknown>>;
  /** Plausible props, sometimes with one or two values replaced by adversarial ones. */
  readonly arbitrary: fc.Arbitrary<Record<string, unknown>>;
}

/** Builds a {@link PropsArbitrary} from one arbitrary per key; `required` keys are always set. */
export function props(
  shape: Readonly<Record<string, fc.Arbitrary<unknown>>>,
  required: readonly string[] = [],
): PropsArbitrary {
  const keys = Object.keys(shape);
  const plausible = fc.record(shape as Record<string, fc.Arbitrary<unknown>>, {
    requiredKeys: required as never[],
  }) as fc.Arbitrary<Record<string, unknown>>;
  const mutated = fc
    .tuple(
      plausible,
      fc.array(fc.tuple(fc.constantFrom(...keys), adversarial), { minLength: 1, maxLength: 2 }),
    )
    .map(([base, replacements]) => {
      const copy: Record<string, unknown> = { ...base };
      for (const [key, value] of replacements) copy[key] = value;
      return copy;
    });
  const arbitrary = fc.oneof(
    { weight: 6, arbitrary: plausible },
    { weight: 3, arbitrary: mutated },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom<unknown>(withOwnProto(), Object.create(null) as unknown),
        wrongType,
      ) as fc.Arbitrary<Record<string, unknown>>,
    },
  );
  return { keys, plausible, arbitrary };
}

/** Either the value, or a wrong type in its place (for nested fields). */
export function orWrong<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: adversarial });
}

/** What a reference in generated props stands for; the harness builds it in each flavor. */
export type RefKind =
  'proxyClass' | 'proxyGroup' | 'operator' | 'operatorTailnet' | 'recorder' | 'service' | 'tailscaleProvider';

/**
 * A reference to another construct of the program, created by the harness in the flavor under
 * test (a real ProxyClass, ProxyGroup, TailscaleOperator, OperatorTailnet, Recorder, or a Service object: a cdk8s
 * `ApiObject`, a Pulumi `k8s.core.v1.Service`).
 */
export class Ref {
  constructor(
    readonly kind: RefKind,
    readonly options: Readonly<Record<string, unknown>> = {},
  ) {}

  /** How counterexamples print it. */
  [fc.toStringMethod](): string {
    return `Ref(${JSON.stringify(this.kind)}, ${fc.stringify(this.options)})`;
  }
}

/** A ProxyClass reference: one the program owns, one by name, or a wrong value. */
export const proxyClassRef: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(new Ref('proxyClass')) },
  { weight: 3, arbitrary: objectName.map((name) => ({ name })) },
  { weight: 1, arbitrary: adversarial },
);

/** A ProxyGroup reference of `type`: one the program owns, one by attributes, or a wrong value. */
export function proxyGroupRef(type: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(new Ref('proxyGroup', { type })) },
    {
      weight: 3,
      arbitrary: fc.record({
        name: objectName,
        proxyGroupType: fc.oneof(
          { weight: 5, arbitrary: fc.constant(type) },
          { weight: 1, arbitrary: fc.constantFrom('ingress', 'egress', 'kube-apiserver') },
        ),
        tags,
        replicas: fc.oneof(fc.constantFrom(1, 2, 3), fc.constantFrom(0, -1, 1.5)),
      }),
    },
    { weight: 1, arbitrary: adversarial },
  );
}

/**
 * A tailnet reference (`operatorTailnet`): an OperatorTailnet the program owns, one by name with
 * its client tags, a bare name, or a wrong value.
 */
export const operatorTailnetRef: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(new Ref('operatorTailnet')) },
  {
    weight: 2,
    arbitrary: fc.record({ name: objectName, clientTags: tags }, { requiredKeys: ['name'] }),
  },
  { weight: 2, arbitrary: objectName },
  { weight: 1, arbitrary: adversarial },
);

/** Hostnames from a pool large enough that programs seldom ask for one twice. */
export const uniqueHostname: fc.Arbitrary<string> = fc.integer({ min: 0, max: 999 }).map((i) => `host-${i}`);

/** The fields of a container's settings the ProxyClass and Recorder share, each key's arbitrary. */
export const containerFields = {
  env: fc.array(envVar, { maxLength: 2 }),
  image,
  imagePullPolicy,
  resources,
  securityContext,
};

/** The fields of a pod's settings the ProxyClass and Recorder share, each key's arbitrary. */
export const podFields = {
  labels: stringMap,
  annotations: stringMap,
  affinity,
  nodeSelector: stringMap,
  tolerations: fc.array(toleration, { maxLength: 2 }),
  imagePullSecrets,
  securityContext,
};
