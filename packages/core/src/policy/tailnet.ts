import { ValidationError } from '../errors';
import { compareStrings, sortedRecord } from '../order';
import { deriveTopology } from './engine/derive-topology';
import { canConnect, capabilitiesAt } from './engine/evaluate';
import type { Topology } from './engine/topology';
import { validatePolicy } from './engine/validate';
import {
  canonical,
  parseBasePolicy,
  renderPolicy,
  type BasePolicy,
  type GeneratedEntry,
  type RenderedPolicy,
} from './merge';
import {
  OAUTH_SCOPES,
  type AccessIntent,
  type CredentialsRequirement,
  type OAuthScope,
  type TailnetRequirements,
} from './requirements';

/** Settings of one program's tailnet. */
export interface TailnetModelProps {
  /**
   * The tailnet policy the program starts from, as HuJSON text. Its comments and entries are kept;
   * tailkube adds what the program needs.
   *
   * @default - a new policy holding only what the program needs
   */
  readonly basePolicy?: string;
}

/** The OAuth client (or federated identity) the operator authenticates with. */
export interface OperatorClientRequirement {
  /** Scopes, least first. */
  readonly scopes: readonly OAuthScope[];
  /** Tags the client may assign: the operator's own. */
  readonly tags: readonly string[];
  /** How the credentials reach the operator. */
  readonly credentials: CredentialsRequirement;
  /** The operator's namespace. */
  readonly namespace: string;
}

/** What the tailnet must provide, written to `tailnet-requirements.json`. */
export interface TailnetReport {
  /** The operator's client, when the program declares an operator. */
  readonly operator?: OperatorClientRequirement;
  /** Every tag the program uses, with its owners. */
  readonly tagOwners: Readonly<Record<string, readonly string[]>>;
  /** Every device hostname the program asks for. */
  readonly hostnames: readonly string[];
  /** Access the program means to give or withhold. */
  readonly intendedAccess: readonly AccessIntent[];
  /** Policy entries tailkube added to the base, by section. */
  readonly policyEntriesAdded: Readonly<Record<string, number>>;
}

/** The tailnet side of a program, rendered once. */
export interface TailnetSynthesis extends RenderedPolicy {
  readonly report: TailnetReport;
  /** What each construct registered, by source: how tests find a construct's tags and services. */
  readonly requirements: readonly TailnetRequirements[];
}

/**
 * Collects what every construct of one program needs from the tailnet, checks it as a whole and
 * renders one policy. Framework-free: each flavor's `Tailnet` wraps one.
 */
export class TailnetModel {
  readonly #path: string;
  readonly #base: BasePolicy;
  readonly #requirements: TailnetRequirements[] = [];
  #synthesis: TailnetSynthesis | undefined;

  /** `path` names the tailnet in messages, for example `Tailnet 'app/tailnet'`. */
  constructor(path: string, props: TailnetModelProps = {}) {
    this.#path = path;
    // Read now, so a malformed base policy fails before any construct is created.
    this.#base = parseBasePolicy(path, props.basePolicy);
  }

  /** Whether the policy has been rendered; no construct can register after that. */
  get sealed(): boolean {
    return this.#synthesis !== undefined;
  }

  /** Records what a construct needs. Throws once the policy has been rendered. */
  register(requirements: TailnetRequirements): void {
    if (this.#synthesis) {
      throw new ValidationError({
        path: requirements.source,
        field: 'tailnet',
        value: 'created after the tailnet policy was rendered',
        allowed: `created before ${this.#path} renders its policy`,
        hint: 'create every construct inside the program, before it returns (or before `tailnet.seal()`)',
      });
    }
    this.#requirements.push(requirements);
  }

  /** Checks the program as a whole and renders the policy; later calls return the same result. */
  seal(): TailnetSynthesis {
    this.#synthesis ??= this.#render();
    return this.#synthesis;
  }

