import type { PolicyDocument } from '../document';
import { normalizePolicy } from '../normalize';
import { sortedRecord } from '../order';
import { isWholeFamily, overlaps, parseAddress, parseRange } from './addresses';
import { compileMatches, type CompiledMatch } from './compile';
import { formatDuration, parseDuration } from './duration';
import { admittingMatch } from './evaluate-matches';
import { parseIpSpec, parsePorts, parseProtocol } from './ports';
import { approveRoutes } from './routes';
import {
  AUTOGROUPS,
  selectorContext,
  selectorKind,
  splitDestination,
  type ResolvedNode,
  type SelectorContext,
} from './selectors';
import { postureFaults, usesPostures, withPostureAttributes, type PostureAttributes } from './posture';
import { isServiceName } from './services';
import { sshTestFailures, sshTestShapeFaults } from './ssh-tests';
import type { PolicyFault } from './fault';
import type { Topology } from './topology';

/** The verdict of {@link validatePolicy}. */
export type PolicyVerdict =
  { readonly ok: true } | { readonly ok: false; readonly errors: readonly PolicyFault[] };

/** Peer capabilities in the `tailscale.com` domain that grants may still name. */
const TAILSCALE_APP_CAPS: ReadonlySet<string> = new Set([
  'tailscale.com/cap/drive',
  'tailscale.com/cap/kubernetes',
  'tailscale.com/cap/relay',
  'tailscale.com/cap/webui',
  'tailscale.com/cap/tsidp',
  'tailscale.com/cap/tailsql',
  'tailscale.com/cap/golink',
  'tailscale.com/cap/secrets',
]);

/** Ranges the control plane reserves; an `ipPool` may not overlap them. */
const RESERVED_RANGES = ['100.100.100.0/24', '100.115.92.0/23']
  .map(parseRange)
  .filter((range) => range !== undefined);

const SELF = 'autogroup:self';

type Side = 'src' | 'dst' | 'target' | 'owner';

class Checker {
  readonly faults: PolicyFault[] = [];
  constructor(readonly policy: PolicyDocument) {}

  fault(path: string, message: string): void {
    this.faults.push({ path, message });
  }

  /** Checks that a selector names something the policy declares; returns whether it does. */
  selector(path: string, selector: string, side: Side, label: string): boolean {
    const message = this.selectorFault(selector, side, label);
    if (message !== undefined) this.fault(path, message);
    return message === undefined;
  }

  /**
   * {@link Checker.selector} for the selector at `${parent}.${field}[${index}]`, the path written
   * only for a fault: this runs for every selector of a large policy.
   */
  selectorAt(
    parent: string,
    field: string,
    index: number,
    selector: string,
    side: Side,
    label: string,
  ): void {
    const message = this.selectorFault(selector, side, label);
    if (message !== undefined) this.fault(`${parent}.${field}[${index}]`, message);
  }

  /** Why a selector does not name something the policy declares; undefined when it does. */
  selectorFault(selector: string, side: Side, label: string): string | undefined {
    const kind = selectorKind(selector);
    // Built only for a fault: most selectors are fine, and this runs for every one of a large policy.
    const prefix = (): string =>
      side === 'src' ? 'src=' : side === 'dst' ? `dst=${JSON.stringify(label)}: ` : '';
    switch (kind) {
      case 'tag':
        if (this.policy.tagOwners?.[selector] === undefined)
          return `${prefix()}tag not found: ${JSON.stringify(selector)}`;
        return undefined;
      case 'group':
        if (this.policy.groups?.[selector] === undefined && !isScimGroup(selector))
          return `${prefix()}group not found: ${JSON.stringify(selector)}`;
        return undefined;
      case 'host':
        if (this.policy.hosts?.[selector] === undefined)
          return `${prefix()}host not found: ${JSON.stringify(selector)}`;
        return undefined;
      case 'ipset':
        if (this.policy.ipsets?.[selector] === undefined)
          return `${prefix()}ipset not found: ${JSON.stringify(selector)}`;
        return undefined;
      case 'autogroup':
        if (!(AUTOGROUPS as readonly string[]).includes(selector))
          return `${prefix()}unknown autogroup ${JSON.stringify(selector)}`;
        if (selector === SELF && side === 'src')
          return `"autogroup:self" not valid on the src side of a rule`;
        if (selector === 'autogroup:internet' && side === 'src')
          return `"autogroup:internet" not valid on the src side of a rule`;
        if (selector === 'autogroup:danger-all' && side !== 'src')
          return `"autogroup:danger-all" is only valid on the src side of a rule`;
        return undefined;
      case 'service':
        if (!isServiceName(selector))
          return `${prefix()}${JSON.stringify(selector)} is not a valid service name`;
        // A service is an address pair that receives traffic: it never sends, owns or carries attributes.
        if (side !== 'dst') return `${JSON.stringify(selector)} is only valid on the dst side of a rule`;
        return undefined;
      case 'invalid':
        return `${JSON.stringify(selector)}: invalid address`;
      default:
        return undefined;
    }
  }

