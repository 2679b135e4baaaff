import {
  type ValidationError,
  checkApiServerProxyAccess,
  resolveApiServerProxyProps,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyProps,
  type IKubeApiServerProxyGroup,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';

const PATH = "ApiServerProxy 'ops/kubectl'";
const OPERATOR = { tags: ['tag:k8s-operator'], hostname: 'tailscale-operator' } as const;
const GROUP: IKubeApiServerProxyGroup = {
  name: 'k8s-api',
  proxyGroupType: 'kube-apiserver',
  tags: ['tag:k8s-api'],
  replicas: 2,
  kubeAPIServer: { mode: 'auth', hostname: 'prod-api' },
};

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('resolveApiServerProxyProps', () => {
  test('in-process by default: auth mode at the operator hostname, on the operator tags', () => {
    expect(resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR })).toStrictEqual({
      operator: OPERATOR,
      name: 'kubectl',
      mode: 'auth',
      placement: 'in-process',
      nodeTags: ['tag:k8s-operator'],
      hostname: 'tailscale-operator',
    });
  });

  test('noauth in-process', () => {
    expect(resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR, mode: 'noauth' }).mode).toBe(
      'noauth',
    );
  });

  test("on a ProxyGroup: the group's mode, tags and Service hostname", () => {
    const resolved = resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR, proxyGroup: GROUP });
    expect(resolved).toMatchObject({
      mode: 'auth',
      placement: 'proxy-group',
      nodeTags: ['tag:k8s-api'],
      hostname: 'prod-api',
      serviceName: 'svc:prod-api',
    });
  });

  test("a group reference without settings gets the operator's defaults: auth, svc:<name>", () => {
    const bare: IKubeApiServerProxyGroup = {
      name: 'k8s-api',
      proxyGroupType: 'kube-apiserver',
      tags: ['tag:k8s-api'],
      replicas: 2,
    };
    const resolved = resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR, proxyGroup: bare });
    expect(resolved).toMatchObject({ mode: 'auth', hostname: 'k8s-api', serviceName: 'svc:k8s-api' });
  });

  test('the mode may repeat the group mode', () => {
    expect(() =>
      resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR, proxyGroup: GROUP, mode: 'auth' }),
    ).not.toThrow();
  });

  test.each<[string, ApiServerProxyProps, object]>([
    [
      'the ProxyGroup is of another type',
      {
        operator: OPERATOR,
        proxyGroup: { ...GROUP, proxyGroupType: 'ingress' } as unknown as IKubeApiServerProxyGroup,
      },
      {
        field: 'proxyGroup',
        value: 'k8s-api of type "ingress"',
        allowed: 'a ProxyGroup of type "kube-apiserver"',
      },
    ],
    [
      'the mode differs from the group mode',
      { operator: OPERATOR, proxyGroup: GROUP, mode: 'noauth' },
      {
        field: 'mode',
        value: 'noauth',
        allowed: 'absent or "auth", the mode of ProxyGroup "k8s-api"',
      },
    ],
    [
      'the mode is unknown',
      { operator: OPERATOR, mode: 'true' as 'auth' },
      { field: 'mode', value: 'true', allowed: 'one of "auth", "noauth"' },
    ],
    [
      'the operator is missing',
      {} as ApiServerProxyProps,
      { field: 'operator', value: undefined, allowed: "the program's TailscaleOperator" },
    ],
    [
      'the name is not an object name',
      { operator: OPERATOR, name: 'Kube_Ctl' },
      {
        field: 'name',
        value: 'Kube_Ctl',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'the group has no tags',
      { operator: OPERATOR, proxyGroup: { ...GROUP, tags: [] } },
      {
        field: 'proxyGroup.tags',
        value: [],
        allowed: 'at least one tag: the capability is granted to the tags of the devices the proxy runs on',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(() => resolveApiServerProxyProps(PATH, 'kubectl', props)))).toStrictEqual({
      path: PATH,
      ...expected,
    });
  });

  test('the message names the ProxyGroup type and what to do', () => {
    const error = failure(() =>
      resolveApiServerProxyProps(PATH, 'kubectl', {
        operator: OPERATOR,
        proxyGroup: { ...GROUP, proxyGroupType: 'egress' } as unknown as IKubeApiServerProxyGroup,
      }),
    );
    expect(error.message).toBe(
      'ApiServerProxy \'ops/kubectl\': `proxyGroup` must be a ProxyGroup of type "kube-apiserver", got ' +
        '"k8s-api of type \\"egress\\""; the API server proxy runs only on a `kube-apiserver` ProxyGroup; create one for it',
    );
  });
});