  #render(): TailnetSynthesis {
    const base = this.#base;
    const requirements = [...this.#requirements].sort((a, b) => compareStrings(a.source, b.source));
    const operator = this.#singleOperator(requirements);
    const hostnames = uniqueHostnames(requirements);
    checkSharedRoutes(requirements);
    checkStaticEndpointPorts(requirements);
    checkClusterObjects(requirements);
    const entries = new EntryCollector();
    const tagOwners: Record<string, string[]> = {};

    if (operator?.operator) {
      for (const tag of operator.operator.tags) {
        entries.key(['tagOwners'], tag, [], operator.source);
        tagOwners[tag] = [];
      }
    }
    for (const req of requirements) {
      for (const tag of req.proxyTags ?? []) {
        if (!operator?.operator) {
          if (!baseOwns(base, tag)) throw unownedTag(req.source, tag);
          continue;
        }
        if (operator.operator.tags.includes(tag)) continue;
        entries.key(['tagOwners'], tag, operator.operator.tags, req.source);
        tagOwners[tag] = [...operator.operator.tags];
      }
      for (const grant of req.grants ?? []) entries.item(['grants'], grant, req.source);
      for (const attr of req.nodeAttrs ?? []) entries.item(['nodeAttrs'], attr, req.source);
      const approvers = req.autoApprovers ?? {};
      for (const [route, who] of Object.entries(approvers.routes ?? {})) {
        entries.key(['autoApprovers', 'routes'], route, who, req.source);
      }
      if (approvers.exitNode) entries.key(['autoApprovers'], 'exitNode', approvers.exitNode, req.source);
      for (const [service, who] of Object.entries(approvers.services ?? {})) {
        entries.key(['autoApprovers', 'services'], service, who, req.source);
      }
    }

    const rendered = renderPolicy(base, entries.entries());
    this.#checkAsControlPlane(rendered, entries.entries());
    checkIntendedAccess(requirements, rendered);
    const scopes = new Set<OAuthScope>(['auth_keys', 'devices:core']);
    for (const req of requirements) for (const scope of req.oauthScopes ?? []) scopes.add(scope);
    const report: TailnetReport = {
      ...(operator?.operator && {
        operator: {
          scopes: OAUTH_SCOPES.filter((scope) => scopes.has(scope)),
          tags: [...operator.operator.tags],
          credentials: operator.operator.credentials,
          namespace: operator.operator.namespace,
        },
      }),
      tagOwners: sortedRecord(effectiveOwners(tagOwners, rendered.document.tagOwners ?? {})),
      hostnames,
      intendedAccess: requirements.flatMap((req) => req.intendedAccess ?? []),
      policyEntriesAdded: rendered.added,
    };
    return { ...rendered, report, requirements };
  }

  /** The control plane would refuse the write: fail now, naming the first fault. */
  #checkAsControlPlane(rendered: RenderedPolicy, entries: readonly GeneratedEntry[]): void {
    const verdict = validatePolicy(rendered.document);
    if (verdict.ok) return;
    const [fault] = verdict.errors;
    const sources = fault ? sourcesAt(rendered, entries, fault.path) : [];
    throw new ValidationError({
      path: sources.length > 0 ? sources.join(', ') : this.#path,
      field: `policy.${fault?.path ?? ''}`.replace(/\.$/, ''),
      value: fault?.message,
      allowed: 'a policy the Tailscale control plane accepts',
      hint:
        sources.length > 0
          ? 'the entry is derived from this construct; declare what it names (groups, hosts, tags) in the base policy'
          : 'the entry comes from the base policy',
    });
  }

  #singleOperator(requirements: readonly TailnetRequirements[]): TailnetRequirements | undefined {
    const operators = requirements.filter((req) => req.operator);
    const [first, second] = operators;
    if (first && second) {
      throw new ValidationError({
        path: second.source,
        field: 'tailnet',
        value: `a second operator beside ${first.source}`,
        allowed: 'one TailscaleOperator per tailnet program',
      });
    }
    return first;
  }
}

/** Each tag the program uses, with its owners as the rendered policy states them. */
function effectiveOwners(
  used: Readonly<Record<string, readonly string[]>>,
  rendered: Readonly<Record<string, readonly string[]>>,
): Record<string, readonly string[]> {
  return Object.fromEntries(Object.keys(used).map((tag) => [tag, rendered[tag] ?? used[tag] ?? []]));
}

