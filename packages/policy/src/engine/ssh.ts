import type { PolicyDocument, SshRule } from '../document';
import { policyDocument } from '../normalize';
import { compareStrings, sortedRecord } from '../order';
import { formatAddress, type AddressRange } from './addresses';
import { nodesMatching, selectorContext, type ResolvedNode, type SelectorContext } from './selectors';
import type { Topology } from './topology';

/** Who an SSH rule admits: a source device, by one of its addresses (`tailcfg.SSHPrincipal`). */
export interface SshPrincipal {
  readonly nodeIP: string;
}

/**
 * What the device does with a connection an SSH rule admits (`tailcfg.SSHAction`): accept it, or
 * hold it and ask the control plane (`check`: the user re-authenticates every check period).
 */
export interface SshAction {
  readonly accept?: true;
  readonly holdAndDelegate?: string;
  readonly allowAgentForwarding?: true;
  readonly allowLocalPortForwarding?: true;
  readonly allowRemotePortForwarding?: true;
}

/** One rule of a device's SSH policy, in the netmap's `tailcfg.SSHRule` shape. */
export interface SshPolicyRule {
  readonly principals: readonly SshPrincipal[];
  /**
   * Requested login user → local user: `=` logs in as the requested user, `""` refuses it; `*`
   * stands for any user not listed.
   */
  readonly sshUsers: Readonly<Record<string, string>>;
  readonly action: SshAction;
  readonly acceptEnv?: readonly string[];
}

/** The SSH policy a device receives (`tailcfg.SSHPolicy`, the netmap's `ssh_policy`). */
export interface SshPolicy {
  readonly rules: readonly SshPolicyRule[];
}

/** A compiled rule with the `ssh` entry it came from. */
export interface SshRuleOrigin {
  readonly rule: SshPolicyRule;
  /** The index of the `ssh` entry. */
  readonly index: number;
}

/** `accept`: the device lets the session in at once, with forwarding allowed. */
const ACCEPT: SshAction = {
  accept: true,
  allowAgentForwarding: true,
  allowLocalPortForwarding: true,
  allowRemotePortForwarding: true,
};

/**
 * `check`: the device holds the session and asks the control plane, which makes the user
 * re-authenticate (the client fills in the `$…` placeholders). The recorded netmaps show this path
 * with the server's host replaced; the host here is Tailscale's control server.
 */
const CHECK: SshAction = {
  holdAndDelegate:
    'https://login.tailscale.com/machine/ssh/action/$SRC_NODE_ID/to/$DST_NODE_ID?local_user=$LOCAL_USER',
};

const SELF = 'autogroup:self';
const NONROOT = 'autogroup:nonroot';
const LOCALPART = /^localpart:\*@(.+)$/;

/** The `sshUsers` map of a rule's `users`: root is always listed, allowed or refused. */
function sshUsers(users: readonly string[]): Readonly<Record<string, string>> {
  const map: Record<string, string> = { root: users.includes('root') ? 'root' : '' };
  if (users.includes(NONROOT)) map['*'] = '=';
  for (const user of users) {
    if (user !== 'root' && user !== NONROOT && !LOCALPART.test(user)) map[user] = user;
  }
  return sortedRecord(map);
}

/**
 * The local user a rule's `sshUsers` logs `user` in as, as the client maps it (`tailssh`): the
 * user's own entry, else `*`; `=` is the user itself, `""` (or no entry) refuses.
 */
function localUser(map: Readonly<Record<string, string>>, user: string): string | undefined {
  const mapped = Object.hasOwn(map, user) ? map[user] : map['*'];
  if (mapped === undefined || mapped === '' || user === '') return undefined;
  return mapped === '=' ? user : mapped;
}

/**
 * The rules, in order, that let a source with one of the principal addresses `ips` log in as
 * `user`; the client takes the first.
 */
export function rulesAdmitting(
  rules: readonly SshRuleOrigin[],
  ips: ReadonlySet<string>,
  user: string,
): SshRuleOrigin[] {
  return rules.filter(
    ({ rule }) =>
      rule.principals.some((principal) => ips.has(principal.nodeIP)) &&
      localUser(rule.sshUsers, user) !== undefined,
  );
}

function addressOrder(a: AddressRange, b: AddressRange): number {
  return a.family !== b.family ? a.family - b.family : a.first < b.first ? -1 : a.first > b.first ? 1 : 0;
}

function principals(nodes: readonly ResolvedNode[]): SshPrincipal[] {
  return nodes
    .flatMap((node) => node.addresses)
    .sort(addressOrder)
    .map((range) => ({ nodeIP: formatAddress(range.family, range.first) }));
}

