import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { TailscaleOperator } from '@tailkube/cdk8s';
import {
  GITOPS_FILE_ENGINES,
  OperatorCredentials,
  operatorChart,
  renderGitOpsFile,
  renderOperatorValues,
  resolveTailscaleOperatorProps,
  type OperatorApiServerProxy,
  type TailscaleOperatorProps,
} from '@tailkube/core/internal';
import { TailscaleOperator as PulumiTailscaleOperator, runWithMocks, tailnetProgram } from '@tailkube/pulumi';
import { parse } from 'yaml';
import { CREDENTIAL_VARIANTS, FULL_OPERATOR_PROPS } from './helpers/operator-props';
import { unwrapSecrets } from './helpers/pulumi';
import { OPERATOR_REFERENCE_DIR } from './helpers/schemas';
import { kubeObjects, synthApp } from './helpers/synth';

type Json = Record<string, unknown>;

/** The chart's `values.yaml` at the pinned tag. */
const VALUES_YAML = parse(
  fs.readFileSync(path.join(OPERATOR_REFERENCE_DIR, 'chart-values.yaml'), 'utf8'),
) as Json;

/**
 * Keys the chart's templates read that its `values.yaml` does not declare: the Deployment's
 * annotations come from a top-level `annotations` (`templates/deployment.yaml` at v1.102.3), not
 * from the declared `operatorConfig.annotations`, which no template reads.
 */
const TEMPLATE_ONLY: Json = { annotations: {} };

/** Every value the chart reads. */
const UPSTREAM: Json = { ...VALUES_YAML, ...TEMPLATE_ONLY };

/**
 * Chart values tailkube deliberately does not type, each with its reason. Every other value path
 * of `values.yaml` must be reached by rendering some props.
 */
const LEFT_OUT: Readonly<Record<string, string>> = {
  'oauth.clientSecret':
    'a credential in chart values is plain text in Git (cdk8s) or in Pulumi state; tailkube hands the client secret over as a Kubernetes Secret (`credentials`)',
  'operatorConfig.annotations':
    'no template reads it at v1.102.3: the Deployment template reads the top-level `annotations`, which `deploymentAnnotations` sets',
};

/**
 * Upstream keys whose value is a free-form list or map (pod-spec fragments, env lists, volumes):
 * below them only the key itself is checked.
 */
const FREE_FORM = [
  'annotations',
  'oauthSecretVolume',
  'operatorConfig.nodeSelector',
  'operatorConfig.resources',
  'operatorConfig.annotations',
  'operatorConfig.podAnnotations',
  'operatorConfig.podLabels',
  'operatorConfig.serviceAccountAnnotations',
  'operatorConfig.tolerations',
  'operatorConfig.affinity',
  'operatorConfig.podSecurityContext',
  'operatorConfig.securityContext',
  'operatorConfig.extraEnv',
  'imagePullSecrets',
];

function kindOf(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'list'
      : typeof value === 'object'
        ? 'map'
        : typeof value;
}

function at(values: Json, keyPath: string): unknown {
  return keyPath.split('.').reduce<unknown>((v, k) => (v as Json | undefined)?.[k], values);
}

/**
 * Checks every key path of `ours` against the upstream values: the key exists, and its value has
 * the upstream value's kind (map, list, string, boolean, …). Returns the paths checked and the
 * problems found.
 */
function compareWithUpstream(
  ours: Json,
  upstream: Json = UPSTREAM,
  prefix = '',
): { checked: string[]; problems: string[] } {
  const checked: string[] = [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(ours)) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    checked.push(keyPath);
    if (!Object.hasOwn(upstream, key)) {
      problems.push(`\`${keyPath}\` is not in the upstream chart values`);
      continue;
    }
    const theirs = upstream[key];
    if (kindOf(value) !== kindOf(theirs)) {
      problems.push(`\`${keyPath}\` is a ${kindOf(value)}, upstream a ${kindOf(theirs)}`);
      continue;
    }
    if (kindOf(value) === 'map' && !FREE_FORM.includes(keyPath)) {
      const nested = compareWithUpstream(value as Json, theirs as Json, keyPath);
      checked.push(...nested.checked);
      problems.push(...nested.problems);
    }
  }
  return { checked, problems };
}

