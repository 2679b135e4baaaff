import fc from 'fast-check';
import {
  ApiServerProxyAccess,
  isValidationError,
  resolveApiServerProxyProps,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyMode,
} from '../../src/internal';
import { expectValidKubeObjects } from '../../../../test/helpers/schemas';

const PATH = "ApiServerProxy 'kubectl'";
const CAP = 'tailscale.com/cap/kubernetes';

const principal = fc.oneof(
  fc.constantFrom('group:sre', 'alice@example.com', 'tag:ci', 'autogroup:member', 'autogroup:admin', '*'),
  fc.string({ maxLength: 12 }),
);
const group = fc.oneof(
  fc.constantFrom(
    'tailnet-readers',
    'ops',
    'oidc:devs',
    'system:masters',
    'system:nodes',
    'Team A',
    ' x',
    '',
  ),
  fc.string({ minLength: 1, maxLength: 10 }),
);
const options: fc.Arbitrary<ApiServerProxyAccessOptions> = fc.record(
  {
    groups: fc.array(group, { maxLength: 4 }),
    clusterRole: fc.oneof(
      fc.constantFrom('view', 'edit', 'admin', 'cluster-admin'),
      fc.record({ name: fc.constantFrom('ops-role', 'Bad_Role') }),
    ) as fc.Arbitrary<NonNullable<ApiServerProxyAccessOptions['clusterRole']>>,
    allowSystemMasters: fc.boolean(),
    recorder: fc.record({ name: fc.constant('rec'), tags: fc.constantFrom(['tag:rec'], [], ['rec']) }),
    enforceRecorder: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('grantAccess over random principals and groups', () => {
  test('throws a ValidationError, or gives a capability and bindings that agree', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ApiServerProxyMode>('auth', 'noauth'),
        fc.boolean(),
        principal,
        options,
        (mode, ha, who, opts) => {
          const props = resolveApiServerProxyProps(PATH, 'kubectl', {
            operator: { tags: ['tag:k8s-operator'], hostname: 'tailscale-operator' },
            ...(ha
              ? {
                  proxyGroup: {
                    name: 'api',
                    proxyGroupType: 'kube-apiserver',
                    tags: ['tag:k8s-api'],
                    replicas: 2,
                    kubeAPIServer: { mode, hostname: 'api' },
                  },
                }
              : { mode }),
          });
          let result;
          try {
            result = new ApiServerProxyAccess(PATH, props).grant([who], opts);
          } catch (error) {
            expect(isValidationError(error)).toBe(true);
            return;
          }
          const { grant } = result;
          const groups = grant.capability?.impersonate?.groups ?? [];
          // The capability impersonates exactly the groups asked for, sorted.
          expect(groups).toStrictEqual([...(opts.groups ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
          // It goes to node tags only, never to a Tailscale Service.
          const capabilityGrants = grant.grants.filter((g) => g.app?.[CAP]);
          for (const g of capabilityGrants) expect(g.dst.every((d) => d.startsWith('tag:'))).toBe(true);
          // One binding per impersonated group except system:masters, when a role is given.
          const bound = grant.clusterRoleBindings.map((b) => b.subjects[0]!.name);
          const expected = opts.clusterRole === undefined ? [] : groups.filter((g) => g !== 'system:masters');
          expect(bound).toStrictEqual(expected);
          if (grant.clusterRoleBindings.length > 0) expectValidKubeObjects(grant.clusterRoleBindings);
          if (groups.includes('system:masters')) expect(opts.allowSystemMasters).toBe(true);
          if (mode === 'noauth') expect(groups).toStrictEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