/** The constructs that generated the policy entry a fault path such as `grants[2].src[0]` points into. */
function sourcesAt(
  rendered: RenderedPolicy,
  entries: readonly GeneratedEntry[],
  path: string,
): readonly string[] {
  const item = /^(grants|acls|nodeAttrs|tests)\[(\d+)\]/.exec(path);
  if (item) {
    const [, section, index] = item;
    const list = (rendered.document as Record<string, unknown>)[section as string] as unknown[] | undefined;
    const wanted = canonical(list?.[Number(index)]);
    const entry = entries.find(
      (e) => e.kind === 'item' && e.parent[0] === section && canonical(e.value) === wanted,
    );
    return entry?.sources ?? [];
  }
  const entry = entries.find((e) => e.kind === 'key' && path.startsWith(`${[...e.parent, e.key].join('.')}`));
  return entry?.sources ?? [];
}

/**
 * Each access a construct means to give or withhold holds in the rendered policy, evaluated on a
 * topology with one device per tag and per user the policy or the checks name.
 */
function checkIntendedAccess(requirements: readonly TailnetRequirements[], rendered: RenderedPolicy): void {
  const intents = requirements.flatMap((req) => req.intendedAccess ?? []);
  if (intents.length === 0) return;
  const topology = deriveTopology(
    rendered.document,
    intents.flatMap((intent) => [intent.src, intent.dst]),
  );
  for (const req of requirements) {
    for (const [index, intent] of (req.intendedAccess ?? []).entries()) {
      const query = { from: intent.src, to: intent.dst, port: intent.port };
      const answer = canConnect(rendered.document, topology, query);
      const fault =
        answer.allowed !== (intent.expect === 'allow')
          ? answer.explanation
          : intent.capability !== undefined && missingCapability(rendered, topology, intent);
      if (!fault) continue;
      throw new ValidationError({
        path: req.source,
        field: `intendedAccess[${index}]`,
        value: intent,
        allowed: `access the rendered policy ${intent.expect === 'allow' ? 'gives' : 'withholds'}`,
        hint: fault,
      });
    }
  }
}

/** Why `intent.src` lacks `intent.capability` at `intent.dst`, or false when it has it. */
function missingCapability(
  rendered: RenderedPolicy,
  topology: Topology,
  intent: AccessIntent,
): string | false {
  const name = intent.capability!;
  const answer = capabilitiesAt(rendered.document, topology, { from: intent.src, to: intent.dst });
  const values = answer.capabilities[name];
  if (values === undefined) return `no rule gives ${intent.src} the capability ${name} at ${intent.dst}`;
  if (intent.capabilityValue === undefined) return false;
  const wanted = JSON.stringify(intent.capabilityValue);
  if ((values ?? []).some((value) => JSON.stringify(value) === wanted)) return false;
  return `${name} at ${intent.dst} holds ${JSON.stringify(values)}, not ${wanted}`;
}

/** Two constructs claiming one cluster-scoped name would overwrite each other's object. */
function checkClusterObjects(requirements: readonly TailnetRequirements[]): void {
  const owners = new Map<string, string>();
  for (const req of requirements) {
    for (const claim of req.clusterObjects ?? []) {
      const key = claim.onePerCluster ? claim.kind : `${claim.kind}/${claim.name}`;
      const owner = owners.get(key);
      if (owner !== undefined) {
        throw new ValidationError({
          path: req.source,
          field: 'name',
          value: claim.name,
          allowed: claim.onePerCluster
            ? `one ${claim.kind} per cluster`
            : `a ${claim.kind} name no other construct in the program uses`,
          hint: claim.onePerCluster
            ? `${owner} is the cluster's ${claim.kind} already`
            : `${owner} creates ${claim.kind} "${claim.name}" too; ${claim.kind} is cluster-scoped, so one would overwrite the other`,
        });
      }
      owners.set(key, req.source);
    }
  }
}

function baseOwns(base: BasePolicy, tag: string): boolean {
  const owners = base.value['tagOwners'];
  return typeof owners === 'object' && owners !== null && tag in owners;
}

