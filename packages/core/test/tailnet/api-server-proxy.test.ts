import {
  ApiServerProxyAccess,
  OperatorCredentials,
  TailnetModel,
  ValidationError,
  bindingName,
  canConnect,
  capabilitiesAt,
  deriveTopology,
  kubeconfigCommand,
  operatorRequirements,
  recorderRequirements,
  resolveApiServerProxyProps,
  resolveRecorderProps,
  resolveTailscaleOperatorProps,
  type ApiServerProxyProps,
  type IKubeApiServerProxyGroup,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';

const PATH = "ApiServerProxy 'kubectl'";
const OPERATOR = { tags: ['tag:k8s-operator'], hostname: 'tailscale-operator' } as const;
const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const CAP = 'tailscale.com/cap/kubernetes';
const GROUP: IKubeApiServerProxyGroup = {
  name: 'k8s-api',
  proxyGroupType: 'kube-apiserver',
  tags: ['tag:k8s-api'],
  replicas: 2,
  kubeAPIServer: { mode: 'auth', hostname: 'k8s-api' },
};
const RECORDER = { name: 'recorder', tags: ['tag:k8s-recorder'] };
const BASE = `{
  "groups": { "group:sre": ["alice@example.com"] },
  "tagOwners": { "tag:k8s-operator": [] },
}`;

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

function access(props: Omit<ApiServerProxyProps, 'operator'> = {}): ApiServerProxyAccess {
  return new ApiServerProxyAccess(
    PATH,
    resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR, ...props }),
  );
}

/** A tailnet with the operator and the proxy's requirements. */
function model(basePolicy = BASE): TailnetModel {
  const tailnet = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny', basePolicy });
  const operator = resolveTailscaleOperatorProps(
    "TailscaleOperator 'operator'",
    {},
    {
      defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
      createsOAuthClient: false,
      createsFederatedIdentity: false,
    },
  );
  tailnet.register(operatorRequirements("TailscaleOperator 'operator'", operator));
  return tailnet;
}

