import '@tailkube/testing/jest';
import { isValidationError, type ValidationError } from '@tailkube/core';
import { FunnelIngress } from '@tailkube/cdk8s';
import { TestTailnet } from '@tailkube/testing';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { apiServerProgram, homeProgram, WebService } from './helpers/programs';

/** The message of the assertion `fn` makes, which must fail. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(false);
    return (error as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

/** The ValidationError bad input to a matcher throws. */
function matcherError(fn: () => void): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

const KUBERNETES_CAP = 'tailscale.com/cap/kubernetes';

describe('toAllow and toDeny', () => {
  test('resolve principals the policy names and constructs of the program', () => {
    // GIVEN
    const { app, office } = homeProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN: the family may use the Connector's route, but not reach the Connector's device itself
    expect(result).toAllow('group:family', '10.20.0.10', 443);
    expect(result).toAllow('alice@example.com', '10.20.255.1', 22, 'udp');
    expect(result).toDeny('group:family', office, 443);
    expect(result).toDeny('group:eng', '10.20.0.10', 443);
    expect(result).not.toAllow('autogroup:member', '10.20.0.10', 443);
    expect(result).not.toDeny('group:eng', 'tag:k8s', 443);
  });

  test('a construct is reached at its devices, and may be the principal', () => {
    // GIVEN
    const { app, operator, office } = homeProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN
    expect(result).toAllow('group:sre', operator, 443);
    expect(result).toDeny('group:sre', operator, 22);
    expect(result).toDeny(office, operator, 443);
  });

  test('toAllow explains a denial with the first device pair no rule admits and the grant that would allow it', () => {
    // GIVEN
    const { app, office } = homeProgram();
    const result = synthCdk8s(app);

    // WHEN
    const message = failure(() => expect(result).toAllow('group:family', office, 443));

    // THEN
    expect(message).toBe(
      "expected group:family to reach Connector 'platform/office' on tcp:443, but it cannot: no rule lets " +
        "alice-device (group:family) reach office-connector (Connector 'platform/office') on tcp:443\n" +
        'a grant such as {"src":["group:family"],"dst":["tag:office"],"ip":["tcp:443"]} would allow it',
    );
  });

  test('toDeny names the rule that allowed what should have been denied', () => {
    // GIVEN
    const result = synthCdk8s(homeProgram().app);

    // WHEN
    const message = failure(() => expect(result).toDeny('group:eng', 'tag:k8s', 443));

    // THEN
    expect(message).toBe(
      'expected group:eng not to reach tag:k8s on tcp:443, but it can: allowed by grants[0] ' +
        '{"src":["group:eng"],"dst":["tag:k8s"],"ip":["tcp:443"]}',
    );
  });

  test('toDeny is the negation of toAllow: one device that cannot reach is enough', () => {
    // GIVEN: dave joins the engineers for this test, bob is one already
    const tailnet = TestTailnet.of(synthCdk8s(homeProgram().app)).withUser('dave@example.com', {
      groups: ['group:eng'],
    });

    // THEN: every engineer reaches tag:k8s; not every member does (alice is not an engineer)
    expect(tailnet).toAllow('group:eng', 'tag:k8s', 443);
    expect(tailnet).toAllow('dave@example.com', 'tag:k8s', 443);
    expect(tailnet).toDeny('autogroup:member', 'tag:k8s', 443);
  });

  test('people and devices the test adds are principals and targets (docs/testing.md)', () => {
    // GIVEN
    const result = synthCdk8s(homeProgram().app);

    // WHEN
    const tailnet = TestTailnet.of(result)
      .withUser('dave@example.com', { groups: ['group:eng'] }) // a user with one device, in groups
      .withUser('frank@example.com', { roles: ['admin'] }) // a tailnet admin: autogroup:admin
      .withDevice('ci-runner', { tags: ['tag:ci'] }) // a tagged device
      .withDevice('erin-laptop', { user: 'erin@example.com', routes: ['192.168.1.0/24'] });

    // THEN
    expect(tailnet).toAllow('dave@example.com', 'tag:k8s', 443);
    expect(tailnet).toDeny('tag:ci', 'tag:k8s', 443);
    expect(tailnet).toDeny('autogroup:admin', 'tag:k8s', 443);
    expect(tailnet).toDeny('erin@example.com', '10.20.0.1', 443);
  });
});

