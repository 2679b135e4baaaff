import {
  ValidationError,
  compareStrings,
  deriveTopology,
  namedList,
  type PolicyDocument,
  type PostureAttributes,
  type Topology,
  type TopologyNode,
  type TopologyUserRole,
} from '@tailkube/core/internal';
import {
  checkCapabilities,
  checkConnect,
  identityFor,
  type AccessAnswer,
  type CapabilitiesAnswer,
  type Endpoint,
} from './access';
import { constructIdentities, type ConstructIdentity } from './construct-identity';
import type { SynthResult } from './result';

/** A person a test adds to the tailnet. */
export interface TestUserOptions {
  /**
   * Groups the user belongs to in this test. Added to a copy of the policy's `groups` used for
   * evaluation only (a group the policy does not declare is declared there); the program's policy is
   * not changed.
   *
   * @default - no group
   */
  readonly groups?: readonly string[];
  /**
   * The user's roles in the tailnet: `autogroup:admin` names the users holding `admin`, and so on.
   *
   * @default ['member']
   */
  readonly roles?: readonly TopologyUserRole[];
}

/** A device a test adds to the tailnet: tagged, or owned by a user. */
export interface TestDeviceOptions {
  /**
   * Tags on the device. A tagged device belongs to no user.
   *
   * @default - untagged, owned by `user`
   */
  readonly tags?: readonly string[];
  /**
   * The login (email) of the device's owner, for an untagged device. The user joins the tailnet.
   *
   * @default - none: set `tags`
   */
  readonly user?: string;
  /**
   * Routes the device advertises: subnet routes, and `0.0.0.0/0` with `::/0` for an exit node.
   * `autoApprovers` decide which are approved, as the control plane does.
   *
   * @default - none
   */
  readonly routes?: readonly string[];
  /**
   * Posture attributes the control plane knows about the device (`node:os`, `node:tsVersion`,
   * `custom:…`), for rules with `srcPosture` or a `defaultSrcPosture`.
   *
   * @default - none: the device meets no posture condition
   */
  readonly posture?: PostureAttributes;
}

interface Additions {
  /** Login → what the test gave the user. */
  readonly users: ReadonlyMap<
    string,
    { readonly groups: readonly string[]; readonly roles?: readonly TopologyUserRole[] }
  >;
  readonly devices: ReadonlyMap<string, TestDeviceOptions>;
}

/** What an evaluation runs against, built once per tailnet. */
interface Evaluation {
  readonly policy: PolicyDocument;
  readonly topology: Topology;
  /** Device name → the construct it belongs to, for the program's devices. */
  readonly constructDevices: ReadonlyMap<string, string>;
}

const TEST_TAILNET = Symbol.for('tailkube.testing.TestTailnet');
const PATH = 'TestTailnet';
/** First address of devices added beside the derived ones: inside 100.64.0.0/10, after them. */
const ULA_PREFIX = 'fd7a:115c:a1e0::';

/**
 * The tailnet a program's policy is evaluated on in tests: one device per proxy each construct
 * creates (its hostname, with its tags and advertised routes), one per tag the policy owns, one per
 * user the policy names, one of a stand-in member in no group (`member@tailnet.invalid`), plus the
 * people and devices the test adds.
 * Immutable: each `with*` returns a new tailnet, so tests can share a base.
 *
 * The matchers build one from a {@link SynthResult} on their own; build one to add people or devices.
 *
 * @example
 * const tailnet = TestTailnet.of(synthCdk8s(app))
 *   .withUser('carol@example.com', { groups: ['group:eng'] })
 *   .withDevice('ci-runner', { tags: ['tag:ci'] });
 * expect(tailnet).toAllow('group:eng', ingress, 443);
 */
export class TestTailnet {
  /** A tailnet with the program's devices and the principals its policy names. */
  static of(result: SynthResult): TestTailnet {
    return new TestTailnet(result, { users: new Map(), devices: new Map() });
  }

  /** Whether `x` is a TestTailnet, from any copy of the library. */
  static isTestTailnet(this: void, x: unknown): x is TestTailnet {
    return typeof x === 'object' && x !== null && TEST_TAILNET in x;
  }

  /** What the program produced. */
  readonly result: SynthResult;
  /** What each construct of the program is on the tailnet, in source order. */
  readonly constructs: readonly ConstructIdentity[];
  readonly #additions: Additions;
  #evaluation: Evaluation | undefined;

  private constructor(result: SynthResult, additions: Additions) {
    Object.defineProperty(this, TEST_TAILNET, { value: true });
    this.result = result;
    this.constructs = constructIdentities(result.constructRequirements);
    this.#additions = additions;
  }

  /** The policy evaluated: the program's, with the test's group members added. */
  get policy(): PolicyDocument {
    return this.#evaluate().policy;
  }