  /** autogroup:self destinations need user-owned sources. */
  selfSources(path: string, src: readonly string[], dst: readonly string[], allowWildcard: boolean): void {
    if (!dst.includes(SELF)) return;
    const fine = src.every((selector) => {
      const kind = selectorKind(selector);
      return (
        kind === 'user' ||
        kind === 'group' ||
        selector === 'autogroup:member' ||
        (allowWildcard && kind === 'wildcard')
      );
    });
    if (!fine)
      this.fault(path, 'autogroup:self can only be used with users, groups, or supported autogroups');
  }
}

/**
 * Groups synced from an identity provider by SCIM are named `group:<name>@<domain>` and are not
 * declared under `groups` (kb/1337 "groups"; kb/1249, user and group provisioning).
 */
function isScimGroup(selector: string): boolean {
  return /^group:[^@]+@[^@]+$/.test(selector);
}

/**
 * A group's members are users: a group naming a group is refused, however deep (headscale policy
 * v2 `Groups.UnmarshalJSON`, recorded from the control plane: "group members cannot be recursive").
 */
function checkGroups(checker: Checker, policy: PolicyDocument): void {
  for (const [name, members] of Object.entries(policy.groups ?? {})) {
    if (!name.startsWith('group:'))
      checker.fault(`groups.${name}`, `group ${JSON.stringify(name)} must start with "group:"`);
    members.forEach((member, index) => {
      const path = `groups.${name}[${index}]`;
      if (member.startsWith('group:')) {
        checker.fault(
          path,
          `groups[${JSON.stringify(name)}]: ${JSON.stringify(member)}: group members cannot be recursive`,
        );
      } else if (selectorKind(member) !== 'user') {
        checker.fault(path, `group member ${JSON.stringify(member)} must be a user`);
      }
    });
  }
}

/** An IP set may include IP sets, but never itself, however deep. */
function checkIpsets(checker: Checker, policy: PolicyDocument): void {
  const ipsets = policy.ipsets ?? {};
  const includesItself = (name: string, current: string, seen: ReadonlySet<string>): boolean =>
    (ipsets[current] ?? []).some(
      (entry) =>
        entry === name ||
        (selectorKind(entry) === 'ipset' &&
          !seen.has(entry) &&
          includesItself(name, entry, new Set([...seen, entry]))),
    );
  for (const name of Object.keys(ipsets)) {
    if (includesItself(name, name, new Set([name])))
      checker.fault(`ipsets.${name}`, `ipset ${JSON.stringify(name)} includes itself`);
  }
}

function checkTagOwners(checker: Checker, policy: PolicyDocument): void {
  for (const [tag, owners] of Object.entries(policy.tagOwners ?? {})) {
    if (!/^tag:[a-zA-Z0-9-]+$/.test(tag))
      checker.fault(`tagOwners.${tag}`, `invalid tag name ${JSON.stringify(tag)}`);
    owners.forEach((owner, index) => checker.selectorAt('tagOwners', tag, index, owner, 'owner', owner));
  }
}

