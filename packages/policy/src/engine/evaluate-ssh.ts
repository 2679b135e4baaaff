import type { PolicyDocument } from '../document';
import { policyDocument } from '../normalize';
import { formatAddress } from './addresses';
import { deriveTopology } from './derive-topology';
import { nodesMatching, selectorContext, type ResolvedNode } from './selectors';
import { compileSshRules, rulesAdmitting, type SshRuleOrigin } from './ssh';
import type { Topology } from './topology';

/** The question "may `from` log in to `to` as `user` with Tailscale SSH". */
export interface SshQuery {
  /** Who connects: a user, group, tag, `autogroup:member`/`autogroup:tagged`, host or IP. */
  readonly from: string;
  /** The devices logged in to: a user's, a tag's, `autogroup:member`/`autogroup:tagged`, a host or IP. */
  readonly to: string;
  /** The local user to log in as, such as `root` or `ubuntu`. */
  readonly user: string;
}

/** The answer to an {@link SshQuery}, with its reason. */
export interface SshAnswer {
  readonly allowed: boolean;
  /**
   * `check` when any connection must re-authenticate (a `check` rule decides it), `accept` when
   * every one is let in at once; `undefined` when not allowed.
   */
  readonly action: 'accept' | 'check' | undefined;
  /**
   * How long a `check` stays valid (the deciding rule's `checkPeriod`).
   *
   * @default - absent unless `action` is `check`
   */
  readonly checkPeriod?: string;
  /** Why, in words: the `ssh` entry that decided it, or that none did. */
  readonly explanation: string;
  /** The indexes of the `ssh` entries that let the connections in. */
  readonly rules: readonly number[];
}

/** SSH rules per device by policy and topology object, so repeated questions compile once. */
const compiledCache = new WeakMap<
  PolicyDocument,
  WeakMap<Topology, Record<string, readonly SshRuleOrigin[]>>
>();

function compiledFor(policy: PolicyDocument, topology: Topology): Record<string, readonly SshRuleOrigin[]> {
  let byTopology = compiledCache.get(policy);
  if (byTopology === undefined) {
    byTopology = new WeakMap();
    compiledCache.set(policy, byTopology);
  }
  let rules = byTopology.get(topology);
  if (rules === undefined) {
    rules = compileSshRules(selectorContext(policy, topology, {}));
    byTopology.set(topology, rules);
  }
  return rules;
}

function describe(policy: PolicyDocument, index: number): string {
  const entry = policy.ssh?.[index];
  return `ssh[${index}] ${JSON.stringify({ src: entry?.src, dst: entry?.dst, users: entry?.users })}`;
}

/** A source device's addresses as SSH principals name them (`nodeIP`). */
function principalIps(source: ResolvedNode): ReadonlySet<string> {
  return new Set(source.addresses.map((range) => formatAddress(range.family, range.first)));
}

/**
 * Answers "may `from` log in to `to` as `user`" with Tailscale SSH, from the SSH policy each
 * destination device receives, as `sshTests` do: every device `from` names must be let in to every
 * device `to` names. The client takes the first rule that admits the source and user (`check` rules
 * come first). The connection also needs the packet filter to let it reach port 22: ask
 * {@link canConnect} for that. Without a topology, one is derived from the policy.
 *
 * @example
 * canSsh(policy, topology, { from: 'group:eng', to: 'tag:prod', user: 'root' });
 * // { allowed: true, action: 'check', checkPeriod: '12h', explanation: 'check by ssh[0] {…}', rules: [0] }
 */
export function canSsh(input: PolicyDocument, topology: Topology | undefined, query: SshQuery): SshAnswer {
  const policy = policyDocument(input);
  const entries = policy.ssh ?? [];
  const devicesOf =
    topology ??
    deriveTopology(policy, [
      query.from,
      query.to,
      ...entries.flatMap((entry) => [...entry.src, ...entry.dst]),
    ]);
  const context = selectorContext(policy, devicesOf, {});
  const deny = (explanation: string): SshAnswer => ({
    allowed: false,
    action: undefined,
    explanation,
    rules: [],
  });
  const sources = nodesMatching(context, query.from);
  if (sources.length === 0) return deny(`${query.from} names no device`);
  const targets = nodesMatching(context, query.to);
  if (targets.length === 0) return deny(`${query.to} names no device`);
  const compiled = compiledFor(policy, devicesOf);
  const decided: SshRuleOrigin[] = [];
  for (const source of sources) {
    for (const target of targets) {
      const rules = compiled[target.name] ?? [];
      const [rule] = rulesAdmitting(rules, principalIps(source), query.user);
      if (rule === undefined) {
        const ips = principalIps(source);
        const near = rules.find(({ rule: candidate }) =>
          candidate.principals.some((principal) => ips.has(principal.nodeIP)),
        );
        const hint =
          near === undefined
            ? ''
            : `; ${describe(policy, near.index)} lets ${source.name} in, but not as ${query.user}`;
        return deny(
          `no ssh rule lets ${source.name} (${query.from}) log in to ${target.name} (${query.to}) as ${query.user}${hint}`,
        );
      }
      decided.push(rule);
    }
  }
  const indexes = [...new Set(decided.map((origin) => origin.index))];
  const check = decided.find((origin) => origin.rule.action.holdAndDelegate !== undefined);
  const by = indexes.map((index) => describe(policy, index)).join(' and ');
  if (check === undefined)
    return { allowed: true, action: 'accept', explanation: `accepted by ${by}`, rules: indexes };
  const checkPeriod = entries[check.index]?.checkPeriod ?? '12h';
  return {
    allowed: true,
    action: 'check',
    checkPeriod,
    explanation: `allowed after a check (re-authentication every ${checkPeriod}) by ${by}`,
    rules: indexes,
  };
}