describe('toGrantCapability', () => {
  test('passes when the principal gets the capability, holding the value when one is given', () => {
    // GIVEN
    const { app, operator } = homeProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN
    expect(result).toGrantCapability('group:sre', operator, KUBERNETES_CAP);
    expect(result).toGrantCapability('group:sre', operator, KUBERNETES_CAP, {
      impersonate: { groups: ['system:masters'] },
    });
    expect(result).toGrantCapability(
      'carol@example.com',
      'tag:k8s-operator',
      KUBERNETES_CAP,
      expect.objectContaining({ impersonate: expect.anything() }),
    );
    expect(result).not.toGrantCapability('group:eng', operator, KUBERNETES_CAP);
  });

  test('explains a missing capability with the grant that would give it', () => {
    // GIVEN
    const { app, operator } = homeProgram();
    const result = synthCdk8s(app);

    // WHEN
    const message = failure(() => expect(result).toGrantCapability('group:eng', operator, KUBERNETES_CAP));

    // THEN
    expect(message).toBe(
      `expected group:eng to get ${KUBERNETES_CAP} at TailscaleOperator 'operator/tailscale', but no rule grants ` +
        "group:eng any capability at TailscaleOperator 'operator/tailscale'\n" +
        `a grant such as {"src":["group:eng"],"dst":["tag:k8s-operator"],"app":{"${KUBERNETES_CAP}":[{}]}} would give it`,
    );
  });

  test('explains a capability holding other values, and one that should not be granted', () => {
    // GIVEN
    const { app, operator } = homeProgram();
    const result = synthCdk8s(app);

    // WHEN
    const other = failure(() =>
      expect(result).toGrantCapability('group:sre', operator, KUBERNETES_CAP, {
        impersonate: { groups: ['viewers'] },
      }),
    );
    const granted = failure(() =>
      expect(result).not.toGrantCapability('group:sre', operator, KUBERNETES_CAP),
    );

    // THEN
    expect(other).toContain(
      `but it holds [{"impersonate":{"groups":["system:masters"]}}]: granted by grants[1] {"src":["group:sre"]`,
    );
    expect(granted).toMatch(
      /^expected group:sre not to get tailscale\.com\/cap\/kubernetes at .*, but granted by grants\[1\]/,
    );
  });
});

describe('a Tailscale Service served by a ProxyGroup', () => {
  const SRE_ACCESS = {
    enforceRecorder: true,
    impersonate: { groups: ['sre'] },
    recorder: ['tag:k8s-recorder'],
  };

  test('traffic reaches the group at its service; capabilities are asked of its devices', () => {
    // GIVEN
    const { app, proxies } = apiServerProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN: the capability is granted at tag:k8s-api; at svc:k8s-api nothing is
    expect(result).toAllow('group:sre', proxies, 443);
    expect(result).toAllow('group:sre', 'svc:k8s-api', 443);
    expect(result).toGrantCapability('group:sre', proxies, KUBERNETES_CAP, SRE_ACCESS);
    expect(result).not.toGrantCapability('group:sre', 'svc:k8s-api', KUBERNETES_CAP);
    expect(result).not.toGrantCapability('group:eng', proxies, KUBERNETES_CAP);
  });

  test('the construct the group serves is reached at the group, and not at what the group reaches', () => {
    // GIVEN
    const { app, kubectl, proxies, recorder } = apiServerProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN: SREs reach the API server proxy on 443, though not the recorder its proxies reach
    expect(result).toAllow('group:sre', kubectl, 443);
    expect(result).toGrantCapability('group:sre', kubectl, KUBERNETES_CAP, SRE_ACCESS);
    expect(result).toDeny('group:eng', kubectl, 443);
    expect(result).toAllow(proxies, recorder, 80);
    expect(result).toDeny('group:sre', recorder, 443);
  });

  test('a capability at a construct whose service runs on devices of another is an error', () => {
    // GIVEN
    const { app, dashboard } = apiServerProgram();
    const result = synthCdk8s(app);

    // WHEN
    const error = matcherError(() =>
      expect(result).not.toGrantCapability('group:eng', dashboard, KUBERNETES_CAP),
    );

    // THEN
    expect(error.message).toBe(
      "toGrantCapability: `target` must be a construct with devices (capabilities are granted to devices, never at a Tailscale Service), got \"TailscaleIngress 'access/dashboard'\"; it serves svc:dashboard on another construct's devices; pass that construct",
    );
  });
});

