import {
  keyedRecord,
  DEFAULT_PROXY_TAGS,
  OperatorCredentials,
  TailnetModel,
  UNGRANTED_STAND_IN,
  exposureAllowance,
  type AllowOptions,
  exposureDestination,
  exposureRequirements,
  operatorRequirements,
  resolveTailscaleOperatorProps,
  tailscaleServiceName,
  type ExposureTarget,
  type IProxyGroup,
  type TailnetRequirements,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';

/** One `allow` call on `target`: the grant it adds and what it registers. */
function exposureAccess(target: ExposureTarget, principals: unknown, options?: AllowOptions) {
  const { allowance, requirements } = exposureAllowance(target, principals, options);
  return {
    grant: allowance.grants[0]!,
    requirements: { ...requirements, intendedAccess: requirements.intendedAccess ?? [] },
  };
}

const SOURCE = "TailscaleService 'app/web'";
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:ingress'],
  replicas: 2,
};
const STANDALONE: ExposureTarget = {
  source: SOURCE,
  hostname: 'web',
  tags: ['tag:web', 'tag:k8s'],
  ports: [{ port: 443 }, { port: 80, protocol: 'TCP' }],
  object: { kind: 'Service', namespace: 'app' },
};
const ON_GROUP: ExposureTarget = { ...STANDALONE, tags: ['tag:web'], proxyGroup: GROUP };
/** What the ProxyGroup construct registers for itself: its devices' tags. */
const GROUP_REQUIREMENTS: TailnetRequirements = {
  source: "ProxyGroup 'app/ingress'",
  proxyTags: ['tag:ingress'],
};

function operator(): TailnetRequirements {
  const path = "TailscaleOperator 'app/operator'";
  return operatorRequirements(
    path,
    resolveTailscaleOperatorProps(
      path,
      {},
      {
        defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
        createsOAuthClient: false,
        createsFederatedIdentity: false,
      },
    ),
  );
}

/** A tailnet with the operator and `requirements`, sealed. */
function seal(...requirements: TailnetRequirements[]) {
  const model = new TailnetModel("Tailnet 'app/tailnet'");
  model.register(operator());
  for (const req of requirements) model.register(req);
  return model.seal();
}

describe('exposureRequirements', () => {
  test('standalone: its tags owned by the operator, its device hostname, no approvals or scopes', () => {
    expect(exposureRequirements(STANDALONE)).toStrictEqual({
      source: SOURCE,
      proxyTags: ['tag:k8s', 'tag:web'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'web' }],
    });
  });

  test('on a ProxyGroup: svc:<hostname> approved for the group tags, the services scope, the group named', () => {
    expect(exposureRequirements(ON_GROUP)).toStrictEqual({
      source: SOURCE,
      proxyTags: ['tag:web'],
      claims: [
        { kind: 'hostname', field: 'hostname', hostname: 'web' },
        {
          kind: 'proxy-group-use',
          field: 'proxyGroup',
          objectKind: 'Service',
          namespace: 'app',
          proxyGroup: 'ingress',
          list: 'ingress',
        },
      ],
      autoApprovers: { services: keyedRecord([['svc:web', ['tag:ingress']]]) },
      oauthScopes: ['services'],
    });
  });

  test('the default proxy tags are the operator default', () => {
    expect(DEFAULT_PROXY_TAGS).toStrictEqual(['tag:k8s']);
    expect(tailscaleServiceName('web')).toBe('svc:web');
  });

  test('the tailnet renders the approval and asks for the services scope', () => {
    // GIVEN a service on an ingress ProxyGroup
    const synthesis = seal(GROUP_REQUIREMENTS, exposureRequirements(ON_GROUP));
    // THEN
    expect(synthesis.document.autoApprovers).toStrictEqual({ services: { 'svc:web': ['tag:ingress'] } });
    expect(synthesis.report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
    expect(synthesis.document.tagOwners?.['tag:web']).toStrictEqual(['tag:k8s-operator']);
  });

  test('fails when two exposed things ask for one hostname', () => {
    const error = failure(() =>
      seal(exposureRequirements(ON_GROUP), exposureRequirements({ ...STANDALONE, source: "X 'app/other'" })),
    );
    expect(error.field).toBe('hostname');
    expect(error.value).toBe('web');
  });
});

describe('exposureDestination', () => {
  test.each([
    ['standalone: its tags, sorted', STANDALONE, ['tag:k8s', 'tag:web']],
    ['ProxyGroup: its Tailscale Service', ON_GROUP, ['svc:web']],
  ])('%s', (_, target, dst) => {
    expect(exposureDestination(target)).toStrictEqual(dst);
  });
});

