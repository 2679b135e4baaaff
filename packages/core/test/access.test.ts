import fc from 'fast-check';
import { validatePolicy, type PolicyDocument } from '@tailkube/policy';
import {
  SOURCE_AUTOGROUPS,
  UNGRANTED_STAND_IN,
  TailnetModel,
  ValidationError,
  checkPrincipal,
  checkedPorts,
  connectorAllowance,
  coversStandIn,
  deniedStandIn,
  exposureAllowance,
  readPorts,
  readPrincipals,
  resolveConnectorProps,
  type ExposureTarget,
} from '../src/internal';

// One home for principal and port syntax: what a verb accepts at the call is what the policy check
// accepts, by construction (the verbs parse with the engine's own parser), and these tests hold
// the two paths against each other.

const SOURCE = "Connector 'home/router'";

/** Whether the control plane (as the engine models it) accepts `spec` in a grant's `ip`. */
function policyAcceptsPort(spec: string): boolean {
  const verdict = validatePolicy({ grants: [{ src: ['*'], dst: ['*'], ip: [spec] }] });
  return verdict.ok;
}

/** Whether the control plane accepts `principal` as a grant's source, everything it names declared. */
function policyAcceptsPrincipal(principal: string): boolean {
  const document: PolicyDocument = {
    groups: { 'group:eng': ['alice@example.com'] },
    tagOwners: { 'tag:ci': [] },
    grants: [{ src: [principal], dst: ['*'], ip: ['*'] }],
  };
  return validatePolicy(document).ok;
}

function verbAccepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

describe('ports: the verb and the policy check agree', () => {
  test.each([
    '*',
    '443',
    'tcp:443',
    'udp:53',
    'tcp:8000-8100',
    'tcp:*',
    'icmp',
    'sctp:9',
    'tcp:70000',
    '70000',
    'tcp:0-70000',
    'https',
    'tcp:',
    'tcp:443-80',
    'bogus:1',
    'tcp:22,80',
  ])('%j', (spec) => {
    expect(verbAccepts(() => readPorts(SOURCE, [spec]))).toBe(policyAcceptsPort(spec));
  });

  test('on any string, the verb accepts exactly what the policy check accepts', () => {
    const spec = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.constantFrom('tcp', 'udp', 'icmp', 'sctp', '6', '17', '*', 'x'),
          fc.nat(70000),
          fc.nat(70000),
        )
        .map(([proto, a, b]) => `${proto}:${a}-${b}`),
      fc.nat(70000).map(String),
    );
    fc.assert(
      fc.property(spec, (text) => {
        expect(verbAccepts(() => readPorts(SOURCE, [text]))).toBe(policyAcceptsPort(text));
      }),
      { numRuns: 500 },
    );
  });

  test('fails at the call, naming the construct, the field and the value', () => {
    expect(() =>
      connectorAllowance(
        SOURCE,
        resolveConnectorProps(SOURCE, 'router', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } }),
        ['group:family'],
        { ports: ['tcp:70000'] },
      ),
    ).toThrow(/^Connector 'home\/router': `ports\[0\]` must be a port \(1-65535\) or a grant protocol/);
  });

  test('a JavaScript caller passing a number where an array belongs gets a ValidationError', () => {
    expect(() => readPorts(SOURCE, 443)).toThrow(ValidationError);
  });

  test('the checked ports: each spec once, TCP first, 443 for every port, ICMP not checked', () => {
    expect(checkedPorts(readPorts(SOURCE, ['udp:53', 'tcp:*', 'icmp:*', '22']))).toStrictEqual([
      { port: 22 },
      { port: 443 },
      { port: 53, proto: 'udp' },
    ]);
  });
});

