import { Chart, Testing } from 'cdk8s';
import { Connector, TailscaleOperator, Tailnet } from '@tailkube/cdk8s';
import { isValidationError, type ValidationError } from '@tailkube/core';
import { TestTailnet } from '@tailkube/testing';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { apiServerProgram, homeProgram, WebService } from './helpers/programs';

/** Runs `fn`, which must throw a ValidationError, and returns it. */
function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('TestTailnet', () => {
  test('has one device per proxy of each construct, with its tags and subnet routes', () => {
    // GIVEN
    const tailnet = TestTailnet.of(synthCdk8s(homeProgram().app));

    // WHEN
    const { nodes } = tailnet.topology;

    // THEN
    expect(nodes['office-connector']).toMatchObject({ tags: ['tag:office'], routable_ips: ['10.20.0.0/16'] });
    expect(nodes['tailscale-operator']).toMatchObject({ tags: ['tag:k8s-operator'], routable_ips: [] });
    expect(nodes['office-connector']?.user).toBeUndefined();
  });

  test('has one device per tag the policy owns, per user it names and of a stand-in member, each with its own addresses', () => {
    // WHEN
    const { nodes, users } = TestTailnet.of(synthCdk8s(homeProgram().app)).topology;

    // THEN
    expect(users.map((user) => user.email)).toStrictEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'member@tailnet.invalid',
    ]);
    expect(Object.keys(nodes).sort()).toStrictEqual([
      'alice-device',
      'bob-device',
      'carol-device',
      'k8s',
      'k8s-operator',
      'member-device',
      'office',
      'office-connector',
      'tailscale-operator',
    ]);
    const addresses = Object.values(nodes).flatMap((node) => [node.ipv4, node.ipv6]);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(nodes['office-connector']?.ipv6).toBe(
      `fd7a:115c:a1e0::6440:${nodes['office-connector']?.ipv4.split('.')[3]}`,
    );
  });

  test('names what each construct is on the tailnet', () => {
    // GIVEN
    const { app, office, operator } = homeProgram();
    const tailnet = TestTailnet.of(synthCdk8s(app));

    // WHEN / THEN: the operator's device carries the operator's tags, not the default proxy tags
    expect(tailnet.identityOf(operator)).toStrictEqual({
      source: "TailscaleOperator 'operator/tailscale'",
      services: [],
      tags: ['tag:k8s-operator'],
      hostnames: ['tailscale-operator'],
      routes: [],
      selectors: ['tag:k8s-operator'],
      devices: ['tailscale-operator'],
    });
    expect(tailnet.identityOf(office)).toMatchObject({ tags: ['tag:office'], devices: ['office-connector'] });
  });

  test('a construct serving a Tailscale Service is that service, hosted by the devices its tag approves', () => {
    // GIVEN
    const { app, platform } = homeProgram();
    const web = new WebService(platform, 'web', { service: 'svc:web', grants: [] });
    const tailnet = TestTailnet.of(synthCdk8s(app));

    // WHEN
    const identity = tailnet.identityOf(web);

    // THEN
    expect(identity).toMatchObject({ services: ['svc:web'], selectors: ['svc:web'], devices: [] });
    expect(tailnet.topology.services?.['svc:web']).toBeDefined();
    expect(tailnet.topology.nodes['k8s']?.services).toStrictEqual(['svc:web']);
  });

  test('a hostname naming a Tailscale Service the construct serves is no device of its own', () => {
    // GIVEN: the kube-apiserver group serves svc:k8s-api; the dashboard is svc:dashboard on a group
    const { app, proxies, dashboard } = apiServerProgram();
    const tailnet = TestTailnet.of(synthCdk8s(app));

    // WHEN
    const group = tailnet.identityOf(proxies);
    const ingress = tailnet.identityOf(dashboard);

    // THEN
    expect(group).toMatchObject({
      services: ['svc:k8s-api'],
      hostnames: ['k8s-api-0', 'k8s-api-1'],
      devices: ['k8s-api-0', 'k8s-api-1'],
    });
    expect(ingress).toMatchObject({ services: ['svc:dashboard'], hostnames: [], devices: [] });
    expect(tailnet.topology.nodes['dashboard']).toBeUndefined();
  });

  test('a construct served by devices of others is reached where its intended access goes, not beyond', () => {
    // GIVEN: the API server proxy's grants go to svc:k8s-api and tag:k8s-api; its proxies' to the recorder
    const { app, kubectl } = apiServerProgram();

    // WHEN
    const identity = TestTailnet.of(synthCdk8s(app)).identityOf(kubectl);

    // THEN
    expect(identity).toMatchObject({ tags: [], devices: [], selectors: ['svc:k8s-api', 'tag:k8s-api'] });
  });

  test('withUser adds a user with a device, in groups of a copy of the policy', () => {
    // GIVEN
    const result = synthCdk8s(homeProgram().app);
    const base = TestTailnet.of(result);

    // WHEN
    const tailnet = base.withUser('dave@example.com', { groups: ['group:eng', 'group:new'] });

    // THEN
    expect(tailnet.policy.groups).toMatchObject({
      'group:eng': ['bob@example.com', 'dave@example.com'],
      'group:new': ['dave@example.com'],
    });
    expect(tailnet.topology.nodes['dave-device']).toMatchObject({ user: 'dave', tags: [] });
    expect(result.policy.groups?.['group:eng']).toStrictEqual(['bob@example.com']);
    expect(base.topology.nodes['dave-device']).toBeUndefined();
  });

  test('withUser gives a user roles, which autogroup:admin and the like name', () => {
    // GIVEN: no user of the derived topology holds a role beyond member
    const base = TestTailnet.of(synthCdk8s(homeProgram().app));

    // WHEN
    const tailnet = base.withUser('erin@example.com', { groups: ['group:eng'], roles: ['admin'] });

    // THEN: erin, an engineer, is the only admin
    expect(tailnet.topology.users.find((user) => user.email === 'erin@example.com')?.roles).toStrictEqual([
      'admin',
    ]);
    expect(tailnet.canConnect('autogroup:admin', 'tag:k8s', 443).allowed).toBe(true);
    expect(tailnet.canConnect('autogroup:admin', 'tag:office', 443).allowed).toBe(false);
    expect(validationError(() => base.canConnect('autogroup:admin', 'tag:k8s', 443)).field).toBe(
      'principal, target and protocol',
    );
  });

  test('withDevice adds a tagged device, or one a user owns, with its routes', () => {
    // WHEN
    const tailnet = TestTailnet.of(synthCdk8s(homeProgram().app))
      .withDevice('ci-runner', { tags: ['tag:ci'] })
      .withDevice('erin-laptop', { user: 'erin@example.com', routes: ['192.168.1.0/24'] });

    // THEN
    expect(tailnet.topology.nodes['ci-runner']).toMatchObject({ tags: ['tag:ci'], routable_ips: [] });
    expect(tailnet.topology.nodes['erin-laptop']).toMatchObject({
      tags: [],
      user: 'erin',
      routable_ips: ['192.168.1.0/24'],
    });
    expect(tailnet.topology.users.map((user) => user.email)).toContain('erin@example.com');
  });

  test('fails when a device is both tagged and owned, or neither', () => {
    // GIVEN
    const tailnet = TestTailnet.of(synthCdk8s(homeProgram().app));

    // WHEN
    const both = validationError(() =>
      tailnet.withDevice('ci', { tags: ['tag:ci'], user: 'erin@example.com' }),
    );
    const neither = validationError(() => tailnet.withDevice('ci', {}));

    // THEN
    expect(both.message).toBe(
      'TestTailnet: `withDevice("ci")` must be either `tags` (a tagged device) or `user` (a user-owned device), got {"tags":["tag:ci"],"user":"erin@example.com"}',
    );
    expect(neither.field).toBe('withDevice("ci")');
  });

  test('fails when an added device takes the name of a device of the program', () => {
    // GIVEN
    const tailnet = TestTailnet.of(synthCdk8s(homeProgram().app)).withDevice('office-connector', {
      tags: ['tag:ci'],
    });

    // WHEN
    const error = validationError(() => tailnet.topology);

    // THEN
    expect(error.field).toBe('withDevice.hostname');
    expect(error.value).toBe('office-connector');
  });

  test.each([
    [
      'a login without a domain',
      () => TestTailnet.of(synthCdk8s(homeProgram().app)).withUser('dave'),
      'withUser',
    ],
    [
      'a group without the prefix',
      () => TestTailnet.of(synthCdk8s(homeProgram().app)).withUser('dave@example.com', { groups: ['eng'] }),
      'withUser.groups[0]',
    ],
    [
      'a tag without the prefix',
      () => TestTailnet.of(synthCdk8s(homeProgram().app)).withDevice('ci', { tags: ['ci'] }),
      'withDevice.tags[0]',
    ],
    [
      'a hostname that is not a DNS label',
      () => TestTailnet.of(synthCdk8s(homeProgram().app)).withDevice('CI Runner', { tags: ['tag:ci'] }),
      'withDevice.hostname',
    ],
  ])('fails on %s', (_name, fn, field) => {
    expect(validationError(fn).field).toBe(field);
  });

  test('identityOf fails on an object that is not a construct of the program', () => {
    // GIVEN
    const { app, platform } = homeProgram();
    const tailnet = TestTailnet.of(synthCdk8s(app));

    // WHEN
    const error = validationError(() => tailnet.identityOf(new Chart(platform, 'nested')));

    // THEN
    expect(error.message).toContain('got "Chart \'platform/nested\'"');
    expect(error.message).toContain(
      "the program's constructs are Connector 'platform/office', TailscaleOperator 'operator/tailscale'",
    );
  });
});