function checkHosts(checker: Checker, policy: PolicyDocument): void {
  for (const [name, value] of Object.entries(policy.hosts ?? {})) {
    if (selectorKind(name) !== 'host')
      checker.fault(`hosts.${name}`, `invalid host name ${JSON.stringify(name)}`);
    if (parseRange(value) === undefined || value.includes('-')) {
      checker.fault(
        `hosts.${name}`,
        `host ${JSON.stringify(name)}: ${JSON.stringify(value)}: invalid address`,
      );
    }
  }
}

function checkAcls(checker: Checker, policy: PolicyDocument): void {
  (policy.acls ?? []).forEach((acl, index) => {
    const path = `acls[${index}]`;
    if (acl.action !== 'accept')
      checker.fault(`${path}.action`, `action=${JSON.stringify(acl.action)} is not supported`);
    if (acl.proto !== undefined) {
      const proto = parseProtocol(acl.proto);
      if (!proto.ok) checker.fault(`${path}.proto`, proto.error);
    }
    acl.src.forEach((src, i) => checker.selectorAt(path, 'src', i, src, 'src', src));
    const selectors: string[] = [];
    acl.dst.forEach((dst, i) => {
      const split = splitDestination(dst);
      if (split === undefined) {
        checker.fault(`${path}.dst[${i}]`, `dst=${JSON.stringify(dst)}: missing port`);
        return;
      }
      const ports = parsePorts(split.ports);
      if (!ports.ok) {
        checker.fault(`${path}.dst[${i}]`, `dst=${JSON.stringify(dst)}: ${ports.error}`);
        return;
      }
      selectors.push(split.selector);
      checker.selectorAt(path, 'dst', i, split.selector, 'dst', split.selector);
    });
    checker.selfSources(path, acl.src, selectors, true);
  });
}

function checkCapabilityName(checker: Checker, path: string, name: string): void {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+\/\S+$/i.test(name)) {
    checker.fault(path, 'capability name must have the form {domain}/{path}');
  } else if (/^(.*\.)?tailscale\.com\//i.test(name) && !TAILSCALE_APP_CAPS.has(name)) {
    checker.fault(path, 'capability name must not be in the tailscale.com domain');
  }
}

function checkGrants(checker: Checker, policy: PolicyDocument): void {
  // Each distinct `ip` entry parsed once: grants repeat the same few (`tcp:443`).
  const specs = new Map<string, ReturnType<typeof parseIpSpec>>();
  (policy.grants ?? []).forEach((grant, index) => {
    const path = `grants[${index}]`;
    if ((grant.ip ?? []).length === 0 && (grant.app === undefined || Object.keys(grant.app).length === 0)) {
      checker.fault(path, 'ip and app can not both be empty');
    }
    (grant.ip ?? []).forEach((spec, i) => {
      let parsed = specs.get(spec);
      if (parsed === undefined) {
        parsed = parseIpSpec(spec);
        specs.set(spec, parsed);
      }
      if (!parsed.ok) checker.fault(`${path}.ip[${i}]`, parsed.error);
    });
    if (grant.app !== undefined) {
      for (const name of Object.keys(grant.app)) checkCapabilityName(checker, `${path}.app`, name);
    }
    grant.src.forEach((src, i) => checker.selectorAt(path, 'src', i, src, 'src', src));
    grant.dst.forEach((dst, i) => {
      const range = selectorKind(dst) === 'prefix' ? parseRange(dst) : undefined;
      if (range !== undefined && isWholeFamily(range)) {
        checker.fault(
          `${path}.dst[${i}]`,
          `dst ${JSON.stringify(dst)}: to allow all IP addresses, use "*" or "autogroup:internet"`,
        );
        return;
      }
      checker.selectorAt(path, 'dst', i, dst, 'dst', dst);
    });
    (grant.via ?? []).forEach((via, i) => {
      if (selectorKind(via) !== 'tag') checker.fault(`${path}.via[${i}]`, 'via can only be a tag');
      else checker.selector(`${path}.via[${i}]`, via, 'target', via);
    });
    checker.selfSources(path, grant.src, grant.dst, false);
  });
}