describe('principals: the verb and the policy check agree', () => {
  test.each([
    '*',
    'alice@example.com',
    'group:eng',
    'tag:ci',
    ...SOURCE_AUTOGROUPS,
    'autogroup:self',
    'autogroup:internet',
    'autogroup:nonexistent',
    'eng',
    'tag:',
    'group:',
  ])('%j', (principal) => {
    expect(checkPrincipal(principal, 'principals[0]') === undefined).toBe(policyAcceptsPrincipal(principal));
  });

  test('the legacy autogroup:members is read in a base policy, but a verb asks for the current spelling', () => {
    expect(policyAcceptsPrincipal('autogroup:members')).toBe(true);
    expect(checkPrincipal('autogroup:members', 'principals[0]')?.hint).toBe(
      'did you mean "autogroup:member"?',
    );
  });

  test('a single string, an empty array or a non-string item fails at the call', () => {
    for (const bad of ['group:eng', [], [42], [null], undefined]) {
      expect(verbAccepts(() => readPrincipals(SOURCE, bad))).toBe(false);
    }
  });

  test('a reference carries its selectors', () => {
    expect(readPrincipals(SOURCE, [{ principalSelectors: ['tag:b', 'tag:a'] }, 'group:eng'])).toStrictEqual([
      'group:eng',
      'tag:a',
      'tag:b',
    ]);
  });

  test('a reference is taken only on the tailnet the grant is written for', () => {
    const staging = { principalSelectors: ['tag:relay'], tailnetName: 'staging' };
    const main = { principalSelectors: ['tag:router'] };
    expect(readPrincipals(SOURCE, [staging], 'principals', 'staging')).toStrictEqual(['tag:relay']);
    expect(readPrincipals(SOURCE, [main, 'group:eng'])).toStrictEqual(['group:eng', 'tag:router']);
    // Selectors as strings are the grant's own tailnet's: only references carry a tailnet.
    expect(readPrincipals(SOURCE, ['tag:relay'], 'principals', 'staging')).toStrictEqual(['tag:relay']);
    expect(verbAccepts(() => readPrincipals(SOURCE, [staging]))).toBe(false);
    expect(verbAccepts(() => readPrincipals(SOURCE, [main], 'principals', 'staging'))).toBe(false);
    expect(verbAccepts(() => readPrincipals(SOURCE, [staging], 'principals', 'lab'))).toBe(false);
  });
});

describe('the stand-in for "anyone else"', () => {
  test.each<[readonly string[], string | undefined]>([
    [['group:eng'], 'autogroup:member'],
    [['autogroup:admin'], 'autogroup:member'],
    [['autogroup:member'], UNGRANTED_STAND_IN],
    [['autogroup:member', 'tag:ci'], UNGRANTED_STAND_IN],
    [['autogroup:member', 'autogroup:tagged'], undefined],
    [['*'], undefined],
    [['autogroup:danger-all'], undefined],
  ])('for %j is %j', (principals, standIn) => {
    expect(deniedStandIn(principals)).toBe(standIn);
  });

  test('a later grant to the stand-in, or to everyone, covers it', () => {
    expect(coversStandIn('autogroup:member', 'autogroup:member')).toBe(true);
    expect(coversStandIn('autogroup:tagged', UNGRANTED_STAND_IN)).toBe(true);
    expect(coversStandIn('*', 'autogroup:member')).toBe(true);
    expect(coversStandIn('group:eng', 'autogroup:member')).toBe(false);
  });
});

describe('role autogroups are checked offline the same way on every construct', () => {
  const OPERATOR_OWNS = '{"tagOwners": {"tag:k8s": []}}';
  const target: ExposureTarget = {
    source: "TailscaleIngress 'web/dashboard'",
    hostname: 'dashboard',
    tags: ['tag:k8s'],
    ports: [{ port: 443 }],
    object: { kind: 'Ingress', namespace: 'web' },
  };

  test.each(['autogroup:admin', 'autogroup:owner', 'autogroup:it-admin', 'autogroup:auditor'])(
    '%s on an exposure and on a Connector',
    (role) => {
      const model = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny', basePolicy: OPERATOR_OWNS });
      model.register(exposureAllowance(target, [role]).requirements);
      const router = resolveConnectorProps(SOURCE, 'router', {
        subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] },
      });
      model.register(connectorAllowance(SOURCE, router, [role]).requirements);
      const { report } = model.seal();
      const checked = report.intendedAccess.filter((intent) => intent.src === role);
      expect(checked.map((intent) => intent.dst).sort()).toStrictEqual(['10.0.0.1', 'tag:k8s']);
    },
  );
});