function unownedTag(source: string, tag: string): ValidationError {
  return new ValidationError({
    path: source,
    field: 'tags',
    value: tag,
    allowed: 'a tag someone owns',
    hint: 'add a TailscaleOperator to the program (it owns the tags its proxies use), or own the tag in the base policy',
  });
}

function uniqueHostnames(requirements: readonly TailnetRequirements[]): string[] {
  const owners = new Map<string, string>();
  for (const req of requirements) {
    for (const hostname of req.hostnames ?? []) {
      const owner = owners.get(hostname);
      if (owner !== undefined) {
        throw new ValidationError({
          path: req.source,
          field: 'hostname',
          value: hostname,
          allowed: 'a hostname no other construct in the program uses',
          hint: `${owner} uses it too; the second device would join as "${hostname}-1"`,
        });
      }
      owners.set(hostname, req.source);
    }
  }
  return [...owners.keys()].sort(compareStrings);
}

/**
 * The same subnet route from two constructs is an error unless both say it is a high-availability
 * pair: otherwise one device silently takes the route over from the other.
 */
function checkSharedRoutes(requirements: readonly TailnetRequirements[]): void {
  const owners = new Map<string, TailnetRequirements>();
  for (const req of requirements) {
    const advertised = req.advertisedRoutes;
    if (!advertised) continue;
    for (const route of new Set(advertised.routes)) {
      const owner = owners.get(route);
      if (owner && owner.source !== req.source) {
        if (advertised.highAvailability && owner.advertisedRoutes?.highAvailability) continue;
        throw new ValidationError({
          path: req.source,
          field: 'subnetRouter.advertiseRoutes',
          value: route,
          allowed:
            'a route no other construct in the program advertises, unless both are meant as a high-availability pair',
          hint: `${owner.source} advertises it too; set \`highAvailability: true\` on both if that is intended`,
        });
      }
      if (!owner) owners.set(route, req);
    }
  }
}

/** Static endpoint NodePort ranges of two ProxyClasses must not clash (the operator refuses the second). */
function checkStaticEndpointPorts(requirements: readonly TailnetRequirements[]): void {
  const taken: { readonly source: string; readonly port: number; readonly endPort: number }[] = [];
  for (const req of requirements) {
    for (const range of req.staticEndpointPorts ?? []) {
      const clash = taken.find(
        (other) => other.source !== req.source && range.port <= other.endPort && other.port <= range.endPort,
      );
      if (clash) {
        throw new ValidationError({
          path: req.source,
          field: 'staticEndpoints.nodePort.ports',
          value: formatRange(range),
          allowed: 'NodePorts no other ProxyClass in the program uses',
          hint: `${clash.source} uses ${formatRange(clash)}`,
        });
      }
    }
    for (const range of req.staticEndpointPorts ?? []) taken.push({ source: req.source, ...range });
  }
}

function formatRange(range: { readonly port: number; readonly endPort: number }): string {
  return range.port === range.endPort ? String(range.port) : `${range.port}-${range.endPort}`;
}

/** Gathers generated entries, merging the same entry from several constructs. */
class EntryCollector {
  readonly #entries = new Map<string, GeneratedEntry>();

  key(parent: readonly string[], key: string, value: readonly string[], source: string): void {
    const id = `key\u0000${parent.join('\u0000')}\u0000${key}`;
    const existing = this.#entries.get(id);
    const merged = existing?.kind === 'key' ? [...existing.value, ...value] : value;
    this.#entries.set(id, {
      kind: 'key',
      parent,
      key,
      value: [...new Set(merged)].sort(compareStrings),
      sources: withSource(existing?.sources, source),
    });
  }

  item(parent: readonly string[], value: object, source: string): void {
    const id = `item\u0000${parent.join('\u0000')}\u0000${canonical(value)}`;
    const existing = this.#entries.get(id);
    this.#entries.set(id, { kind: 'item', parent, value, sources: withSource(existing?.sources, source) });
  }

  entries(): GeneratedEntry[] {
    return [...this.#entries.values()];
  }
}

function withSource(sources: readonly string[] | undefined, source: string): string[] {
  return [...new Set([...(sources ?? []), source])].sort(compareStrings);
}
