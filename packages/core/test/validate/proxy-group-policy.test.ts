import {
  ValidationError,
  resolveProxyGroupPolicyProps,
  type IProxyGroup,
  type ProxyGroupPolicyProps,
} from '../../src/internal';

const PATH = "ProxyGroupPolicy 'team-a/allowed'";
const INGRESS: IProxyGroup<'ingress'> = {
  name: 'shared-ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:k8s'],
  replicas: 2,
};
const EGRESS: IProxyGroup<'egress'> = {
  name: 'shared-egress',
  proxyGroupType: 'egress',
  tags: ['tag:k8s'],
  replicas: 2,
};

function failure(props: ProxyGroupPolicyProps, namespace: string | undefined): ValidationError {
  try {
    resolveProxyGroupPolicyProps(PATH, 'allowed', namespace, props);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('defaults', () => {
  test('the name, the default namespace and empty lists', () => {
    expect(resolveProxyGroupPolicyProps(PATH, 'allowed', 'team-a', {})).toStrictEqual({
      name: 'allowed',
      namespace: 'team-a',
      ingress: [],
      egress: [],
    });
  });

  test('the props namespace wins over the default', () => {
    expect(
      resolveProxyGroupPolicyProps(PATH, 'allowed', 'team-a', { namespace: 'team-b', ingress: [INGRESS] }),
    ).toStrictEqual({ name: 'allowed', namespace: 'team-b', ingress: [INGRESS], egress: [] });
  });
});

describe('rules', () => {
  test.each<[string, ProxyGroupPolicyProps, string | undefined, ReturnType<typeof fields>]>([
    [
      'there is no namespace',
      {},
      undefined,
      {
        path: PATH,
        field: 'namespace',
        value: undefined,
        allowed: 'the namespace whose Services and Ingresses the policy governs',
      },
    ],
    [
      'the namespace is invalid',
      { namespace: 'Team_A' },
      undefined,
      {
        path: PATH,
        field: 'namespace',
        value: 'Team_A',
        allowed:
          'a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
      },
    ],
    [
      'the name is invalid',
      { name: 'Allowed' },
      'team-a',
      {
        path: PATH,
        field: 'name',
        value: 'Allowed',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'an egress group is listed as ingress',
      { ingress: [INGRESS, EGRESS as unknown as IProxyGroup<'ingress'>] },
      'team-a',
      { path: PATH, field: 'ingress[1]', value: 'shared-egress', allowed: 'a ProxyGroup of type "ingress"' },
    ],
    [
      'a group is listed twice',
      { egress: [EGRESS, EGRESS] },
      'team-a',
      { path: PATH, field: 'egress[1]', value: 'shared-egress', allowed: 'listed once' },
    ],
  ])('fails when %s', (_name, props, namespace, expected) => {
    expect(fields(failure(props, namespace))).toStrictEqual(expected);
  });

  test('the message says why a group of another type is refused', () => {
    expect(failure({ egress: [INGRESS as unknown as IProxyGroup<'egress'>] }, 'team-a').message).toBe(
      `${PATH}: \`egress[0]\` must be a ProxyGroup of type "egress", got "shared-ingress"; "shared-ingress" is of type "ingress"`,
    );
  });
});
