import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  EgressService,
  ProxyGroup,
  ProxyGroupPolicy,
  TailscaleIngress,
  TailscaleOperator,
  Tailnet,
  type IProxyGroup,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { expectValidKubeObjects, validateKubeObject } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('ProxyGroupPolicy (cdk8s)', () => {
  test("allows a namespace the groups it lists, in the chart's namespace, adding nothing to the policy", () => {
    // GIVEN
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const platform = new Chart(app, 'platform');
    const ingress = new ProxyGroup(platform, 'shared-ingress', { type: 'ingress' });
    const egress = new ProxyGroup(platform, 'shared-egress', { type: 'egress' });
    const team = new Chart(app, 'team-a', { namespace: 'team-a' });

    // WHEN
    new ProxyGroupPolicy(team, 'proxy-groups', { ingress: [ingress], egress: [egress] });

    // THEN
    const objects = Testing.synth(team);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyGroupPolicy',
        metadata: { name: 'proxy-groups', namespace: 'team-a', labels: MANAGED },
        spec: { ingress: ['shared-ingress'], egress: ['shared-egress'] },
      },
    ]);
    expectValidKubeObjects(objects);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.autoApprovers).toBeUndefined();
    expect(document.grants ?? []).toStrictEqual([]);
    // At the pinned operator the namespace refuses every Service and Ingress without annotations.
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings?.[0]).toMatch(
      /^ProxyGroupPolicy 'team-a\/proxy-groups': up to operator v1\.102\.3, the API server refuses every Service and Ingress without annotations in namespace "team-a".*tailscale\/tailscale#20906/,
    );
  });

  test('a group the program does not own, by its attributes; a list left out renders empty', () => {
    const team = new Chart(Testing.app(), 'team-b');
    const shared = ProxyGroup.fromAttributes(team, 'shared', { name: 'shared-egress', type: 'egress' });
    new ProxyGroupPolicy(team, 'egress-only', { namespace: 'team-b', egress: [shared] });
    expect(Testing.synth(team).map((o) => o['spec'])).toStrictEqual([
      { ingress: [], egress: ['shared-egress'] },
    ]);
  });

  test('typed lists: an egress group cannot be allowed for ingress', () => {
    const chart = new Chart(Testing.app(), 'team', { namespace: 'team' });
    const egress = new ProxyGroup(chart, 'egress', { type: 'egress' });
    // @ts-expect-error the ingress list takes ingress groups only
    const props = { ingress: [egress] } satisfies ConstructorParameters<typeof ProxyGroupPolicy>[2];
    const error = validationError(() => new ProxyGroupPolicy(chart, 'policy', props as object));
    expect([error.field, error.value, error.allowed]).toStrictEqual([
      'ingress[0]',
      'egress',
      'a ProxyGroup of type "ingress"',
    ]);
  });

  test('fails when the chart has no namespace and the props name none', () => {
    const chart = new Chart(Testing.app(), 'cluster');
    const error = validationError(() => new ProxyGroupPolicy(chart, 'policy'));
    expect([error.path, error.field]).toStrictEqual(["ProxyGroupPolicy 'cluster/policy'", 'namespace']);
    expect(chart.node.tryFindChild('policy')).toBeUndefined();
  });

  test('a reference of the right type is all it needs', () => {
    const chart = new Chart(Testing.app(), 'team', { namespace: 'team' });
    const reference: IProxyGroup<'ingress'> = {
      name: 'web',
      proxyGroupType: 'ingress',
      tags: ['tag:k8s'],
      replicas: 2,
    };
    const policy = new ProxyGroupPolicy(chart, 'policy', { ingress: [reference] });
    expect(policy.props.ingress).toStrictEqual([reference]);
  });

  test('property: random lists either fail validation or give a ProxyGroupPolicy the CRD accepts', () => {
    const name = fc.oneof(
      { arbitrary: fc.constantFrom('web', 'db', 'shared-egress'), weight: 4 },
      { arbitrary: fc.constantFrom('Bad', 'x_y', ''), weight: 1 },
    );
    const group = fc.record({
      name,
      proxyGroupType: fc.constantFrom('ingress', 'egress', 'kube-apiserver'),
      tags: fc.constant(['tag:k8s']),
      replicas: fc.constant(2),
    });
    const arbitrary = fc.record(
      {
        namespace: fc.constantFrom('team-a', 'Team A', 'ns'),
        ingress: fc.array(group, { maxLength: 3 }),
        egress: fc.array(group, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    let valid = 0;
    fc.assert(
      fc.property(arbitrary, (props) => {
        const chart = new Chart(Testing.app(), 'team');
        try {
          new ProxyGroupPolicy(chart, 'policy', props as object);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        valid++;
        const [object] = Testing.synth(chart);
        expect(validateKubeObject(object!)).toStrictEqual([]);
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(valid).toBeGreaterThan(10);
  });

  describe('the Services and Ingresses of its namespace', () => {
    /** A program with shared groups in `platform` and a team namespace governed by `policy`. */
    function program() {
      const app = Testing.app();
      new Tailnet(app, 'Tailnet', {
        allowAll: 'deny',
        basePolicy: '{"tagOwners": {"tag:db": ["autogroup:admin"]}}',
      });
      new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
      const platform = new Chart(app, 'platform');
      const groups = {
        web: new ProxyGroup(platform, 'web', { type: 'ingress' }),
        internal: new ProxyGroup(platform, 'internal', { type: 'ingress' }),
        egress: new ProxyGroup(platform, 'egress', { type: 'egress' }),
      };
      const team = new Chart(app, 'team', { namespace: 'team' });
      return { app, groups, team };
    }
    const ingressOn = (scope: Chart, group: IProxyGroup<'ingress'>) =>
      new TailscaleIngress(scope, 'dash', {
        hostname: `${scope.namespace}-dash`,
        defaultBackend: { serviceName: 'dash', port: 80 },
        proxyGroup: group,
      });
    const egressOn = (scope: Chart, group: IProxyGroup<'egress'>) =>
      new EgressService(scope, 'db', {
        tailnetIp: '100.100.12.7',
        policyTarget: 'tag:db',
        ports: [{ port: 5432 }],
        proxyGroup: group,
      });

    test('an Ingress on a group the policies do not list fails at synth, naming the policies', () => {
      const { app, groups, team } = program();
      new ProxyGroupPolicy(team, 'web-only', { ingress: [groups.web] });
      ingressOn(team, groups.internal);
      const error = validationError(() => Tailnet.of(app).synth());
      expect([error.path, error.field, error.value, error.allowed]).toStrictEqual([
        "TailscaleIngress 'team/dash'",
        'proxyGroup',
        'internal',
        'an ingress ProxyGroup the ProxyGroupPolicies of namespace "team" list: web',
      ]);
      expect(error.message).toBe(
        'TailscaleIngress \'team/dash\': `proxyGroup` must be an ingress ProxyGroup the ProxyGroupPolicies of namespace "team" list: web, got "internal"; ProxyGroupPolicy \'team/web-only\' governs namespace "team", so the API server would refuse this Ingress; add "internal" to a policy\'s `ingress` list',
      );
    });

    test('policies in one namespace add up; another namespace is not governed', () => {
      const { app, groups, team } = program();
      new ProxyGroupPolicy(team, 'web-only', { ingress: [groups.web] });
      new ProxyGroupPolicy(team, 'internal-too', { ingress: [groups.internal] });
      ingressOn(team, groups.internal);
      ingressOn(new Chart(app, 'other', { namespace: 'other' }), groups.web);
      expect(() => Tailnet.of(app).synth()).not.toThrow();
    });

    test('an egress Service is checked against the egress list, which an ingress-only policy leaves empty', () => {
      const { app, groups, team } = program();
      new ProxyGroupPolicy(team, 'web-only', { ingress: [groups.web] });
      egressOn(team, groups.egress);
      const error = validationError(() => Tailnet.of(app).synth());
      expect([error.path, error.value, error.allowed]).toStrictEqual([
        "EgressService 'team/db'",
        'egress',
        'no egress ProxyGroup: the ProxyGroupPolicies of namespace "team" list none',
      ]);
    });

    test('a listed egress group passes', () => {
      const { app, groups, team } = program();
      new ProxyGroupPolicy(team, 'egress', { egress: [groups.egress] });
      egressOn(team, groups.egress);
      expect(() => Tailnet.of(app).synth()).not.toThrow();
    });
  });
});