  /** The devices and users evaluated, in the shape `simulateTailnet` takes. */
  get topology(): Topology {
    return this.#evaluate().topology;
  }

  /** The tailnet with `login` as a user (with one device), in `options.groups`, with `options.roles`. */
  withUser(login: string, options: TestUserOptions = {}): TestTailnet {
    checkLogin(login, 'withUser');
    const groups = options.groups ?? [];
    for (const [index, group] of groups.entries()) {
      if (!/^group:[^\s:]+$/.test(group)) {
        throw new ValidationError({
          path: PATH,
          field: `withUser.groups[${index}]`,
          value: group,
          allowed: 'a group name such as "group:eng"',
        });
      }
    }
    const users = new Map(this.#additions.users);
    const before = users.get(login);
    const roles = options.roles ?? before?.roles;
    users.set(login, {
      groups: [...new Set([...(before?.groups ?? []), ...groups])],
      ...(roles !== undefined && { roles: [...roles] }),
    });
    return new TestTailnet(this.result, { ...this.#additions, users });
  }

  /** The tailnet with a device named `hostname`, tagged or owned by a user. */
  withDevice(hostname: string, options: TestDeviceOptions): TestTailnet {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(hostname) || this.#additions.devices.has(hostname)) {
      throw new ValidationError({
        path: PATH,
        field: 'withDevice.hostname',
        value: hostname,
        allowed: 'a DNS label (lowercase letters, digits, "-") no other added device uses',
      });
    }
    const tags = options.tags ?? [];
    if (tags.length > 0 === (options.user !== undefined)) {
      throw new ValidationError({
        path: PATH,
        field: `withDevice(${JSON.stringify(hostname)})`,
        value: options,
        allowed: 'either `tags` (a tagged device) or `user` (a user-owned device)',
      });
    }
    for (const [index, tag] of tags.entries()) {
      if (!/^tag:[^\s:]+$/.test(tag)) {
        throw new ValidationError({
          path: PATH,
          field: `withDevice.tags[${index}]`,
          value: tag,
          allowed: 'a tag such as "tag:ci"',
        });
      }
    }
    if (options.user !== undefined) checkLogin(options.user, 'withDevice.user');
    const devices = new Map(this.#additions.devices);
    devices.set(hostname, options);
    return new TestTailnet(this.result, { ...this.#additions, devices });
  }

  /**
   * What the construct is on the tailnet: its services, tags and devices. Throws when `construct`
   * is not a construct of this program.
   */
  identityOf(construct: object): ConstructIdentity & { readonly devices: readonly string[] } {
    const identity = identityFor(this, 'identityOf', 'construct', construct);
    return { ...identity, devices: this.devicesOf(identity) };
  }

  /** Names of the devices of a construct in {@link TestTailnet.topology}. */
  devicesOf(identity: ConstructIdentity): readonly string[] {
    return devicesBySource(this.#evaluate().constructDevices).get(identity.source) ?? [];
  }

  /**
   * May `from` reach `to` on `port` (TCP unless `proto` says otherwise)? Each end is a principal or
   * address as the policy writes it (`group:eng`, `alice@example.com`, `tag:ci`, `autogroup:member`,
   * a host alias, an IP) or a construct of the program. Every device `from` names must reach every
   * device `to` names. Throws when an end cannot be resolved or the port is not 1–65535.
   */
  canConnect(from: Endpoint, to: Endpoint, port: number, proto?: string): AccessAnswer {
    return checkConnect(this, 'canConnect', { from, to, port, ...(proto !== undefined && { proto }) });
  }

  /** The capabilities every device `from` names gets at every device `to` names, with their rules. */
  capabilitiesAt(from: Endpoint, to: Endpoint): CapabilitiesAnswer {
    return checkCapabilities(this, 'capabilitiesAt', { from, to });
  }

  /** The addresses of a device of the topology: IPv4, then IPv6. */
  addressesOf(device: string): readonly string[] {
    const node = this.topology.nodes[device];
    return node ? [node.ipv4, node.ipv6] : [];
  }

  #evaluate(): Evaluation {
    this.#evaluation ??= this.#build();
    return this.#evaluation;
  }

  #build(): Evaluation {
    const policy = withGroupMembers(this.result.policy, this.#additions.users);
    const named = [
      // A stand-in member in no group, so that "any member" has a device before anyone joins.
      'autogroup:member',
      ...this.#additions.users.keys(),
      ...[...this.#additions.devices.values()].flatMap((device) => (device.user ? [device.user] : [])),
      ...[...this.#additions.devices.values()].flatMap((device) => device.tags ?? []),
    ];
    const derived = deriveTopology(policy, named);
    const nodes: Record<string, TopologyNode> = { ...derived.nodes };
    const users = derived.users.map((user) => {
      const roles = this.#additions.users.get(user.email)?.roles;
      return roles === undefined ? user : { ...user, roles };
    });
    const constructDevices = new Map<string, string>();
    let next = Math.max(0, ...Object.values(nodes).map((node) => ipv4Number(node.ipv4) - FIRST_IPV4)) + 1;
    const add = (name: string, node: Omit<TopologyNode, 'ipv4' | 'ipv6'>): void => {
      nodes[name] = { ...node, ipv4: ipv4Text(FIRST_IPV4 + next), ipv6: ipv6Text(FIRST_IPV4 + next) };
      next += 1;
    };
    for (const identity of this.constructs) {
      // A Tailscale Service without device hostnames of its own runs on another construct's devices.
      const serviceOnly = identity.hostnames.length === 0 && identity.services.length > 0;
      if (identity.tags.length === 0 || serviceOnly) continue;
      const hostnames = identity.hostnames.length > 0 ? identity.hostnames : [slug(identity.source)];
      const hosted = servicesHostedBy(policy, derived, identity.tags);
      for (const hostname of hostnames) {
        const name = freeName(nodes, hostname);
        add(name, {
          hostname,
          tags: [...identity.tags],
          routable_ips: [...identity.routes],
          ...(hosted.length > 0 && { services: hosted }),
        });
        constructDevices.set(name, identity.source);
      }
    }
    for (const [hostname, device] of [...this.#additions.devices.entries()].sort(([a], [b]) =>
      compareStrings(a, b),
    )) {
      if (nodes[hostname] !== undefined) {
        throw new ValidationError({
          path: PATH,
          field: 'withDevice.hostname',
          value: hostname,
          allowed: 'a name no device of the program uses',
          hint: `the program's devices are ${namedList(Object.keys(nodes).sort(compareStrings))}`,
        });
      }
      const owner = users.find((user) => user.email === device.user);
      add(hostname, {
        hostname,
        tags: [...(device.tags ?? [])],
        ...(owner && { user: owner.name }),
        routable_ips: [...(device.routes ?? [])],
        ...(device.posture && { posture: { ...device.posture } }),
      });
    }
    return { policy, topology: { ...derived, users, nodes }, constructDevices };
  }
}

/** The first address `deriveTopology` hands out, 100.64.0.1, as a number. */
const FIRST_IPV4 = 0x64400001;

function ipv4Number(text: string): number {
  return text.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function ipv4Text(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The device's IPv6 address, built from its IPv4 address as `deriveTopology` does. */
function ipv6Text(value: number): string {
  return `${ULA_PREFIX}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
}

/**
 * The Tailscale Services a device with `tags` advertises: those `autoApprovers.services` approves
 * for one of its tags by name, as `deriveTopology` decides for its tag devices.
 */
function servicesHostedBy(policy: PolicyDocument, topology: Topology, tags: readonly string[]): string[] {
  const approvers = policy.autoApprovers?.services ?? {};
  return Object.keys(topology.services ?? {})
    .filter((service) => (approvers[service] ?? []).some((approver) => tags.includes(approver)))
    .sort(compareStrings);
}

function freeName(nodes: Readonly<Record<string, TopologyNode>>, wanted: string): string {
  if (nodes[wanted] === undefined) return wanted;
  let suffix = 2;
  while (nodes[`${wanted}-${suffix}`] !== undefined) suffix += 1;
  return `${wanted}-${suffix}`;
}

/** A device name for a construct that asks for no hostname: its source, as a DNS label. */
function slug(source: string): string {
  return source
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function withGroupMembers(policy: PolicyDocument, users: Additions['users']): PolicyDocument {
  const groups: Record<string, string[]> = {};
  for (const [group, members] of Object.entries(policy.groups ?? {})) groups[group] = [...members];
  let changed = false;
  for (const [login, { groups: memberOf }] of users) {
    for (const group of memberOf) {
      const members = (groups[group] ??= []);
      if (!members.includes(login)) {
        members.push(login);
        changed = true;
      }
    }
  }
  return changed ? { ...policy, groups } : policy;
}

function checkLogin(login: string, field: string): void {
  if (!/^[^\s@:]+@[^\s@:]+$/.test(login)) {
    throw new ValidationError({
      path: PATH,
      field,
      value: login,
      allowed: 'a login such as "carol@example.com"',
    });
  }
}

/** Each evaluation's device names by construct source, in device order: built once per evaluation. */
const bySource = new WeakMap<ReadonlyMap<string, string>, ReadonlyMap<string, readonly string[]>>();

function devicesBySource(
  constructDevices: ReadonlyMap<string, string>,
): ReadonlyMap<string, readonly string[]> {
  let devices = bySource.get(constructDevices);
  if (devices === undefined) {
    const built = new Map<string, string[]>();
    for (const [name, source] of constructDevices) {
      const listed = built.get(source);
      if (listed === undefined) built.set(source, [name]);
      else listed.push(name);
    }
    devices = built;
    bySource.set(constructDevices, devices);
  }
  return devices;
}