describe('toContainObject', () => {
  test('passes when one object matches the partial object, on the objects or the result', () => {
    // GIVEN
    const result = synthCdk8s(homeProgram().app);

    // THEN
    expect(result.objects).toContainObject({ kind: 'Connector', spec: { tags: ['tag:office'] } });
    expect(result).toContainObject({ kind: 'Connector', metadata: { name: expect.stringMatching(/^off/) } });
    expect(result.objects).not.toContainObject({ kind: 'Connector', spec: { exitNode: true } });
  });

  test('names the nearest objects and where they differ', () => {
    // GIVEN
    const result = synthCdk8s(homeProgram().app);

    // WHEN
    const wrongTag = failure(() =>
      expect(result.objects).toContainObject({ kind: 'Connector', spec: { tags: ['tag:x'] } }),
    );
    const noKind = failure(() => expect(result.objects).toContainObject({ kind: 'Recorder' }));

    // THEN
    expect(wrongTag).toMatch(
      /none does; the nearest:\n {2}Connector office: spec\.tags\[0\] is "tag:office"$/,
    );
    expect(noKind).toMatch(/but none does; there is no Recorder$/);
  });
});

describe('bad input fails the assertion, under .not too', () => {
  const program = homeProgram();
  const result = synthCdk8s(program.app);

  test.each([
    ['port 0', () => expect(result).toAllow('group:eng', 'tag:k8s', 0), 'port'],
    ['port 65536', () => expect(result).not.toDeny('group:eng', 'tag:k8s', 65536), 'port'],
    ['a fractional port', () => expect(result).toAllow('group:eng', 'tag:k8s', 443.5), 'port'],
    ['an undeclared group', () => expect(result).toDeny('group:nobody', 'tag:k8s', 443), 'principal'],
    ['a tag no device carries', () => expect(result).not.toAllow('group:eng', 'tag:typo', 443), 'target'],
    [
      'a user the policy does not name',
      () => expect(result).toDeny('eve@example.com', 'tag:k8s', 443),
      'principal',
    ],
    [
      'an autogroup with no device',
      () => expect(result).toDeny('autogroup:admin', 'tag:k8s', 443),
      'principal, target and protocol',
    ],
    [
      'an unknown protocol',
      () => expect(result).toDeny('group:eng', 'tag:k8s', 443, 'sctp-ish'),
      'principal, target and protocol',
    ],
    [
      'a Tailscale Service as the principal',
      () => expect(result).toDeny('svc:web', 'tag:k8s', 443),
      'principal',
    ],
    ['a chart as the target', () => expect(result).toDeny('group:eng', program.platform, 443), 'target'],
    [
      'a construct of another app',
      () => expect(result).toDeny('group:eng', homeProgram().office, 443),
      'target',
    ],
    [
      'a number as the target',
      () => expect(result).toDeny('group:eng', 42 as unknown as string, 443),
      'target',
    ],
    [
      'something other than a result',
      () => expect({ policy: {} }).toAllow('group:eng', 'tag:k8s', 443),
      'expect(received)',
    ],
    [
      'a capability without a domain',
      () => expect(result).toGrantCapability('group:sre', 'tag:k8s-operator', 'kubernetes'),
      'capability',
    ],
    [
      'objects that are not an array',
      () => expect('objects').toContainObject({ kind: 'Connector' }),
      'expect(received)',
    ],
    [
      'a partial that is not an object',
      () => expect(result).toContainObject('Connector' as unknown as object),
      'partial',
    ],
  ])('%s', (_name, assertion, field) => {
    expect(matcherError(assertion).field).toBe(field);
  });

  test('the error names the matcher, the value and what is allowed', () => {
    // WHEN
    const error = matcherError(() => expect(result).toDeny('group:nobody', 'tag:k8s', 443));

    // THEN
    expect(error.message).toBe(
      'toDeny: `principal` must be a group the policy declares, got "group:nobody"; declared groups: group:eng, ' +
        'group:family, group:sre; add members for the test with `TestTailnet.of(result).withUser(login, ' +
        '{ groups: ["group:nobody"] })`',
    );
  });

  test('a construct that has no device on the tailnet is not a target', () => {
    // GIVEN: a construct that registers only a grant
    const { app, platform } = homeProgram();
    const web = new WebService(platform, 'web', { service: 'svc:web', grants: [] });
    const synthesized = synthCdk8s(app);

    // WHEN
    const error = matcherError(() => expect(synthesized).toAllow(web, 'tag:k8s', 443));

    // THEN
    expect(error.message).toBe(
      'toAllow: `principal` must be a construct with devices on the tailnet (a Tailscale Service is not a source), got "WebService \'platform/web\'"; it registers no tags, hostnames or Tailscale Services',
    );
  });
});