function checkAutoApprovers(checker: Checker, policy: PolicyDocument): void {
  const approvers = policy.autoApprovers;
  if (approvers === undefined) return;
  for (const [route, owners] of Object.entries(approvers.routes ?? {})) {
    if (parseRange(route) === undefined)
      checker.fault(`autoApprovers.routes.${route}`, `${JSON.stringify(route)}: invalid prefix`);
    owners.forEach((owner, i) => checker.selectorAt('autoApprovers.routes', route, i, owner, 'owner', owner));
  }
  (approvers.exitNode ?? []).forEach((owner, i) =>
    checker.selector(`autoApprovers.exitNode[${i}]`, owner, 'owner', owner),
  );
  // Keyed by a service's name, or by a tag the service definitions carry.
  for (const [service, owners] of Object.entries(approvers.services ?? {})) {
    const path = `autoApprovers.services.${service}`;
    if (selectorKind(service) === 'tag') checker.selector(path, service, 'owner', service);
    else if (!isServiceName(service))
      checker.fault(path, `${JSON.stringify(service)} is not a valid service name or tag`);
    owners.forEach((owner, i) =>
      checker.selectorAt('autoApprovers.services', service, i, owner, 'owner', owner),
    );
  }
}

function checkNodeAttrs(checker: Checker, policy: PolicyDocument): void {
  (policy.nodeAttrs ?? []).forEach((entry, index) => {
    const path = `nodeAttrs[${index}]`;
    entry.target.forEach((target, i) => {
      if (target === SELF)
        checker.fault(`${path}.target[${i}]`, '"autogroup:self" is not a valid nodeAttrs target');
      else checker.selector(`${path}.target[${i}]`, target, 'target', target);
    });
    for (const pool of entry.ipPool ?? []) {
      const range = parseRange(pool);
      if (range === undefined) checker.fault(`${path}.ipPool`, `IPPool(${pool}): invalid prefix`);
      else if (RESERVED_RANGES.some((reserved) => overlaps(reserved, range))) {
        checker.fault(`${path}.ipPool`, `IPPool(${pool}): network within reserved range`);
      }
    }
  });
}

/** The longest `checkPeriod` the control plane accepts. */
const MAX_CHECK_PERIOD = 168n * 3_600_000_000_000n;

/** SSH destinations name devices by owner or tag: never addresses, and never `*`. */
function checkSshDestination(checker: Checker, path: string, dst: string): void {
  const kind = selectorKind(dst);
  if (kind === 'wildcard') {
    checker.fault(
      path,
      'wildcard (*) is not supported as SSH destination; use autogroup:member, autogroup:tagged or tags',
    );
  } else if (kind === 'host' || kind === 'prefix' || kind === 'ipset' || kind === 'service') {
    checker.fault(path, `invalid dst ${JSON.stringify(dst)}`);
  } else if (kind === 'autogroup' && (AUTOGROUPS as readonly string[]).includes(dst)) {
    if (!['autogroup:member', 'autogroup:tagged', 'autogroup:self'].includes(dst))
      checker.fault(path, `invalid dst ${JSON.stringify(dst)}`);
  } else {
    checker.selector(path, dst, 'dst', dst);
  }
}

