import { compareStrings } from '@tailkube/policy/internal';
import type { PolicyDocument, PolicyTest } from '@tailkube/policy';
import { parseAddress } from '@tailkube/policy/internal';
import { selectorKind } from '@tailkube/policy/internal';
import type { Topology } from '@tailkube/policy';
import type { AccessIntent, TailnetRequirements } from '../tailnet/requirements';

/** A policy `tests` entry derived from one construct's intended access. */
export interface DerivedPolicyTest {
  /** The construct whose intents the test asserts. */
  readonly source: string;
  readonly test: PolicyTest;
}

/** An intended access that no policy test can express, and why. */
export interface SkippedPolicyTest {
  readonly source: string;
  readonly intent: AccessIntent;
  readonly reason: string;
}

/** The policy tests derived from a program's intended access. */
export interface DerivedPolicyTests {
  readonly tests: readonly DerivedPolicyTest[];
  readonly skipped: readonly SkippedPolicyTest[];
}

/** Whether a host alias stands for exactly one address (the control plane tests no CIDR). */
function singleAddressHost(policy: PolicyDocument, name: string): boolean {
  const value = policy.hosts?.[name];
  return value !== undefined && parseAddress(value) !== undefined;
}

/**
 * Who has a device in the topology, gathered once: the tags devices carry, and the users (by email,
 * lower-cased) owning an untagged one. Every intent asks, so a scan of the devices per intent
 * would grow with intents × devices.
 */
interface DeviceHolders {
  readonly tags: ReadonlySet<string>;
  readonly emails: ReadonlySet<string>;
}

function deviceHolders(topology: Topology): DeviceHolders {
  const tags = new Set<string>();
  const owners = new Set<string>();
  for (const node of Object.values(topology.nodes)) {
    for (const tag of node.tags) tags.add(tag);
    if (node.tags.length === 0 && node.user !== undefined) owners.add(node.user);
  }
  const emails = new Set(
    topology.users.filter((user) => owners.has(user.name)).map((user) => user.email.toLowerCase()),
  );
  return { tags, emails };
}

/** Whether the topology has a device the principal stands for: a test naming none fails the write. */
function hasDevice(policy: PolicyDocument, holders: DeviceHolders, principal: string): boolean {
  const kind = selectorKind(principal);
  if (kind === 'tag') return holders.tags.has(principal);
  const emails = kind === 'group' ? (policy.groups?.[principal] ?? []) : [principal];
  return emails.some((email) => holders.emails.has(email.toLowerCase()));
}

/** Why the control plane could not take `intent.src` as a test's `src`, or undefined when it can. */
function sourceFault(policy: PolicyDocument, holders: DeviceHolders, src: string): string | undefined {
  const kind = selectorKind(src);
  if (kind === 'host')
    return singleAddressHost(policy, src) ? undefined : `host ${src} is not a single address`;
  if (kind !== 'user' && kind !== 'group' && kind !== 'tag')
    return `a test's src must be a user, group, tag or host, not ${JSON.stringify(src)}`;
  return hasDevice(policy, holders, src) ? undefined : `${src} has no device yet`;
}

/** The test target `dst:port`, or why the control plane could not take `dst` as one. */
function target(
  policy: PolicyDocument,
  holders: DeviceHolders,
  dst: string,
  port: number,
): { readonly text: string } | { readonly fault: string } {
  const kind = selectorKind(dst);
  if (kind === 'tag') {
    return hasDevice(policy, holders, dst)
      ? { text: `${dst}:${port}` }
      : { fault: `${dst} has no device yet` };
  }
  if (kind === 'host') {
    return singleAddressHost(policy, dst)
      ? { text: `${dst}:${port}` }
      : { fault: `host ${dst} is not a single address` };
  }
  const address = kind === 'prefix' ? parseAddress(dst) : undefined;
  if (address !== undefined) return { text: address.family === 6 ? `[${dst}]:${port}` : `${dst}:${port}` };
  if (kind === 'service') return { fault: 'policy tests cannot target a Tailscale Service (svc:)' };
  if (kind === 'prefix') return { fault: 'policy tests cannot target a CIDR, only a single IP' };
  return { fault: `a test target must be a tag, host or IP, not ${JSON.stringify(dst)}` };
}

/**
 * Policy `tests` asserting the program's intended access, in the only shapes the control plane
 * accepts: `src` a user, group, tag or single-address host; each `accept`/`deny` target one port on
 * a tag, a single-address host or an IP. One test per construct, source and protocol (`proto` set
 * for UDP); intents outside those shapes (autogroups, `svc:`, CIDRs) or naming a principal with no
 * device in `topology` are skipped with the reason.
 */
export function derivePolicyTests(
  requirements: readonly TailnetRequirements[],
  policy: PolicyDocument,
  topology: Topology,
): DerivedPolicyTests {
  const tests: DerivedPolicyTest[] = [];
  const skipped: SkippedPolicyTest[] = [];
  const holders = deviceHolders(topology);
  for (const req of requirements) {
    // One test per source and protocol: a test's `proto` covers all its targets.
    const bySource = new Map<
      string,
      { src: string; proto?: 'udp'; accept: Set<string>; deny: Set<string> }
    >();
    for (const intent of req.intendedAccess ?? []) {
      const fault = sourceFault(policy, holders, intent.src);
      const to = fault === undefined ? target(policy, holders, intent.dst, intent.port) : { fault };
      if ('fault' in to) {
        skipped.push({ source: req.source, intent, reason: to.fault });
        continue;
      }
      const key = `${intent.src}\u0000${intent.proto ?? 'tcp'}`;
      const lists = bySource.get(key) ?? {
        src: intent.src,
        ...(intent.proto === 'udp' && { proto: 'udp' }),
        accept: new Set<string>(),
        deny: new Set<string>(),
      };
      (intent.expect === 'allow' ? lists.accept : lists.deny).add(to.text);
      bySource.set(key, lists);
    }
    for (const key of [...bySource.keys()].sort(compareStrings)) {
      const { src, proto, accept, deny } = bySource.get(key)!;
      tests.push({
        source: req.source,
        test: {
          src,
          ...(proto && { proto }),
          ...(accept.size > 0 && { accept: [...accept].sort(compareStrings) }),
          ...(deny.size > 0 && { deny: [...deny].sort(compareStrings) }),
        },
      });
    }
  }
  return { tests, skipped };
}
