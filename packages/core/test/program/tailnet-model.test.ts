import {
  GENERATED_HEADER,
  OAUTH_SCOPES,
  OperatorCredentials,
  TailnetModel,
  type ValidationError,
  operatorRequirements,
  resolveTailscaleOperatorProps,
  type TailnetRequirements,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';

const TAILNET = "Tailnet 'app/tailnet'";
const OPERATOR = "TailscaleOperator 'app/operator'";
const INGRESS = "TailscaleIngress 'app/web'";
const CONNECTOR = "Connector 'app/office'";

const operator: TailnetRequirements = operatorRequirements(
  OPERATOR,
  resolveTailscaleOperatorProps(
    OPERATOR,
    {},
    {
      defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
      createsOAuthClient: false,
      createsFederatedIdentity: false,
    },
  ),
);
const ingress: TailnetRequirements = {
  source: INGRESS,
  proxyTags: ['tag:web'],
  claims: [{ kind: 'hostname', field: 'hostname', hostname: 'web' }],
  grants: [{ src: ['alice@example.com'], dst: ['tag:web'], ip: ['tcp:443'] }],
  intendedAccess: [
    { src: 'alice@example.com', dst: 'tag:web', port: 443, expect: 'allow' },
    { src: 'bob@example.com', dst: 'tag:web', port: 443, expect: 'deny' },
  ],
};
const connector: TailnetRequirements = {
  source: CONNECTOR,
  proxyTags: ['tag:k8s'],
  claims: [{ kind: 'hostname', field: 'hostname', hostname: 'office' }],
  autoApprovers: { routes: { '10.0.0.0/8': ['tag:k8s'] }, exitNode: ['tag:k8s'] },
  oauthScopes: ['services'],
};

function model(requirements: readonly TailnetRequirements[], basePolicy?: string): TailnetModel {
  const tailnet = new TailnetModel(TAILNET, basePolicy === undefined ? {} : { allowAll: 'deny', basePolicy });
  for (const req of requirements) tailnet.register(req);
  return tailnet;
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('TailnetModel', () => {
  test('renders one policy for the whole program', () => {
    // WHEN
    const synthesis = model([operator, ingress, connector]).seal();

    // THEN
    expect(synthesis.text).toBe(
      GENERATED_HEADER +
        lines(
          '{',
          '\t"tagOwners": {',
          "\t\t// tailkube: Connector 'app/office', TailscaleOperator 'app/operator'",
          '\t\t"tag:k8s": ["tag:k8s-operator"],',
          "\t\t// tailkube: TailscaleOperator 'app/operator'",
          '\t\t"tag:k8s-operator": [],',
          "\t\t// tailkube: TailscaleIngress 'app/web'",
          '\t\t"tag:web": ["tag:k8s-operator"],',
          '\t},',
          '\t"grants": [',
          "\t\t// tailkube: TailscaleIngress 'app/web'",
          '\t\t{',
          '\t\t\t"src": ["alice@example.com"],',
          '\t\t\t"dst": ["tag:web"],',
          '\t\t\t"ip": ["tcp:443"],',
          '\t\t},',
          '\t],',
          '\t"autoApprovers": {',
          "\t\t// tailkube: Connector 'app/office'",
          '\t\t"exitNode": ["tag:k8s"],',
          '\t\t"routes": {',
          "\t\t\t// tailkube: Connector 'app/office'",
          '\t\t\t"10.0.0.0/8": ["tag:k8s"],',
          '\t\t},',
          '\t},',
          '}',
        ),
    );
    expect(synthesis.added).toStrictEqual({
      tagOwners: 3,
      grants: 1,
      autoApprovers: 1,
      'autoApprovers.routes': 1,
    });
  });

  test('reports what the tailnet must provide', () => {
    expect(model([operator, ingress, connector]).seal().report).toStrictEqual({
      operator: {
        scopes: ['auth_keys', 'devices:core', 'services'],
        tags: ['tag:k8s-operator'],
        credentials: { kind: 'existing-secret', secretName: 'operator-oauth' },
        namespace: 'tailscale',
      },
      tagOwners: {
        'tag:k8s': ['tag:k8s-operator'],
        'tag:k8s-operator': [],
        'tag:web': ['tag:k8s-operator'],
      },
      hostnames: ['office', 'tailscale-operator', 'web'],
      intendedAccess: [
        { src: 'alice@example.com', dst: 'tag:web', port: 443, expect: 'allow' },
        { src: 'bob@example.com', dst: 'tag:web', port: 443, expect: 'deny' },
      ],
      policyEntriesAdded: { tagOwners: 3, grants: 1, autoApprovers: 1, 'autoApprovers.routes': 1 },
      // The Connector registers no grant: nobody may use it, which the report says.
      warnings: [
        "Connector 'app/office': no one is granted access (no `allow()` call), so it reaches no one unless the base policy grants it by hand; call `allow()` with who may use it",
      ],
    });
  });

  describe('OAuth scopes', () => {
    test('are auth_keys and devices:core when nothing needs more', () => {
      expect(model([operator, ingress]).seal().report.operator?.scopes).toStrictEqual([
        'auth_keys',
        'devices:core',
      ]);
    });

    test('add services only when a requirement asks, least first', () => {
      const services: TailnetRequirements = {
        source: "ProxyGroup 'app/pg'",
        oauthScopes: ['services', 'auth_keys'],
      };
      expect(model([services, operator]).seal().report.operator?.scopes).toStrictEqual([
        'auth_keys',
        'devices:core',
        'services',
      ]);
    });

    test('are listed least first', () => {
      expect(OAUTH_SCOPES).toStrictEqual(['auth_keys', 'devices:core', 'services:read', 'services']);
    });
  });

  test('reports no operator client without an operator', () => {
    const report = model([], '{"tagOwners": {"tag:web": ["autogroup:admin"]}}').seal().report;
    expect(report).toStrictEqual({
      tagOwners: {},
      hostnames: [],
      intendedAccess: [],
      policyEntriesAdded: {},
    });
  });

  test('does not make an operator tag own itself', () => {
    const self: TailnetRequirements = { source: "Recorder 'app/rec'", proxyTags: ['tag:k8s-operator'] };
    const synthesis = model([operator, self]).seal();
    expect(synthesis.document.tagOwners).toStrictEqual({
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
    });
  });

  test('states workload identity credentials for the federated identity', () => {
    const wif = operatorRequirements(
      OPERATOR,
      resolveTailscaleOperatorProps(
        OPERATOR,
        {
          namespace: 'ts',
          credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://issuer.example.com' }),
        },
        {
          defaultCredentials: OperatorCredentials.oauthClient(),
          createsOAuthClient: true,
          createsFederatedIdentity: true,
        },
      ),
    );
    expect(model([wif]).seal().report.operator).toStrictEqual({
      scopes: ['auth_keys', 'devices:core'],
      tags: ['tag:k8s-operator'],
      credentials: {
        kind: 'workload-identity',
        issuer: 'https://issuer.example.com',
        subject: 'system:serviceaccount:ts:operator',
      },
      namespace: 'ts',
    });
  });

  describe('determinism', () => {
    const permutations = [
      [operator, ingress, connector],
      [operator, connector, ingress],
      [ingress, operator, connector],
      [ingress, connector, operator],
      [connector, operator, ingress],
      [connector, ingress, operator],
    ];

    test.each(permutations.map((order) => [order.map((r) => r.source).join(' < '), order]))(
      'registration order does not change the output: %s',
      (_name, order) => {
        const expected = model(permutations[0] as TailnetRequirements[]).seal();
        const actual = model(order as TailnetRequirements[]).seal();
        expect(actual.text).toBe(expected.text);
        expect(JSON.stringify(actual.report)).toBe(JSON.stringify(expected.report));
      },
    );

    test('rendering twice is byte-identical', () => {
      const base = '// mine\n{\n  "groups": {"group:admins": ["alice@example.com"]},\n}\n';
      expect(model([operator, ingress, connector], base).seal().text).toBe(
        model([operator, ingress, connector], base).seal().text,
      );
    });

    test('seal returns the same synthesis every time', () => {
      const tailnet = model([operator]);
      expect(tailnet.sealed).toBe(false);
      const first = tailnet.seal();
      expect(tailnet.sealed).toBe(true);
      expect(tailnet.seal()).toBe(first);
    });
  });

  describe('with a base policy', () => {
    test('keeps the base and adds what the program needs', () => {
      const base = lines(
        '// Our policy.',
        '{',
        '  "groups": {"group:admins": ["alice@example.com"]},',
        '  // Our own tags.',
        '  "tagOwners": {"tag:ci": ["group:admins"]},',
        '}',
      );
      expect(model([operator], base).seal().text).toBe(
        lines(
          '// Our policy.',
          '{',
          '  "groups": {"group:admins": ["alice@example.com"]},',
          '  // Our own tags.',
          '  "tagOwners": {"tag:ci": ["group:admins"],',
          "    // tailkube: TailscaleOperator 'app/operator'",
          '    "tag:k8s": ["tag:k8s-operator"],',
          "    // tailkube: TailscaleOperator 'app/operator'",
          '    "tag:k8s-operator": [],',
          '  },',
          '}',
        ),
      );
    });

    test('fails when the base owns a generated tag differently, naming the construct', () => {
      const error = failure(() =>
        model([operator, ingress], '{"tagOwners": {"tag:web": ["autogroup:admin"]}}').seal(),
      );
      expect(fields(error)).toStrictEqual({
        path: INGRESS,
        field: 'tagOwners["tag:web"]',
        value: ['autogroup:admin'],
        allowed: 'a list that includes ["tag:k8s-operator"]',
      });
      expect(error.message).toContain('; the base policy defines it differently');
    });

    test('fails when the base is not valid HuJSON, before any construct registers', () => {
      const error = failure(
        () => new TailnetModel(TAILNET, { allowAll: 'deny', basePolicy: '{"tagOwners": {' }),
      );
      expect(fields(error)).toStrictEqual({
        path: TAILNET,
        field: 'basePolicy',
        value: 'CloseBraceExpected at line 1, column 16',
        allowed: 'a HuJSON policy document (JSON with comments and trailing commas)',
      });
    });

    test('fails when the base is not an object', () => {
      const error = failure(() => model([operator], '[]').seal());
      expect(fields(error)).toStrictEqual({
        path: TAILNET,
        field: 'basePolicy',
        value: 'array',
        allowed: 'a HuJSON object such as {"grants": []}',
      });
    });
  });

  describe('a base policy that allows all traffic (neither acls nor grants)', () => {
    const ALLOW_ALL_BASE = '{"tagOwners": {"tag:web": []}}';
    const sealed = (allowAll?: 'keep' | 'deny') => {
      const tailnet = new TailnetModel(TAILNET, {
        basePolicy: ALLOW_ALL_BASE,
        ...(allowAll !== undefined && { allowAll }),
      });
      tailnet.register(ingress);
      return tailnet.seal();
    };

    test('fails until the program chooses, naming the choice', () => {
      const error = failure(() => sealed());
      expect(error.path).toBe(TAILNET);
      expect(error.message).toContain('allowAll');
    });

    test("'keep' writes the allow-all out and reports the deny it cannot enforce", () => {
      const { document, report } = sealed('keep');
      expect(document.grants).toContainEqual({ src: ['*'], dst: ['*'], ip: ['*'] });
      expect(report.warnings).toStrictEqual([
        `${INGRESS}: access it withholds is not enforced, because the base policy allows all traffic and \`allowAll: 'keep'\` keeps it so; set \`allowAll: 'deny'\` on the Tailnet to switch the tailnet to deny-by-default`,
      ]);
    });

    test("'deny' adds the rules alone, and the deny is checked", () => {
      const { document, report } = sealed('deny');
      expect(document.grants).toStrictEqual(ingress.grants);
      expect(report.warnings).toBeUndefined();
    });
  });

  describe('whole-program checks', () => {
    test('fails when a construct registers after the policy was rendered, naming it', () => {
      // GIVEN
      const tailnet = model([operator]);
      tailnet.seal();

      // WHEN
      const error = failure(() => tailnet.register(ingress));

      // THEN
      expect(fields(error)).toStrictEqual({
        path: INGRESS,
        field: 'tailnet',
        value: 'created after the tailnet policy was rendered',
        allowed: "created before Tailnet 'app/tailnet' renders its policy",
      });
      expect(error.message).toBe(
        "TailscaleIngress 'app/web': `tailnet` must be created before Tailnet 'app/tailnet' renders its policy, got \"created after the tailnet policy was rendered\"; create every construct inside the program, before it returns (or before `tailnet.seal()`)",
      );
    });

    test('fails when the program declares two operators', () => {
      const second = {
        ...operator,
        source: "TailscaleOperator 'app/second'",
        claims: [{ kind: 'hostname' as const, field: 'hostname', hostname: 'second' }],
      };
      const error = failure(() => model([second, operator]).seal());
      expect(fields(error)).toStrictEqual({
        path: "TailscaleOperator 'app/second'",
        field: 'tailnet',
        value: "a second operator beside TailscaleOperator 'app/operator'",
        allowed: 'one TailscaleOperator per tailnet program',
      });
    });

    test.each([
      ['in one order', false],
      ['in the other order', true],
    ])('fails when two constructs ask for the same hostname, naming both (registered %s)', (_n, reverse) => {
      const other: TailnetRequirements = {
        source: "TailscaleService 'app/api'",
        claims: [{ kind: 'hostname', field: 'hostname', hostname: 'web' }],
      };
      const order = [operator, ingress, other];
      const error = failure(() => model(reverse ? order.reverse() : order).seal());
      // Constructs are checked in path order, so the later path is the one reported.
      expect(fields(error)).toStrictEqual({
        path: "TailscaleService 'app/api'",
        field: 'hostname',
        value: 'web',
        allowed: 'a hostname no other construct in the program uses',
      });
      expect(error.message).toBe(
        'TailscaleService \'app/api\': `hostname` must be a hostname no other construct in the program uses, got "web"; TailscaleIngress \'app/web\' uses it too; the second device would join as "web-1"',
      );
    });

    test('fails when a proxy tag has no operator to own it and the base does not own it', () => {
      const error = failure(() => model([ingress]).seal());
      expect(fields(error)).toStrictEqual({
        path: INGRESS,
        field: 'tags',
        value: 'tag:web',
        allowed: 'a tag someone owns',
      });
      expect(error.message).toBe(
        'TailscaleIngress \'app/web\': `tags` must be a tag someone owns, got "tag:web"; add a TailscaleOperator to the program (it owns the tags its proxies use), or own the tag in the base policy',
      );
    });

    test('accepts a proxy tag without an operator when the base owns it, adding no owner', () => {
      const base = '{"tagOwners": {"tag:web": ["autogroup:admin"]}}';
      const synthesis = model([ingress], base).seal();
      expect(synthesis.document.tagOwners).toStrictEqual({ 'tag:web': ['autogroup:admin'] });
      expect(synthesis.added).toStrictEqual({ grants: 1 });
    });
  });

  describe('checks the rendered policy as the control plane would', () => {
    test('fails when a derived grant names a group the policy does not declare, naming the construct', () => {
      // GIVEN
      const family: TailnetRequirements = {
        source: CONNECTOR,
        grants: [{ src: ['group:family'], dst: ['10.0.0.0/8'], ip: ['*'] }],
      };

      // WHEN
      const error = failure(() => model([family]).seal());

      // THEN
      expect(fields(error)).toStrictEqual({
        path: CONNECTOR,
        field: 'policy.grants[0].src[0]',
        value: 'src=group not found: "group:family"',
        allowed: 'a policy the Tailscale control plane accepts',
      });
    });

    test('names five of the constructs a refused grant is derived from, and counts the rest', () => {
      const grant = { src: ['group:family'], dst: ['10.0.0.0/8'], ip: ['*'] };
      const routers: TailnetRequirements[] = Array.from({ length: 8 }, (_, i) => ({
        source: `Connector 'router-${i}'`,
        grants: [grant],
      }));
      const error = failure(() => model(routers).seal());
      expect(error.path).toBe(
        "Connector 'router-0', Connector 'router-1', Connector 'router-2', Connector 'router-3', Connector 'router-4' and 3 more",
      );
    });

    test('accepts the same grant once the base policy declares the group', () => {
      const family: TailnetRequirements = {
        source: CONNECTOR,
        grants: [{ src: ['group:family'], dst: ['10.0.0.0/8'], ip: ['*'] }],
      };
      const base = '{"groups": {"group:family": ["kid@example.com"]}}';
      expect(model([family], base).seal().document.grants).toHaveLength(1);
    });

    test('fails when the base policy itself is refused, naming the tailnet', () => {
      const error = failure(() => model([], '{"tagOwners": {"tag:ci": ["group:nobody"]}}').seal());
      expect(error.path).toBe(TAILNET);
      expect(error.field).toBe('policy.tagOwners.tag:ci[0]');
    });
  });

  describe('verifies intended access offline', () => {
    test('fails when access a construct means to give does not hold', () => {
      // GIVEN: the intent says alice reaches tag:web, but no grant gives it
      const promise: TailnetRequirements = {
        source: INGRESS,
        intendedAccess: [{ src: 'alice@example.com', dst: 'tag:web', port: 443, expect: 'allow' }],
      };

      // WHEN
      const error = failure(() =>
        model([operator, promise], '{"tagOwners": {"tag:web": []}, "grants": []}').seal(),
      );

      // THEN
      expect(error.path).toBe(INGRESS);
      expect(error.field).toBe('intendedAccess[0]');
      expect(error.allowed).toBe('access the rendered policy gives');
    });

    test('checks an intent over its protocol: a TCP grant does not give UDP', () => {
      const dns: TailnetRequirements = {
        source: INGRESS,
        proxyTags: ['tag:web'],
        grants: [{ src: ['alice@example.com'], dst: ['tag:web'], ip: ['tcp:53'] }],
        intendedAccess: [
          { src: 'alice@example.com', dst: 'tag:web', port: 53, expect: 'allow' },
          { src: 'alice@example.com', dst: 'tag:web', port: 53, proto: 'udp', expect: 'allow' },
        ],
      };
      const error = failure(() => model([operator, dns]).seal());
      expect([error.field, error.message]).toStrictEqual([
        'intendedAccess[1]',
        expect.stringContaining('on udp:53'),
      ]);
      const both = { ...dns, grants: [{ ...dns.grants![0]!, ip: ['tcp:53', 'udp:53'] }] };
      expect(() => model([operator, both]).seal()).not.toThrow();
    });

    test('checks access for devices meeting the postures a base policy requires', () => {
      // GIVEN: every grant needs a stable client, which the derived devices cannot show
      const base = `{
        "postures": { "posture:stable": ["node:tsReleaseTrack == 'stable'"] },
        "defaultSrcPosture": ["posture:stable"],
      }`;

      // THEN: alice (in good standing) reaches the ingress, bob still does not
      expect(() => model([operator, ingress], base).seal()).not.toThrow();
      const leaky = { ...ingress, grants: [{ src: ['*'], dst: ['tag:web'], ip: ['tcp:443'] }] };
      expect(failure(() => model([operator, leaky], base).seal()).field).toBe('intendedAccess[1]');
    });

    test('fails when access a construct means to withhold is given', () => {
      const leaky: TailnetRequirements = {
        ...ingress,
        grants: [{ src: ['*'], dst: ['tag:web'], ip: ['tcp:443'] }],
      };
      const error = failure(() => model([operator, leaky]).seal());
      expect(error.field).toBe('intendedAccess[1]');
      expect(error.allowed).toBe('access the rendered policy withholds');
    });

    test('passes when the policy gives exactly what was meant', () => {
      expect(() => model([operator, ingress]).seal()).not.toThrow();
    });

    describe('Tailscale Services', () => {
      // An Ingress on a ProxyGroup: served as svc:web by the group's tag:pg devices.
      const onProxyGroup = (grantDst: string): TailnetRequirements => ({
        source: INGRESS,
        proxyTags: ['tag:pg'],
        grants: [{ src: ['alice@example.com'], dst: [grantDst], ip: ['tcp:443'] }],
        autoApprovers: { services: { 'svc:web': ['tag:pg'] } },
        intendedAccess: [
          { src: 'alice@example.com', dst: 'svc:web', port: 443, expect: 'allow' },
          { src: 'bob@example.com', dst: 'svc:web', port: 443, expect: 'deny' },
        ],
      });

      test('passes when the grant names the service', () => {
        expect(() => model([operator, onProxyGroup('svc:web')]).seal()).not.toThrow();
      });

      test('fails when the grant names the hosts instead of the service, explaining why', () => {
        const error = failure(() => model([operator, onProxyGroup('tag:pg')]).seal());
        expect(fields(error)).toEqual({
          path: INGRESS,
          field: 'intendedAccess[0]',
          value: { src: 'alice@example.com', dst: 'svc:web', port: 443, expect: 'allow' },
          allowed: 'access the rendered policy gives',
        });
        expect(error.message).toContain(
          'no rule lets alice-device (alice@example.com) reach svc:web (svc:web) on tcp:443; svc:web is hosted by pg',
        );
      });
    });

    describe('capabilities', () => {
      const KUBERNETES = 'tailscale.com/cap/kubernetes';
      const readers = { impersonate: { groups: ['tailnet-readers'] } };
      const proxy = (app: Record<string, unknown[]>, capabilityValue?: unknown): TailnetRequirements => ({
        source: INGRESS,
        proxyTags: ['tag:web'],
        grants: [{ src: ['alice@example.com'], dst: ['tag:web'], ip: ['tcp:443'], app }],
        intendedAccess: [
          {
            src: 'alice@example.com',
            dst: 'tag:web',
            port: 443,
            expect: 'allow',
            capability: KUBERNETES,
            ...(capabilityValue !== undefined && { capabilityValue }),
          },
        ],
      });

      test('passes when the capability holds the value meant', () => {
        expect(() => model([operator, proxy({ [KUBERNETES]: [readers] }, readers)]).seal()).not.toThrow();
      });

      test('fails when no rule gives the capability, naming it', () => {
        const error = failure(() => model([operator, proxy({ 'example.com/cap/other': [{}] })]).seal());
        expect(error.field).toBe('intendedAccess[0]');
        expect(error.message).toContain(
          `no rule gives alice@example.com the capability ${KUBERNETES} at tag:web`,
        );
      });

      test('fails when the capability holds other values', () => {
        const admins = { impersonate: { groups: ['system:masters'] } };
        const error = failure(() => model([operator, proxy({ [KUBERNETES]: [admins] }, readers)]).seal());
        expect(error.message).toContain(
          `${KUBERNETES} at tag:web holds [{"impersonate":{"groups":["system:masters"]}}], not {"impersonate":{"groups":["tailnet-readers"]}}`,
        );
      });
    });
  });

  describe('policy tests (opt-in)', () => {
    const mixed: TailnetRequirements = {
      ...ingress,
      grants: [
        { src: ['alice@example.com'], dst: ['tag:web'], ip: ['tcp:443'] },
        { src: ['alice@example.com'], dst: ['svc:web'], ip: ['tcp:443'] },
      ],
      autoApprovers: { services: { 'svc:web': ['tag:web'] } },
      intendedAccess: [
        ...(ingress.intendedAccess ?? []),
        { src: 'alice@example.com', dst: 'svc:web', port: 443, expect: 'allow' },
        { src: 'autogroup:member', dst: 'tag:web', port: 22, expect: 'deny' },
      ],
    };

    test('writes no tests by default', () => {
      const synthesis = model([operator, mixed]).seal();
      expect(synthesis.document.tests).toBeUndefined();
      expect(synthesis.report.policyTests).toBeUndefined();
    });

    test('writes the intents the control plane can test, and counts the others', () => {
      // GIVEN a construct whose intents include a service and an autogroup
      const tailnet = new TailnetModel(TAILNET, { policyTests: true });
      for (const req of [operator, mixed]) tailnet.register(req);

      // WHEN
      const synthesis = tailnet.seal();

      // THEN one test per source, in accepted shapes only
      expect(synthesis.document.tests).toEqual([
        { src: 'alice@example.com', accept: ['tag:web:443'] },
        { src: 'bob@example.com', deny: ['tag:web:443'] },
      ]);
      expect(synthesis.report.policyTests).toEqual({
        written: 2,
        skipped: [
          {
            source: INGRESS,
            intent: { src: 'alice@example.com', dst: 'svc:web', port: 443, expect: 'allow' },
            reason: 'policy tests cannot target a Tailscale Service (svc:)',
          },
          {
            source: INGRESS,
            intent: { src: 'autogroup:member', dst: 'tag:web', port: 22, expect: 'deny' },
            reason: 'a test\'s src must be a user, group, tag or host, not "autogroup:member"',
          },
        ],
      });
      expect(synthesis.text).toContain('"tests": [');
    });

    test("keeps the base policy's own tests and adds its own after them", () => {
      const base = '{"tagOwners": {"tag:ci": []}, "tests": [{"src": "tag:ci", "deny": ["tag:ci:22"]}]}';
      const tailnet = new TailnetModel(TAILNET, { allowAll: 'deny', basePolicy: base, policyTests: true });
      for (const req of [operator, ingress]) tailnet.register(req);
      expect(tailnet.seal().document.tests).toEqual([
        { src: 'tag:ci', deny: ['tag:ci:22'] },
        { src: 'alice@example.com', accept: ['tag:web:443'] },
        { src: 'bob@example.com', deny: ['tag:web:443'] },
      ]);
    });

    test('fails when a derived test would fail on the write, naming the construct', () => {
      // GIVEN bob may not reach tag:web, but a group holding bob and alice does: the intent
      // "group:pair is denied" holds for bob, while a deny test fails when any member gets through
      const pair: TailnetRequirements = {
        ...ingress,
        intendedAccess: [{ src: 'group:pair', dst: 'tag:web', port: 443, expect: 'deny' }],
      };
      const base = '{"groups": {"group:pair": ["alice@example.com", "bob@example.com"]}}';
      const tailnet = new TailnetModel(TAILNET, { allowAll: 'deny', basePolicy: base, policyTests: true });
      for (const req of [operator, pair]) tailnet.register(req);

      // WHEN / THEN
      const error = failure(() => tailnet.seal());
      expect(fields(error)).toEqual({
        path: INGRESS,
        field: 'policyTests',
        value: { src: 'group:pair', deny: ['tag:web:443'] },
        allowed: 'policy tests the control plane would pass',
      });
      expect(error.message).toContain('test(s) failed: group:pair can reach tag:web:443');
    });
  });

  describe('cluster-scoped objects', () => {
    const claiming = (
      source: string,
      kind: string,
      name: string,
      onePerCluster?: boolean,
    ): TailnetRequirements => ({
      source,
      claims: [
        {
          kind: 'cluster-object',
          field: 'name',
          objectKind: kind,
          name,
          ...(onePerCluster && { onePerCluster }),
        },
      ],
    });

    test('fails when two constructs create one ProxyClass name, naming both', () => {
      const error = failure(() =>
        model([
          operator,
          claiming("ProxyClass 'app/prod'", 'ProxyClass', 'prod'),
          claiming("ProxyClass 'other/prod'", 'ProxyClass', 'prod'),
        ]).seal(),
      );
      expect(fields(error)).toStrictEqual({
        path: "ProxyClass 'other/prod'",
        field: 'name',
        value: 'prod',
        allowed: 'a ProxyClass name no other construct in the program uses',
      });
      expect(error.message).toContain('ProxyClass \'app/prod\' creates ProxyClass "prod" too');
    });

    test('allows one name for objects of different kinds', () => {
      const tailnet = model([
        operator,
        claiming("ProxyClass 'app/prod'", 'ProxyClass', 'prod'),
        claiming("ProxyGroup 'app/prod'", 'ProxyGroup', 'prod'),
      ]);
      expect(() => tailnet.seal()).not.toThrow();
    });

    test('fails on a second object of a kind the cluster holds once, whatever its name', () => {
      const error = failure(() =>
        model([
          operator,
          claiming("DNSConfig 'app/a'", 'DNSConfig', 'a', true),
          claiming("DNSConfig 'app/b'", 'DNSConfig', 'b', true),
        ]).seal(),
      );
      expect(fields(error)).toStrictEqual({
        path: "DNSConfig 'app/b'",
        field: 'name',
        value: 'b',
        allowed: 'one DNSConfig per cluster',
      });
      expect(error.message).toContain("DNSConfig 'app/a' is the cluster's DNSConfig already");
    });
  });
});