/** Tagged devices may not log in to users' devices; a user's devices admit only that user. */
function checkSshPrincipals(
  checker: Checker,
  path: string,
  src: readonly string[],
  dst: readonly string[],
): void {
  const tagged = src.some((selector) => selectorKind(selector) === 'tag' || selector === 'autogroup:tagged');
  for (const target of dst) {
    if (selectorKind(target) === 'user') {
      if (tagged) {
        checker.fault(
          path,
          `tags in SSH source cannot access user-owned devices (${target}); use autogroup:tagged or specific tags as destinations instead`,
        );
      } else if (src.length !== 1 || src[0] !== target) {
        checker.fault(
          path,
          `user destination requires source to contain only that same user ${JSON.stringify(target)}; use autogroup:self instead for same-user SSH access`,
        );
      }
    } else if (target === SELF && tagged) {
      checker.fault(
        path,
        'autogroup:self destination requires source to contain only users or groups, not tags or autogroup:tagged',
      );
    } else if (target === 'autogroup:member' && tagged) {
      checker.fault(path, 'tags in SSH source cannot access autogroup:member (user-owned devices)');
    }
  }
}

function checkSsh(checker: Checker, policy: PolicyDocument): void {
  (policy.ssh ?? []).forEach((rule, index) => {
    const path = `ssh[${index}]`;
    const action: unknown = rule.action;
    if (action === undefined || action === '') checker.fault(`${path}.action`, 'action must be specified');
    else if (action !== 'accept' && action !== 'check')
      checker.fault(`${path}.action`, `${JSON.stringify(action)} is not a valid action`);
    if ((rule.users ?? []).length === 0) checker.fault(`${path}.users`, 'users must be specified');
    (rule.users ?? []).forEach((user, i) => {
      if (user.trim() === '' || user === '*')
        checker.fault(`${path}.users[${i}]`, `user ${JSON.stringify(user)} is not valid`);
    });
    (rule.acceptEnv ?? []).forEach((name, i) => {
      if (name === '') checker.fault(`${path}.acceptEnv[${i}]`, 'acceptEnv values cannot be empty');
    });
    (rule.src ?? []).forEach((src, i) => checker.selector(`${path}.src[${i}]`, src, 'src', src));
    (rule.dst ?? []).forEach((dst, i) => checkSshDestination(checker, `${path}.dst[${i}]`, dst));
    // kb/1246: sessions are streamed to the devices of the `recorder` tags.
    (rule.recorder ?? []).forEach((recorder, i) => {
      if (selectorKind(recorder) !== 'tag')
        checker.fault(`${path}.recorder[${i}]`, `recorder ${JSON.stringify(recorder)} must be a tag`);
      else checker.selector(`${path}.recorder[${i}]`, recorder, 'target', recorder);
    });
    checkSshPrincipals(checker, path, rule.src ?? [], rule.dst ?? []);
    if (rule.checkPeriod === undefined || rule.checkPeriod === 'always') return;
    const period = parseDuration(rule.checkPeriod);
    if (action !== 'check')
      checker.fault(`${path}.checkPeriod`, 'checkPeriod is only valid with action "check"');
    else if (period === undefined)
      checker.fault(
        `${path}.checkPeriod`,
        `checkPeriod ${JSON.stringify(rule.checkPeriod)}: invalid duration`,
      );
    else if (period < 0n)
      checker.fault(
        `${path}.checkPeriod`,
        `checkPeriod ${formatDuration(period)} must be a positive duration`,
      );
    else if (period > MAX_CHECK_PERIOD)
      checker.fault(`${path}.checkPeriod`, `checkPeriod ${formatDuration(period)} is above the max (168h)`);
  });
}

/** An address a test probes: one device address, or a host's. */
type TestAddress = { readonly family: 4 | 6; readonly value: bigint };

/**
 * The devices tests name, found without a scan of the devices per test: by tag, and (untagged
 * devices only) by their owner's email, lower-cased; each list in the context's order.
 */
interface TestDevices {
  readonly context: SelectorContext;
  readonly byTag: ReadonlyMap<string, readonly ResolvedNode[]>;
  readonly byEmail: ReadonlyMap<string, readonly ResolvedNode[]>;
  readonly position: ReadonlyMap<ResolvedNode, number>;
}

