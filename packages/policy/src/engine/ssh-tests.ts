import type { PolicyDocument, SshTest } from '../document';
import { covers, formatAddress, parseRange, type AddressRange } from './addresses';
import {
  addressRanges,
  nodesMatching,
  selectorContext,
  selectorKind,
  type ResolvedNode,
  type SelectorContext,
} from './selectors';
import { compileSshRules, rulesAdmitting, type SshRuleOrigin } from './ssh';
import type { Topology } from './topology';
import type { PolicyFault } from './fault';

/** Autogroups an SSH test may name as a destination. */
const TEST_DESTINATION_AUTOGROUPS: ReadonlySet<string> = new Set([
  'autogroup:member',
  'autogroup:tagged',
  'autogroup:self',
]);

/**
 * Why an `sshTests` destination cannot name a device, as the control plane words it; `undefined`
 * when it can. A `:port` suffix makes `tag:web:22` an unknown tag.
 */
function destinationFault(policy: PolicyDocument, dst: string): string | undefined {
  const kind = selectorKind(dst);
  if (kind === 'tag') {
    return policy.tagOwners?.[dst] === undefined
      ? `SSH tests dst contains unknown tag ${JSON.stringify(dst)}`
      : undefined;
  }
  const disallowed = `SSH tests dst contains disallowed element ${JSON.stringify(dst)}`;
  if (kind === 'autogroup') return TEST_DESTINATION_AUTOGROUPS.has(dst) ? undefined : disallowed;
  const literal = kind === 'host' ? policy.hosts?.[dst] : kind === 'prefix' ? dst : undefined;
  const range = literal === undefined ? undefined : parseRange(literal);
  if (range !== undefined && range.first !== range.last) return disallowed;
  return kind === 'invalid' || kind === 'service' || kind === 'ipset' ? disallowed : undefined;
}

/**
 * The shape faults of the `sshTests` section, found without a topology: destinations that cannot name one device (a `:port` suffix, a CIDR, `autogroup:internet`).
 */
export function sshTestShapeFaults(policy: PolicyDocument): PolicyFault[] {
  const faults: PolicyFault[] = [];
  (policy.sshTests ?? []).forEach((test, index) => {
    const path = `sshTests[${index}]`;
    (test.dst ?? []).forEach((dst, i) => {
      const message = destinationFault(policy, dst);
      if (message !== undefined) faults.push({ path: `${path}.dst[${i}]`, message });
    });
  });
  return faults;
}

/** The source of a test: its addresses, and its user when it names one (for `autogroup:self`). */
interface TestSource {
  readonly addresses: readonly AddressRange[];
  readonly user: string | undefined;
}

function testSource(context: SelectorContext, src: string): TestSource {
  const kind = selectorKind(src);
  if (kind === 'prefix' || kind === 'host') {
    return {
      addresses: addressRanges(context, src).filter((range) => range.first === range.last),
      user: undefined,
    };
  }
  const nodes = nodesMatching(context, src);
  const owner = kind === 'user' ? nodes.find((node) => !node.tagged)?.node.user : undefined;
  return { addresses: nodes.flatMap((node) => node.addresses), user: owner };
}

function testDestinations(
  context: SelectorContext,
  dst: string,
  source: TestSource,
): readonly ResolvedNode[] {
  if (dst === 'autogroup:self') {
    return context.nodes.filter(
      (node) => !node.tagged && source.user !== undefined && node.node.user === source.user,
    );
  }
  const kind = selectorKind(dst);
  if (kind !== 'prefix' && kind !== 'host') return nodesMatching(context, dst);
  const ranges = addressRanges(context, dst);
  return context.nodes.filter((node) =>
    node.addresses.some((address) => ranges.some((range) => covers(range, address))),
  );
}

/** Which rules of a device admit `address` as `user`: any at all, and any `check` rule. */
function reach(
  rules: readonly SshRuleOrigin[],
  address: AddressRange,
  user: string,
): { any: boolean; check: boolean } {
  const admitting = rulesAdmitting(rules, new Set([formatAddress(address.family, address.first)]), user);
  return {
    any: admitting.length > 0,
    check: admitting.some(({ rule }) => rule.action.holdAndDelegate !== undefined),
  };
}

/** Why one SSH test fails, or `undefined` when it passes. */
function testFailure(
  context: SelectorContext,
  rules: Readonly<Record<string, readonly SshRuleOrigin[]>>,
  test: SshTest,
): string | undefined {
  if (typeof test.src !== 'string' || test.src.trim() === '') return '`src` is required';
  if ((test.dst ?? []).length === 0) return '`dst` is required';
  const assertions = [
    ...(test.accept ?? []).map((user) => ({ user, want: 'accept' as const })),
    ...(test.check ?? []).map((user) => ({ user, want: 'check' as const })),
    ...(test.deny ?? []).map((user) => ({ user, want: 'deny' as const })),
  ];
  if (assertions.length === 0) return 'one of `accept`, `check` or `deny` is required';
  const source = testSource(context, test.src);
  if (source.addresses.length === 0) return `src ${JSON.stringify(test.src)} names no device`;
  for (const dst of test.dst) {
    // The control plane accepts an IPv6 literal here but its test engine fails it.
    if (selectorKind(dst) === 'prefix' && parseRange(dst)?.family === 6)
      return `${JSON.stringify(dst)}: not a valid SSH test destination`;
    const targets = testDestinations(context, dst, source);
    if (targets.length === 0) return `dst ${JSON.stringify(dst)} names no device`;
    for (const target of targets) {
      for (const { user, want } of assertions) {
        if (user === '') return 'a login user is empty';
        // Every source address must agree: one that is let in fails `deny`, one that is not fails `accept`.
        for (const address of source.addresses) {
          const reached = reach(rules[target.name] ?? [], address, user);
          if (want === 'deny' && reached.any) return `${test.src} can log in to ${target.name} as ${user}`;
          if (want === 'accept' && !reached.any)
            return `${test.src} cannot log in to ${target.name} as ${user}`;
          if (want === 'check' && !reached.check)
            return `${test.src} ${reached.any ? 'logs in without a check' : 'cannot log in'} to ${target.name} as ${user}`;
        }
      }
    }
  }
  return undefined;
}

/**
 * Runs the `sshTests` against the SSH policy each device of `topology` receives, as the control
 * plane does on a write: `accept` users must be let in (by an `accept` or `check` rule) from every
 * address of `src` to every device of `dst`, `check` users by a `check` rule, `deny` users not at all.
 * A failing test rejects the write with `test(s) failed`.
 */
export function sshTestFailures(policy: PolicyDocument, topology: Topology): PolicyFault[] {
  const tests = policy.sshTests ?? [];
  if (tests.length === 0) return [];
  const context = selectorContext(policy, topology, {});
  const rules = compileSshRules(context);
  return tests.flatMap((test, index) => {
    const reason = testFailure(context, rules, test);
    return reason === undefined ? [] : [{ path: `sshTests[${index}]`, message: `test(s) failed: ${reason}` }];
  });
}