describe('Tailscale Services', () => {
  test('a construct serving a Tailscale Service is reached at the service', () => {
    // GIVEN
    const { app, platform } = homeProgram();
    const web = new WebService(platform, 'web', {
      service: 'svc:web',
      grants: [{ src: ['group:eng'], dst: ['svc:web'], ip: ['tcp:443'] }],
    });

    // WHEN
    const result = synthCdk8s(app);

    // THEN
    expect(result).toAllow('group:eng', web, 443);
    expect(result).toAllow('group:eng', 'svc:web', 443);
    expect(result).toDeny('group:family', web, 443);
    expect(result).toDeny('group:eng', web, 80);
  });

  test('explains a denied service with the grant that would allow it', () => {
    // GIVEN
    const { app, platform } = homeProgram();
    const web = new WebService(platform, 'web', { service: 'svc:web', grants: [] });
    const result = synthCdk8s(app);

    // WHEN
    const message = failure(() => expect(result).toAllow('group:family', web, 443));

    // THEN
    expect(message).toContain(
      "expected group:family to reach WebService 'platform/web' on tcp:443, but it cannot: ",
    );
    expect(message).toContain(
      'a grant such as {"src":["group:family"],"dst":["svc:web"],"ip":["tcp:443"]} would allow it',
    );
  });
});

describe('toHaveNodeAttribute', () => {
  /** The home program with a public Funnel Ingress beside the Connector. */
  function funnelProgram() {
    const program = homeProgram();
    const edge = new FunnelIngress(program.platform, 'edge', {
      public: true,
      namespace: 'web',
      defaultBackend: { serviceName: 'traefik', port: 443 },
    });
    return { ...program, edge, result: synthCdk8s(program.app) };
  }

  test('the Funnel proxy holds funnel; the operator and the Connector do not', () => {
    const { result, edge, operator, office } = funnelProgram();
    expect(result).toHaveNodeAttribute(edge, 'funnel');
    expect(result).toHaveNodeAttribute('tag:k8s-funnel', 'funnel');
    expect(result).not.toHaveNodeAttribute(operator, 'funnel');
    expect(result).not.toHaveNodeAttribute(office, 'funnel');
    expect(result).not.toHaveNodeAttribute('alice@example.com', 'funnel');
    expect(result).not.toHaveNodeAttribute('alice-device', 'funnel');
  });

  test('a failure names the devices lacking it and the entry that would give it', () => {
    const { result, edge, office } = funnelProgram();
    expect(failure(() => expect(result).toHaveNodeAttribute(office, 'funnel'))).toBe(
      "expected Connector 'platform/office' to have node attribute funnel, but office-connector does not; " +
        'nodeAttrs[0] {"target":["tag:k8s-funnel"],"attr":["funnel"]} give it elsewhere\n' +
        'a nodeAttrs entry such as {"target":["tag:office"],"attr":["funnel"]} would give it',
    );
    expect(failure(() => expect(result).not.toHaveNodeAttribute(edge, 'funnel'))).toContain(
      'but every device does, given by nodeAttrs[0]',
    );
  });

  test('a value, and bad input', () => {
    const { result, edge } = funnelProgram();
    expect(result).not.toHaveNodeAttribute(edge, 'funnel', 'not-a-value');
    expect(matcherError(() => expect(result).toHaveNodeAttribute('tag:nobody', 'funnel')).field).toBe(
      'target',
    );
    expect(matcherError(() => expect(result).toHaveNodeAttribute(edge, '')).field).toBe('attribute');
  });
});