function testDevices(context: SelectorContext): TestDevices {
  const byTag = new Map<string, ResolvedNode[]>();
  const byEmail = new Map<string, ResolvedNode[]>();
  const position = new Map<ResolvedNode, number>();
  const add = (map: Map<string, ResolvedNode[]>, key: string, node: ResolvedNode): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [node]);
    else if (list.at(-1) !== node) list.push(node);
  };
  context.nodes.forEach((node, i) => {
    position.set(node, i);
    for (const tag of node.node.tags) add(byTag, tag, node);
    if (!node.tagged && node.email !== undefined) add(byEmail, node.email.toLowerCase(), node);
  });
  return { context, byTag, byEmail, position };
}

function probes(nodes: readonly ResolvedNode[]): TestAddress[] {
  return nodes.flatMap((node) =>
    node.addresses.map((range) => ({ family: range.family, value: range.first })),
  );
}

/**
 * The addresses a test's `src` stands for: a tag's devices, the untagged devices of a user (or of
 * a group's users), matched by email in any case, or a host's single address.
 */
function testSourceAddresses(devices: TestDevices, src: string): readonly TestAddress[] {
  const kind = selectorKind(src);
  if (kind !== 'user' && kind !== 'group' && kind !== 'tag' && kind !== 'host') return [];
  if (kind === 'host') {
    const value = devices.context.policy.hosts?.[src];
    const address = value === undefined ? undefined : parseAddress(value);
    return address === undefined ? [] : [address];
  }
  if (kind === 'tag') return probes(devices.byTag.get(src) ?? []);
  const users = kind === 'user' ? [src] : (devices.context.policy.groups?.[src] ?? []);
  const owned = new Set(users.flatMap((user) => devices.byEmail.get(user.toLowerCase()) ?? []));
  return probes([...owned].sort((a, b) => devices.position.get(a)! - devices.position.get(b)!));
}

/** Test destinations the control plane can evaluate: one port on a tag's devices, a host, or an IP. */
function testDestination(
  devices: TestDevices,
  text: string,
): { readonly addresses: readonly TestAddress[]; readonly port: number } | string {
  const split = splitDestination(text);
  if (split === undefined) return 'missing port';
  if (!/^\d+$/.test(split.ports) || Number(split.ports) > 65535)
    return `port ${JSON.stringify(split.ports)} must be a single port`;
  const port = Number(split.ports);
  const kind = selectorKind(split.selector);
  if (kind === 'tag') {
    const addresses = probes(devices.byTag.get(split.selector) ?? []);
    return addresses.length === 0 ? `no device has ${split.selector}` : { addresses, port };
  }
  const { policy } = devices.context;
  const literal =
    kind === 'host' ? policy.hosts?.[split.selector] : kind === 'prefix' ? split.selector : undefined;
  const address = literal === undefined ? undefined : parseAddress(literal);
  if (address === undefined) return `${JSON.stringify(split.selector)} is not a tag, host or single IP`;
  return { addresses: [address], port };
}

/**
 * The matches a test runs against. A test's source is assumed to have its `srcPostureAttrs` (none
 * when it gives none), not the topology devices' own attributes, so a policy with postures is
 * compiled once per distinct set of attributes, every device given them.
 */
function testMatches(
  policy: PolicyDocument,
  topology: Topology,
  context: SelectorContext,
): (attributes: PostureAttributes | undefined) => readonly CompiledMatch[] {
  if (!usesPostures(policy)) {
    const plain = compileMatches(context);
    return () => plain;
  }
  const approved = approveRoutes(policy, topology);
  const byAttributes = new Map<string, readonly CompiledMatch[]>();
  return (attributes = {}) => {
    const key = JSON.stringify(sortedRecord(attributes));
    let matches = byAttributes.get(key);
    if (matches === undefined) {
      matches = compileMatches(
        selectorContext(policy, withPostureAttributes(topology, attributes), approved),
      );
      byAttributes.set(key, matches);
    }
    return matches;
  };
}