describe('checkApiServerProxyAccess', () => {
  test.each<[string, ApiServerProxyAccessOptions]>([
    ['groups', { groups: ['tailnet-readers'] }],
    ['groups bound to a built-in role', { groups: ['tailnet-readers'], clusterRole: 'view' }],
    ['groups bound to a role the program defines', { groups: ['ops'], clusterRole: { name: 'ops-role' } }],
    ['system:masters when allowed', { groups: ['system:masters'], allowSystemMasters: true }],
    ['a group with a colon', { groups: ['oidc:devs'] }],
    [
      'a recorder, enforced',
      { groups: ['ops'], recorder: { name: 'rec', tags: ['tag:rec'] }, enforceRecorder: true },
    ],
    [
      'API request events',
      { groups: ['ops'], recorder: { name: 'rec', tags: ['tag:rec'] }, enableEvents: true },
    ],
    [
      'a binding name for the one group bound',
      { groups: ['tailnet-readers'], clusterRole: 'view', clusterRoleBindingName: 'tailnet-readers-view' },
    ],
    [
      'a binding name beside system:masters, which is never bound',
      {
        groups: ['ops', 'system:masters'],
        allowSystemMasters: true,
        clusterRole: 'edit',
        clusterRoleBindingName: 'system:ops:edit',
      },
    ],
  ])('accepts %s in auth mode', (_name, options) => {
    expect(() => checkApiServerProxyAccess(PATH, 'auth', options)).not.toThrow();
  });

  test.each<[string, ApiServerProxyAccessOptions]>([
    ['nothing', {}],
    ['a recorder', { recorder: { name: 'rec', tags: ['tag:rec'] }, enforceRecorder: true }],
  ])('accepts %s in noauth mode', (_name, options) => {
    expect(() => checkApiServerProxyAccess(PATH, 'noauth', options)).not.toThrow();
  });

  test.each<[string, string, ApiServerProxyAccessOptions, object]>([
    [
      'the group list is empty',
      'group:ops',
      { groups: [] },
      { field: 'groups', value: [], allowed: 'at least one Kubernetes group to impersonate' },
    ],
    [
      'no group is named in auth mode',
      'group:ops',
      { clusterRole: 'view' },
      { field: 'groups', value: undefined, allowed: 'at least one Kubernetes group to impersonate' },
    ],
    [
      'system:masters is not explicitly allowed',
      'autogroup:admin',
      { groups: ['system:masters'] },
      {
        field: 'groups[0]',
        value: 'system:masters',
        allowed: 'a group other than "system:masters" unless `allowSystemMasters: true` is set',
      },
    ],
    [
      'a group is reserved by Kubernetes',
      'group:ops',
      { groups: ['ops', 'system:authenticated'] },
      {
        field: 'groups[1]',
        value: 'system:authenticated',
        allowed: 'a group outside the "system:" prefix Kubernetes reserves for its own identities',
      },
    ],
    [
      'a group is listed twice',
      'group:ops',
      { groups: ['ops', 'ops'] },
      { field: 'groups[1]', value: 'ops', allowed: 'listed once' },
    ],
    [
      'a group has outer spaces',
      'group:ops',
      { groups: [' ops'] },
      {
        field: 'groups[0]',
        value: ' ops',
        allowed: 'a Kubernetes group name: printable, without outer spaces',
      },
    ],
    [
      'the ClusterRole is not built in and not a reference',
      'group:ops',
      { groups: ['ops'], clusterRole: 'reader' as 'view' },
      {
        field: 'clusterRole',
        value: 'reader',
        allowed: 'one of "view", "edit", "admin", "cluster-admin", or a ClusterRole reference',
      },
    ],
    [
      'enforceRecorder comes without a recorder',
      'group:ops',
      { groups: ['ops'], enforceRecorder: true },
      { field: 'enforceRecorder', value: true, allowed: 'absent or false without a `recorder`' },
    ],
    [
      'enableEvents comes without a recorder',
      'group:ops',
      { groups: ['ops'], enableEvents: true },
      { field: 'enableEvents', value: true, allowed: 'absent or false without a `recorder`' },
    ],
    [
      'the binding name is not an RBAC name',
      'group:ops',
      { groups: ['ops'], clusterRole: 'view', clusterRoleBindingName: 'ops/view' },
      {
        field: 'clusterRoleBindingName',
        value: 'ops/view',
        allowed: 'an RBAC object name: not empty, "." or "..", and without "/" or "%"',
      },
    ],
    [
      'a binding name comes without a clusterRole',
      'group:ops',
      { groups: ['ops'], clusterRoleBindingName: 'ops-view' },
      {
        field: 'clusterRoleBindingName',
        value: 'ops-view',
        allowed: 'absent without `clusterRole`: no binding is created to name',
      },
    ],
    [
      'one binding name would name two bindings',
      'group:ops',
      { groups: ['ops', 'readers'], clusterRole: 'view', clusterRoleBindingName: 'ops-view' },
      {
        field: 'clusterRoleBindingName',
        value: 'ops-view',
        allowed: 'absent when `clusterRole` binds 2 groups: one name names one binding',
      },
    ],
    [
      'the recorder has no tags',
      'group:ops',
      { groups: ['ops'], recorder: { name: 'rec', tags: [] } },
      { field: 'recorder.tags', value: [], allowed: 'at least one tag' },
    ],
  ])('fails when %s', (_name, _principal, options, expected) => {
    expect(fields(failure(() => checkApiServerProxyAccess(PATH, 'auth', options)))).toStrictEqual({
      path: PATH,
      ...expected,
    });
  });

  test.each<[keyof ApiServerProxyAccessOptions, ApiServerProxyAccessOptions]>([
    ['groups', { groups: ['ops'] }],
    ['clusterRole', { clusterRole: 'view' }],
    ['clusterRoleBindingName', { clusterRoleBindingName: 'ops-view' }],
    ['allowSystemMasters', { allowSystemMasters: true }],
  ])('fails when noauth gets impersonation options (%s)', (field, options) => {
    const error = failure(() => checkApiServerProxyAccess(PATH, 'noauth', options));
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field,
      value: options[field],
      allowed: 'absent in `noauth` mode',
    });
    expect(error.message).toContain("the caller's own credentials apply");
  });

  test('the system:masters message says it bypasses RBAC', () => {
    const error = failure(() => checkApiServerProxyAccess(PATH, 'auth', { groups: ['system:masters'] }));
    expect(error.message).toContain('system:masters bypasses RBAC entirely');
  });
});