describe('ApiServerProxyAccess.grant', () => {
  test('in-process: one capability grant to the operator tags on tcp:443, and a binding per group', () => {
    // GIVEN
    const proxy = access();

    // WHEN
    const { grant, requirements, newBindings } = proxy.grant(['group:sre'], {
      groups: ['tailnet-readers'],
      clusterRole: 'view',
    });

    // THEN
    const capability = { impersonate: { groups: ['tailnet-readers'] } };
    expect(grant.grants).toStrictEqual([
      { src: ['group:sre'], dst: ['tag:k8s-operator'], ip: ['tcp:443'], app: { [CAP]: [capability] } },
    ]);
    expect(grant.capability).toStrictEqual(capability);
    expect(newBindings).toStrictEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kubectl-tailnet-readers-view', labels: MANAGED },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tailnet-readers' }],
      },
    ]);
    expect(requirements).toStrictEqual({
      source: PATH,
      grants: grant.grants,
      intendedAccess: [
        {
          src: 'group:sre',
          dst: 'tag:k8s-operator',
          port: 443,
          expect: 'allow',
          capability: CAP,
          capabilityValue: capability,
        },
        { src: 'autogroup:member', dst: 'tag:k8s-operator', port: 443, expect: 'deny' },
      ],
      claims: [
        {
          kind: 'cluster-object',
          field: 'groups',
          objectKind: 'ClusterRoleBinding',
          name: 'kubectl-tailnet-readers-view',
        },
      ],
    });
  });

  test('system:masters is impersonated but never bound', () => {
    const { grant, newBindings } = access().grant(['autogroup:admin'], {
      groups: ['system:masters'],
      allowSystemMasters: true,
      clusterRole: 'cluster-admin',
    });
    expect(grant.capability).toStrictEqual({ impersonate: { groups: ['system:masters'] } });
    expect(newBindings).toStrictEqual([]);
  });

  test('no clusterRole: no binding', () => {
    expect(access().grant(['group:sre'], { groups: ['ops'] }).newBindings).toStrictEqual([]);
  });

  test('a binding two grants need is created once, and listed for both', () => {
    const proxy = access();
    const first = proxy.grant(['group:sre'], { groups: ['readers'], clusterRole: 'view' });
    const second = proxy.grant(['alice@example.com'], { groups: ['readers'], clusterRole: 'view' });
    expect(first.newBindings.map((b) => b.metadata.name)).toStrictEqual(['kubectl-readers-view']);
    expect(second.newBindings).toStrictEqual([]);
    expect(second.grant.clusterRoleBindings).toStrictEqual(first.newBindings);
    expect(second.requirements.claims).toBeUndefined();
  });

  test('a binding named by the user, reused by a later grant of the same group and role', () => {
    const proxy = access();
    const options = { groups: ['tailnet-readers'], clusterRole: 'view' } as const;
    const first = proxy.grant(['group:sre'], { ...options, clusterRoleBindingName: 'tailnet-readers-view' });
    expect(first.newBindings).toStrictEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'tailnet-readers-view', labels: MANAGED },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tailnet-readers' }],
      },
    ]);
    expect(first.requirements.claims).toStrictEqual([
      {
        kind: 'cluster-object',
        field: 'clusterRoleBindingName',
        objectKind: 'ClusterRoleBinding',
        name: 'tailnet-readers-view',
      },
    ]);
    const second = proxy.grant(['alice@example.com'], options);
    expect(second.newBindings).toStrictEqual([]);
    expect(second.grant.clusterRoleBindings).toStrictEqual(first.newBindings);
  });

  test('fails when a binding name is taken by another group, or a bound group gets a second name', () => {
    const proxy = access();
    proxy.grant(['group:sre'], {
      groups: ['readers'],
      clusterRole: 'view',
      clusterRoleBindingName: 'team-view',
    });
    expect(
      fields(
        failure(() =>
          proxy.grant(['group:sre'], {
            groups: ['ops'],
            clusterRole: 'view',
            clusterRoleBindingName: 'team-view',
          }),
        ),
      ),
    ).toStrictEqual({
      path: PATH,
      field: 'clusterRoleBindingName',
      value: 'team-view',
      allowed: 'a name no other binding holds: "team-view" binds group "readers" to "view"',
    });
    expect(
      fields(
        failure(() =>
          proxy.grant(['group:sre'], {
            groups: ['readers'],
            clusterRole: 'view',
            clusterRoleBindingName: 'readers',
          }),
        ),
      ),
    ).toStrictEqual({
      path: PATH,
      field: 'clusterRoleBindingName',
      value: 'readers',
      allowed: '"team-view" (the binding of group "readers" to "view" an earlier grant created) or absent',
    });
  });

  test('fails when two proxies name one binding, when the tailnet renders', () => {
    const tailnet = model();
    const options = {
      groups: ['readers'],
      clusterRole: 'view',
      clusterRoleBindingName: 'readers-view',
    } as const;
    tailnet.register(access().grant(['group:sre'], options).requirements);
    const other = "ApiServerProxy 'other'";
    const second = new ApiServerProxyAccess(
      other,
      resolveApiServerProxyProps(other, 'other', { operator: OPERATOR }),
    );
    tailnet.register(second.grant(['group:sre'], { ...options, groups: ['ops'] }).requirements);
    const error = failure(() => tailnet.seal());
    expect(fields(error)).toStrictEqual({
      path: other,
      field: 'clusterRoleBindingName',
      value: 'readers-view',
      allowed: 'a ClusterRoleBinding name no other construct in the program uses',
    });
  });

  test('API request events: enableEvents in the capability beside the recorder', () => {
    const { grant } = access().grant(['group:sre'], {
      groups: ['ops'],
      recorder: RECORDER,
      enableEvents: true,
    });
    expect(grant.capability).toStrictEqual({
      enableEvents: true,
      impersonate: { groups: ['ops'] },
      recorder: ['tag:k8s-recorder'],
    });
    expect(grant.grants[0]!.app).toStrictEqual({ [CAP]: [grant.capability] });
  });

  test('groups are sorted in the capability and the bindings', () => {
    const { grant } = access().grant(['group:sre'], { groups: ['b', 'a'], clusterRole: { name: 'ops' } });
    expect(grant.capability).toStrictEqual({ impersonate: { groups: ['a', 'b'] } });
    expect(grant.clusterRoleBindings.map((b) => b.metadata.name)).toStrictEqual([
      'kubectl-a-ops',
      'kubectl-b-ops',
    ]);
  });

  test('on a ProxyGroup: the capability to the group tags, never to svc:, plus the network grant to svc:', () => {
    const { grant, requirements } = access({ proxyGroup: GROUP }).grant(['group:sre'], { groups: ['ops'] });
    expect(grant.grants).toStrictEqual([
      {
        src: ['group:sre'],
        dst: ['tag:k8s-api'],
        ip: ['tcp:443'],
        app: { [CAP]: [{ impersonate: { groups: ['ops'] } }] },
      },
      { src: ['group:sre'], dst: ['svc:k8s-api'], ip: ['tcp:443'] },
    ]);
    expect(requirements.intendedAccess?.map((i) => `${i.src} → ${i.dst}:${i.port}`)).toStrictEqual([
      'group:sre → tag:k8s-api:443',
      'group:sre → svc:k8s-api:443',
      'autogroup:member → tag:k8s-api:443',
    ]);
  });

  test('a recorder: its first tag and enforceRecorder in the capability, and the proxies reach it on tcp:80', () => {
    const { grant, requirements } = access({ proxyGroup: GROUP }).grant(['group:sre'], {
      groups: ['ops'],
      recorder: { name: 'rec', tags: ['tag:k8s-recorder', 'tag:audit'] },
      enforceRecorder: true,
    });
    expect(grant.capability).toStrictEqual({
      enforceRecorder: true,
      impersonate: { groups: ['ops'] },
      recorder: ['tag:k8s-recorder'],
    });
    expect(grant.grants[2]).toStrictEqual({
      src: ['tag:k8s-api'],
      dst: ['tag:k8s-recorder'],
      ip: ['tcp:80'],
    });
    expect(requirements.intendedAccess).toContainEqual({
      src: 'tag:k8s-api',
      dst: 'tag:k8s-recorder',
      port: 80,
      expect: 'allow',
    });
  });

  test('noauth: a network grant only, the caller brings its own credentials', () => {
    const { grant } = access({ mode: 'noauth' }).grant(['group:sre']);
    expect(grant.grants).toStrictEqual([{ src: ['group:sre'], dst: ['tag:k8s-operator'], ip: ['tcp:443'] }]);
    expect(grant.capability).toBeUndefined();
  });

  test('a role autogroup is checked like any principal, and a member in no role is kept out', () => {
    const { requirements } = access().grant(['autogroup:admin'], {
      groups: ['system:masters'],
      allowSystemMasters: true,
    });
    expect(requirements.intendedAccess?.map((i) => `${i.src} ${i.expect}`)).toStrictEqual([
      'autogroup:admin allow',
      'autogroup:member deny',
    ]);
  });
});

