import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { TailscaleOperator } from '@tailkube/cdk8s';
import {
  OperatorCredentials,
  renderOperatorValues,
  resolveTailscaleOperatorProps,
  type TailscaleOperatorProps,
} from '@tailkube/core/internal';
import { TailscaleOperator as PulumiTailscaleOperator, runWithMocks, tailnetProgram } from '@tailkube/pulumi';
import { parse } from 'yaml';
import { CREDENTIAL_VARIANTS, FULL_OPERATOR_PROPS } from './helpers/operator-props';
import { unwrapSecrets } from './helpers/pulumi';
import { OPERATOR_REFERENCE_DIR } from './helpers/schemas';
import { kubeObjects, synthApp } from './helpers/synth';

type Json = Record<string, unknown>;

const UPSTREAM = parse(
  fs.readFileSync(path.join(OPERATOR_REFERENCE_DIR, 'chart-values.yaml'), 'utf8'),
) as Json;

/**
 * Upstream keys whose value is a free-form list or map (pod-spec fragments, env lists, volumes):
 * below them only the key itself is checked.
 */
const FREE_FORM = [
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

function render(props: TailscaleOperatorProps): Json {
  return renderOperatorValues(resolveTailscaleOperatorProps("TailscaleOperator 'test'", props, SUPPORT));
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
        'imagePullSecrets',
        'ingressClass',
        'ingressClass.enabled',
        'ingressClass.name',
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
        'operatorConfig.image.repository',
        'operatorConfig.logging',
        'operatorConfig.nodeSelector',
        'operatorConfig.podSecurityContext',
        'operatorConfig.priorityClassName',
        'operatorConfig.resources',
        'operatorConfig.securityContext',
        'operatorConfig.tolerations',
        'proxyConfig',
        'proxyConfig.defaultProxyClass',
        'proxyConfig.defaultTags',
        'proxyConfig.firewallMode',
        'proxyConfig.image',
        'proxyConfig.image.digest',
        'proxyConfig.image.repository',
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