function checkTests(checker: Checker, policy: PolicyDocument, topology: Topology | undefined): void {
  const context =
    topology === undefined ? undefined : selectorContext(policy, topology, approveRoutes(policy, topology));
  const devices = context === undefined ? undefined : testDevices(context);
  const matchesFor =
    topology === undefined || context === undefined ? undefined : testMatches(policy, topology, context);
  (policy.tests ?? []).forEach((test, index) => {
    const path = `tests[${index}]`;
    const fail = (reason: string): void => checker.fault(path, `test(s) failed: ${reason}`);
    if (typeof test.src !== 'string' || test.src === '') return fail('`src` is required');
    if (test.accept === undefined && test.deny === undefined)
      return fail('one of `accept` or `deny` is required');
    const proto = parseProtocol(test.proto ?? 'tcp');
    if (!proto.ok) return fail(proto.error);
    const entries = [
      ...(test.accept ?? []).map((dst) => ({ dst, want: true })),
      ...(test.deny ?? []).map((dst) => ({ dst, want: false })),
    ];
    for (const { dst } of entries) {
      const target = devices === undefined ? undefined : testDestination(devices, dst);
      if (typeof target === 'string') return fail(`${JSON.stringify(dst)}: ${target}`);
    }
    if (devices === undefined) return undefined;
    const sources = testSourceAddresses(devices, test.src);
    if (sources.length === 0) return fail(`src ${JSON.stringify(test.src)} names no device`);
    const matches = matchesFor?.(test.srcPostureAttrs) ?? [];
    for (const { dst, want } of entries) {
      const target = testDestination(devices, dst);
      if (typeof target === 'string') return fail(target);
      const allowed = target.addresses.some((address) =>
        sources.some(
          (source) =>
            source.family === address.family &&
            proto.value.some(
              (number) =>
                admittingMatch(matches, {
                  src: { family: source.family, first: source.value, last: source.value },
                  dst: { family: address.family, first: address.value, last: address.value },
                  proto: number,
                  port: target.port,
                }) !== undefined,
            ),
        ),
      );
      if (allowed !== want) return fail(`${test.src} ${want ? 'cannot' : 'can'} reach ${dst}`);
    }
    return undefined;
  });
}

/**
 * Checks a policy (a {@link PolicyDocument}, or any parsed JSON) the way Tailscale's control plane
 * does on a write.
 *
 * Any value gets a verdict: field names match case-insensitively and legacy forms are read as their
 * current ones (kb/1337), and a value of the wrong shape is a fault naming its path. Rejects
 * undeclared tags, groups (but SCIM-synced `group:name@domain`), hosts and postures, groups naming
 * groups, bad ports, protocols and posture conditions, unknown keys, bad capability names,
 * `autogroup:self` misuse, `0.0.0.0/0` as a grant destination, SSH rules the control plane refuses,
 * and `tests` and `sshTests` that fail.
 * Tests are evaluated against `topology` when it is given (the control plane evaluates them
 * against the tailnet's devices); without it only their shape is checked.
 *
 * @example
 * const verdict = validatePolicy({ acls: [{ action: 'accept', src: ['tag:a'], dst: ['*:*'] }] });
 * // { ok: false, errors: [{ path: 'acls[0].src[0]', message: 'src=tag not found: "tag:a"' }] }
 */
export function validatePolicy(input: unknown, topology?: Topology): PolicyVerdict {
  const { document: policy, faults } = normalizePolicy(input);
  const checker = new Checker(policy);
  checker.faults.push(...faults);
  checkGroups(checker, policy);
  checkIpsets(checker, policy);
  checkTagOwners(checker, policy);
  checkHosts(checker, policy);
  checkAcls(checker, policy);
  checkGrants(checker, policy);
  checkAutoApprovers(checker, policy);
  checkNodeAttrs(checker, policy);
  checkSsh(checker, policy);
  checker.faults.push(...postureFaults(policy), ...sshTestShapeFaults(policy));
  if (checker.faults.length === 0) checkTests(checker, policy, topology);
  if (checker.faults.length === 0 && topology !== undefined)
    checker.faults.push(...sshTestFailures(policy, topology));
  return checker.faults.length === 0 ? { ok: true } : { ok: false, errors: checker.faults };
}