describe('the intended access, checked against the rendered policy', () => {
  test('the principal gets the groups at the operator; a device without a grant is denied', () => {
    // GIVEN
    const proxy = access();
    const tailnet = model();

    // WHEN
    tailnet.register(proxy.grant(['group:sre'], { groups: ['ops'], clusterRole: 'edit' }).requirements);
    const { document, report } = tailnet.seal();

    // THEN
    const topology = deriveTopology(document, ['group:sre', 'tag:tailkube-ungranted']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ impersonate: { groups: ['ops'] } }],
    });
    expect(
      canConnect(document, topology, { from: 'tag:tailkube-ungranted', to: 'tag:k8s-operator', port: 443 })
        .allowed,
    ).toBe(false);
    expect(report.intendedAccess).toContainEqual({
      src: 'autogroup:member',
      dst: 'tag:k8s-operator',
      port: 443,
      expect: 'deny',
    });
  });

  test('no grant, no deny check: a policy without rules allows everything', () => {
    expect(model().seal().report.intendedAccess).toStrictEqual([]);
  });

  test('a grant to every device lifts the deny check, whenever it is made', () => {
    const proxy = access();
    const tailnet = model();
    tailnet.register(proxy.grant(['group:sre'], { groups: ['ops'] }).requirements);
    tailnet.register(proxy.grant(['*'], { groups: ['viewers'] }).requirements);
    expect(tailnet.seal().report.intendedAccess.filter((i) => i.expect === 'deny')).toStrictEqual([]);
  });

  test('fails when the base policy opens the proxy to every device', () => {
    const proxy = access();
    const tailnet = model('{ "grants": [{ "src": ["*"], "dst": ["*"], "ip": ["*"] }] }');
    tailnet.register(proxy.grant(['alice@example.com'], { groups: ['ops'] }).requirements);
    let error: unknown;
    try {
      tailnet.seal();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe(PATH);
    // The stand-in for everyone else, checked after the principal's own access.
    expect((error as ValidationError).field).toBe('intendedAccess[1]');
  });

  test('the recorder is reached by the proxies on 80', () => {
    const proxy = access();
    const tailnet = model();
    const recorder = resolveRecorderProps("Recorder 'recorder'", 'recorder', { enableUI: true });
    tailnet.register(recorderRequirements("Recorder 'recorder'", recorder));
    tailnet.register(proxy.grant(['group:sre'], { groups: ['ops'], recorder: RECORDER }).requirements);
    const { document } = tailnet.seal();
    const topology = deriveTopology(document);
    expect(
      canConnect(document, topology, { from: 'tag:k8s-operator', to: 'tag:k8s-recorder', port: 80 }).allowed,
    ).toBe(true);
    expect(document.tagOwners?.['tag:k8s-recorder']).toStrictEqual(['tag:k8s-operator']);
  });
});

describe('names', () => {
  test('the kubeconfig command names the hostname clients reach', () => {
    const resolve = (props: Omit<ApiServerProxyProps, 'operator'>) =>
      kubeconfigCommand(resolveApiServerProxyProps(PATH, 'kubectl', { operator: OPERATOR, ...props }));
    expect(resolve({})).toBe('tailscale configure kubeconfig tailscale-operator');
    expect(resolve({ proxyGroup: GROUP })).toBe('tailscale configure kubeconfig k8s-api');
  });

  test.each([
    ['kubectl', 'readers', 'view', 'kubectl-readers-view'],
    ['kubectl', 'oidc:Devs', 'view', 'kubectl-oidc-devs-view-'],
    ['kubectl', 'a b', 'edit', 'kubectl-a-b-edit-'],
  ])('binding name of %s/%s/%s', (proxy, group, role, expected) => {
    const name = bindingName(proxy, group, role);
    expect(name.startsWith(expected)).toBe(true);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  });

  test('groups that differ only in characters a name cannot hold get different binding names', () => {
    expect(bindingName('kubectl', 'oidc:devs', 'view')).not.toBe(bindingName('kubectl', 'oidc/devs', 'view'));
  });
});