/** The devices the selectors name, once each, in topology order. */
function devices(context: SelectorContext, selectors: readonly string[]): ResolvedNode[] {
  const named = new Set(selectors.flatMap((selector) => nodesMatching(context, selector)));
  return context.nodes.filter((node) => named.has(node));
}

/** The rules one `ssh` entry gives device `node`, in the control plane's order. */
function rulesFrom(context: SelectorContext, entry: SshRule, node: ResolvedNode): SshPolicyRule[] {
  const action = entry.action === 'accept' ? ACCEPT : entry.action === 'check' ? CHECK : undefined;
  const sources = devices(context, entry.src);
  if (action === undefined || sources.length === 0) return [];
  const base = {
    sshUsers: sshUsers(entry.users),
    action,
    ...(entry.acceptEnv === undefined ? {} : { acceptEnv: entry.acceptEnv }),
  };
  const domains = entry.users.flatMap((user) => LOCALPART.exec(user)?.[1]?.toLowerCase() ?? []);
  // `localpart:*@domain` logs each user of the domain in as their email's local part: one extra rule
  // per source user, after that user's common rule.
  const forOwner = (owned: readonly ResolvedNode[], email: string | undefined): SshPolicyRule[] => {
    const common = { principals: principals(owned), ...base };
    const at = email?.lastIndexOf('@') ?? -1;
    if (email === undefined || !domains.includes(email.slice(at + 1).toLowerCase())) return [common];
    const name = email.slice(0, at);
    return [common, { ...common, sshUsers: { [name]: name } }];
  };
  const rules: SshPolicyRule[] = [];
  if (entry.dst.includes(SELF) && !node.tagged && node.node.user !== undefined) {
    const owned = sources.filter((source) => !source.tagged && source.node.user === node.node.user);
    if (owned.length > 0) rules.push(...forOwner(owned, node.email));
  }
  const others = entry.dst.filter((selector) => selector !== SELF);
  if (!devices(context, others).includes(node)) return rules;
  if (domains.length === 0) return [...rules, { principals: principals(sources), ...base }];
  const owners = [...new Set(sources.filter((source) => !source.tagged).map((source) => source.node.user))];
  const byId = [...context.topology.users].sort((a, b) => a.id - b.id);
  for (const owner of byId.filter((user) => owners.includes(user.name))) {
    rules.push(
      ...forOwner(
        sources.filter((source) => !source.tagged && source.node.user === owner.name),
        owner.email,
      ),
    );
  }
  const tagged = sources.filter((source) => source.tagged);
  if (tagged.length > 0) rules.push({ principals: principals(tagged), ...base });
  return rules;
}

/**
 * Compiles the `ssh` section into the rules each device receives, with the entry each came from:
 * the entries in order, `check` rules before `accept` rules (the client takes the first rule that
 * admits a connection).
 */
export function compileSshRules(context: SelectorContext): Record<string, readonly SshRuleOrigin[]> {
  const result: Record<string, readonly SshRuleOrigin[]> = {};
  for (const node of context.nodes) {
    const rules = (context.policy.ssh ?? []).flatMap((entry, index) =>
      rulesFrom(context, entry, node).map((rule) => ({ rule, index })),
    );
    const checkFirst = (origin: SshRuleOrigin): number => (origin.rule.action.holdAndDelegate ? 0 : 1);
    result[node.name] = [...rules].sort((a, b) => checkFirst(a) - checkFirst(b));
  }
  return result;
}

/**
 * The SSH policy each device receives (`tailcfg.SSHPolicy`, the netmap's `ssh_policy`): for each
 * `ssh` entry naming the device in `dst` (or, for `autogroup:self`, owning it), a rule admitting
 * the `src` devices' addresses as the `users`. A device no rule names gets `{ rules: [] }`.
 *
 * @example
 * compileSshPolicies(policy, topology).server
 * // { rules: [{ principals: [{ nodeIP: '100.64.0.1' }, …], sshUsers: { '*': '=', root: '' }, action: { accept: true, … } }] }
 */
export function compileSshPolicies(policy: PolicyDocument, topology: Topology): Record<string, SshPolicy> {
  const compiled = compileSshRules(selectorContext(policyDocument(policy), topology, {}));
  const result: Record<string, SshPolicy> = {};
  for (const name of Object.keys(compiled).sort(compareStrings)) {
    result[name] = { rules: (compiled[name] ?? []).map((origin) => origin.rule) };
  }
  return result;
}
