import { DEFAULT_OPERATOR_SECRET, OPERATOR_CREDENTIAL_KINDS, OperatorCredentials } from '../../src/internal';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// The runtime list and the union stay equal (STYLE.md "Enums & choices"); tsc fails otherwise.
export type KindsMatch = Expect<
  Equal<(typeof OPERATOR_CREDENTIAL_KINDS)[number], OperatorCredentials['kind']>
>;

test('lists the three ways to give the operator credentials', () => {
  expect(OPERATOR_CREDENTIAL_KINDS).toStrictEqual(['existing-secret', 'oauth-client', 'workload-identity']);
});

test('the chart’s default Secret is operator-oauth', () => {
  expect(DEFAULT_OPERATOR_SECRET).toBe('operator-oauth');
});

test.each<[string, OperatorCredentials, OperatorCredentials]>([
  ['fromSecret', OperatorCredentials.fromSecret('s'), { kind: 'existing-secret', secretName: 's' }],
  ['oauthClient', OperatorCredentials.oauthClient(), { kind: 'oauth-client' }],
  [
    'workloadIdentity',
    OperatorCredentials.workloadIdentity({ issuer: 'https://i', clientId: 'c', audience: 'a' }),
    { kind: 'workload-identity', issuer: 'https://i', clientId: 'c', audience: 'a' },
  ],
  [
    'workloadIdentity without optional fields',
    OperatorCredentials.workloadIdentity({ issuer: 'https://i' }),
    { kind: 'workload-identity', issuer: 'https://i' },
  ],
])('%s builds plain data', (_name, built, expected) => {
  expect(built).toStrictEqual(expected);
});