const SUPPORT = {
  defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
  createsOAuthClient: true,
  createsFederatedIdentity: true,
};

function render(props: TailscaleOperatorProps, apiServerProxy: OperatorApiServerProxy = {}): Json {
  return renderOperatorValues(
    resolveTailscaleOperatorProps("TailscaleOperator 'test'", props, SUPPORT),
    apiServerProxy,
  );
}

/** Every value path of `values`: its leaves, and each free-form key as one path. */
function valuePaths(values: Json, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    return kindOf(value) === 'map' && !FREE_FORM.includes(keyPath)
      ? valuePaths(value as Json, keyPath)
      : [keyPath];
  });
}

const VARIANTS: Record<string, TailscaleOperatorProps> = {
  'default props': {},
  'every prop set': FULL_OPERATOR_PROPS,
  'an OAuth client': { credentials: OperatorCredentials.oauthClient() },
  'workload identity without client id': {
    credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://oidc.example.com' }),
  },
  'several proxy tags and an ingress class only named': {
    defaultProxyTags: ['tag:a', 'tag:b', 'tag:c'],
    ingressClassName: 'ts',
  },
  'an ingress class only disabled': { createIngressClass: false },
  ...Object.fromEntries(
    Object.entries(CREDENTIAL_VARIANTS).map(([name, credentials]) => [name, { credentials }]),
  ),
};

describe('the upstream chart values', () => {
  test('hold every free-form key as a list or map', () => {
    expect(FREE_FORM.map((keyPath) => [keyPath, kindOf(at(UPSTREAM, keyPath))])).toStrictEqual(
      FREE_FORM.map((keyPath) => [keyPath, expect.stringMatching(/^(list|map)$/)]),
    );
  });

  test('take `proxyConfig.defaultTags` as a string', () => {
    expect(at(UPSTREAM, 'proxyConfig.defaultTags')).toBe('tag:k8s');
  });
});

describe('coverage of the chart values', () => {
  const reached = new Set(
    [
      render(FULL_OPERATOR_PROPS, { inProcessMode: 'auth', allowImpersonation: true }),
      ...Object.values(VARIANTS).map((props) => render(props)),
    ].flatMap((values) => compareWithUpstream(values).checked),
  );

  test('every value of values.yaml is typed (some props render it) or left out with a reason', () => {
    const untyped = valuePaths(VALUES_YAML).filter(
      (keyPath) => !reached.has(keyPath) && !(keyPath in LEFT_OUT),
    );
    expect(untyped).toStrictEqual([]);
  });

  test('what is left out is a real value of the chart, and never rendered', () => {
    expect(
      Object.keys(LEFT_OUT).filter((keyPath) => !valuePaths(VALUES_YAML).includes(keyPath)),
    ).toStrictEqual([]);
    expect(Object.keys(LEFT_OUT).filter((keyPath) => reached.has(keyPath))).toStrictEqual([]);
  });

  test('the value paths read from values.yaml', () => {
    // 36 paths at v1.102.3: 34 typed, 2 left out. A chart bump that adds one fails the test above.
    expect(valuePaths(VALUES_YAML)).toHaveLength(36);
    expect(valuePaths(VALUES_YAML).filter((keyPath) => reached.has(keyPath))).toHaveLength(34);
  });
});

describe('the comparison', () => {
  test('fails when a key is not upstream or has another kind', () => {
    expect(
      compareWithUpstream({
        operatorConfig: { hostnme: 'x', extraEnv: [{ anything: 1 }], image: { repository: 'r' } },
        proxyConfig: { defaultTags: ['tag:k8s'] },
        ingressClass: 'tailscale',
      }),
    ).toStrictEqual({
      checked: [
        'operatorConfig',
        'operatorConfig.hostnme',
        'operatorConfig.extraEnv',
        'operatorConfig.image',
        'operatorConfig.image.repository',
        'proxyConfig',
        'proxyConfig.defaultTags',
        'ingressClass',
      ],
      problems: [
        '`operatorConfig.hostnme` is not in the upstream chart values',
        '`proxyConfig.defaultTags` is a list, upstream a string',
        '`ingressClass` is a string, upstream a map',
      ],
    });
  });
});