describe('exposureAccess', () => {
  test('standalone: one grant to exactly its tags on its ports; each allowed, members denied once', () => {
    const access = exposureAccess(STANDALONE, ['group:eng']);
    expect(access.grant).toStrictEqual({
      src: ['group:eng'],
      dst: ['tag:k8s', 'tag:web'],
      ip: ['tcp:443', 'tcp:80'],
    });
    expect(access.requirements.intendedAccess).toStrictEqual([
      { src: 'group:eng', dst: 'tag:k8s', port: 80, expect: 'allow' },
      { src: 'group:eng', dst: 'tag:k8s', port: 443, expect: 'allow' },
      { src: 'group:eng', dst: 'tag:web', port: 80, expect: 'allow' },
      { src: 'group:eng', dst: 'tag:web', port: 443, expect: 'allow' },
      { src: 'autogroup:member', dst: 'tag:k8s', port: 80, expect: 'deny' },
    ]);
  });

  test('ProxyGroup: the grant names svc:<hostname>, never the group devices', () => {
    const access = exposureAccess(ON_GROUP, ['alice@example.com'], { ports: [443] });
    expect(access.grant).toStrictEqual({ src: ['alice@example.com'], dst: ['svc:web'], ip: ['tcp:443'] });
    expect(access.requirements.intendedAccess).toStrictEqual([
      { src: 'alice@example.com', dst: 'svc:web', port: 443, expect: 'allow' },
      { src: 'autogroup:member', dst: 'svc:web', port: 443, expect: 'deny' },
    ]);
  });

  test.each([
    ['`*` written by the user: no one is denied', ['*'], undefined],
    ['members allowed: an ungranted tag is denied', ['autogroup:member'], UNGRANTED_STAND_IN],
    ['members and a tag allowed: other tags are denied', ['autogroup:member', 'tag:ci'], UNGRANTED_STAND_IN],
    [
      'members and every tagged device allowed: no one is left',
      ['autogroup:member', 'autogroup:tagged'],
      undefined,
    ],
    ['a user allowed: members are denied', ['alice@example.com'], 'autogroup:member'],
  ])('%s', (_, principals, denied) => {
    const target: ExposureTarget = { ...STANDALONE, tags: ['tag:web'], ports: [{ port: 80 }] };
    const deny = exposureAccess(target, principals).requirements.intendedAccess.filter(
      (i) => i.expect === 'deny',
    );
    expect(deny.map((i) => i.src)).toStrictEqual(denied === undefined ? [] : [denied]);
  });

  test('UDP ports are granted and checked over UDP; SCTP is granted only', () => {
    const target: ExposureTarget = {
      ...STANDALONE,
      tags: ['tag:dns'],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
        { port: 3868, protocol: 'SCTP' },
      ],
    };
    const access = exposureAccess(target, ['group:eng']);
    expect(access.grant.ip).toStrictEqual(['sctp:3868', 'tcp:53', 'udp:53']);
    expect(access.requirements.intendedAccess).toStrictEqual([
      { src: 'group:eng', dst: 'tag:dns', port: 53, expect: 'allow' },
      { src: 'group:eng', dst: 'tag:dns', port: 53, proto: 'udp', expect: 'allow' },
      { src: 'autogroup:member', dst: 'tag:dns', port: 53, expect: 'deny' },
    ]);
  });

  test.each([
    ['no principals', [], {}, 'principals', 'a non-empty array of principals'],
    ['one principal outside an array', 'group:a', {}, 'principals', 'a non-empty array of principals'],
    ['a principal is not one', ['eng'], {}, 'principals[0]', 'a policy principal such as'],
    ['a principal is listed twice', ['group:a', 'group:a'], {}, 'principals[1]', 'listed once'],
    [
      'a port is not exposed',
      ['group:a'],
      { ports: [8080] },
      'ports[0]',
      'one of the exposed ports [80,443]',
    ],
    ['the ports are empty', ['group:a'], { ports: [] }, 'ports', 'a non-empty array of ports'],
    ['a port is out of range', ['group:a'], { ports: ['tcp:70000'] }, 'ports[0]', 'a port (1-65535)'],
  ])('fails when %s', (_, principals, options, field, allowed) => {
    const error = failure(() => exposureAccess(STANDALONE, principals, options));
    expect(error.path).toBe(SOURCE);
    expect(error.field).toBe(field);
    expect(error.allowed).toContain(allowed);
  });

  test('fails with a message naming the construct, field, value and hint', () => {
    expect(() => exposureAccess(STANDALONE, ['eng'])).toThrow(
      'TailscaleService \'app/web\': `principals[0]` must be a policy principal such as "group:family", "alice@example.com", "tag:ci" or "autogroup:member", got "eng"; did you mean "group:eng"?',
    );
  });

  test('the policy renders the grant and the intended access holds (standalone)', () => {
    // GIVEN a standalone service allowed to one user
    const access = exposureAccess(STANDALONE, ['alice@example.com'], { ports: [443] });
    // WHEN the tailnet renders its policy
    const synthesis = seal(exposureRequirements(STANDALONE), access.requirements);
    // THEN the grant is there and the offline check passed
    expect(synthesis.document.grants).toStrictEqual([access.grant]);
    expect(synthesis.report.intendedAccess).toStrictEqual(access.requirements.intendedAccess);
  });

  test('the offline check fails when the base policy lets every member in', () => {
    const base = `{
      "groups": { "group:eng": ["alice@example.com"] },
      "grants": [{ "src": ["autogroup:member"], "dst": ["tag:web"], "ip": ["*"] }],
    }`;
    const model = new TailnetModel("Tailnet 'app/tailnet'", { allowAll: 'deny', basePolicy: base });
    model.register(operator());
    const target: ExposureTarget = { ...STANDALONE, tags: ['tag:web'] };
    model.register(exposureRequirements(target));
    model.register(exposureAccess(target, ['group:eng']).requirements);
    const error = failure(() => model.seal());
    expect(error.path).toBe(SOURCE);
    expect(error.field).toMatch(/^intendedAccess\[\d+\]$/);
  });
});

describe('exposureAccess on a ProxyGroup, verified offline', () => {
  // Needs the policy engine to resolve `svc:` destinations (being added in the engine).
  test('the svc: grant is rendered and its intended access holds', () => {
    const access = exposureAccess(ON_GROUP, ['alice@example.com']);
    const synthesis = seal(GROUP_REQUIREMENTS, exposureRequirements(ON_GROUP), access.requirements);
    expect(synthesis.document.grants).toStrictEqual([access.grant]);
  });
});