describe('TestTailnet devices with posture', () => {
  test('a rule with a posture admits the added devices that meet it, and only those', () => {
    // GIVEN a tailnet whose grants need Linux, and a Connector the family may use
    const app = Testing.app();
    new Tailnet(app, 'Tailnet', {
      allowAll: 'deny',
      basePolicy: `{
        "groups": { "group:family": ["alice@example.com"] },
        "postures": { "posture:linux": ["node:os == 'linux'"] },
        "defaultSrcPosture": ["posture:linux"],
      }`,
    });
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    new Connector(new Chart(app, 'platform'), 'office', {
      subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
      tags: ['tag:office'],
    }).allow(['group:family']);

    // WHEN alice has a Linux laptop and a phone
    const tailnet = TestTailnet.of(synthCdk8s(app))
      .withDevice('laptop', { user: 'alice@example.com', posture: { 'node:os': 'linux' } })
      .withDevice('phone', { user: 'alice@example.com', posture: { 'node:os': 'ios' } });

    // THEN the laptop reaches the office LAN, the phone does not, and the answer says why
    const laptop = tailnet.topology.nodes['laptop']!;
    const phone = tailnet.topology.nodes['phone']!;
    expect(tailnet.canConnect(laptop.ipv4, '10.20.0.10', 443).allowed).toBe(true);
    const denied = tailnet.canConnect(phone.ipv4, '10.20.0.10', 443);
    expect(denied.allowed).toBe(false);
    expect(denied.explanation).toContain('posture:linux');
  });
});