describe('every key path tailkube emits exists in the upstream chart values', () => {
  test.each(Object.entries(VARIANTS))('core rendering, %s', (_, props) => {
    const values = render(props);
    const { checked, problems } = compareWithUpstream(values);
    expect(problems).toStrictEqual([]);
    expect(checked).toStrictEqual(
      expect.arrayContaining(['operatorConfig.defaultTags', 'proxyConfig.defaultTags']),
    );
    expect(typeof at(values, 'proxyConfig.defaultTags')).toBe('string');
  });

  test('core rendering with every prop set reaches every field it renders', () => {
    const values = render(FULL_OPERATOR_PROPS);
    expect(compareWithUpstream(values).checked.sort()).toStrictEqual(
      [
        'annotations',
        'imagePullSecrets',
        'ingressClass',
        'ingressClass.enabled',
        'ingressClass.name',
        'installCRDs',
        'loginServer',
        'oauth',
        'oauth.audience',
        'oauth.clientId',
        'operatorConfig',
        'operatorConfig.affinity',
        'operatorConfig.defaultTags',
        'operatorConfig.extraEnv',
        'operatorConfig.hostname',
        'operatorConfig.image',
        'operatorConfig.image.digest',
        'operatorConfig.image.pullPolicy',
        'operatorConfig.image.repository',
        'operatorConfig.image.tag',
        'operatorConfig.logging',
        'operatorConfig.nodeSelector',
        'operatorConfig.podAnnotations',
        'operatorConfig.podLabels',
        'operatorConfig.podSecurityContext',
        'operatorConfig.priorityClassName',
        'operatorConfig.resources',
        'operatorConfig.securityContext',
        'operatorConfig.serviceAccountAnnotations',
        'operatorConfig.tolerations',
        'proxyConfig',
        'proxyConfig.defaultProxyClass',
        'proxyConfig.defaultTags',
        'proxyConfig.firewallMode',
        'proxyConfig.image',
        'proxyConfig.image.digest',
        'proxyConfig.image.repository',
        'proxyConfig.image.tag',
      ].sort(),
    );
    expect(at(values, 'proxyConfig.defaultTags')).toBe('tag:k8s,tag:prod');
  });

  test.each(['flux', 'argocd'] as const)('cdk8s: the values the %s object carries', (gitops) => {
    const objs = kubeObjects(
      synthApp(
        (app) =>
          new TailscaleOperator(new Chart(app, 'operator'), 'Operator', { ...FULL_OPERATOR_PROPS, gitops }),
      ),
    );
    const release = objs.find((o) => o.kind === (gitops === 'flux' ? 'HelmRelease' : 'Application'));
    const values = (
      gitops === 'flux'
        ? at(release as Json, 'spec.values')
        : at(release as Json, 'spec.source.helm.valuesObject')
    ) as Json;
    expect(values).toStrictEqual(render(FULL_OPERATOR_PROPS));
    expect(compareWithUpstream(values).problems).toStrictEqual([]);
  });

  test.each(GITOPS_FILE_ENGINES)('the values the %s file carries', (engine) => {
    const resolved = resolveTailscaleOperatorProps("TailscaleOperator 'test'", FULL_OPERATOR_PROPS, SUPPORT);
    const values = renderOperatorValues(resolved);
    const { document } = renderGitOpsFile(engine, operatorChart(resolved), values);
    const carried = (
      engine === 'fleet'
        ? at(document as Json, 'helm.values')
        : engine === 'kustomize'
          ? (at(document as Json, 'helmCharts') as Json[])[0]!['valuesInline']
          : document
    ) as Json;
    expect(carried).toStrictEqual(values);
    expect(compareWithUpstream(carried).problems).toStrictEqual([]);
  });

  test.each([
    ['an OAuth client', {}],
    [
      'workload identity',
      { credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://oidc.example.com' }) },
    ],
    ['every prop set', FULL_OPERATOR_PROPS],
  ] as const)('Pulumi: the values the chart is given, %s', async (_, props) => {
    const { resources } = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new PulumiTailscaleOperator('operator', props);
      }),
    );
    const chart = resources.find((r) => r.type === 'kubernetes:helm.sh/v4:Chart');
    const values = unwrapSecrets(chart?.inputs['values']) as Json;
    expect(compareWithUpstream(values).problems).toStrictEqual([]);
    expect(typeof at(values, 'proxyConfig.defaultTags')).toBe('string');
  });
});
