import { ValidationError } from '../errors';
import { compareStrings, sortedRecord } from '../order';
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
}

/**
 * Collects what every construct of one program needs from the tailnet, checks it as a whole and
 * renders one policy. Framework-free: each flavor's `Tailnet` wraps one.
 */
export class TailnetModel {
  readonly #path: string;
  readonly #basePolicy: string | undefined;
  readonly #requirements: TailnetRequirements[] = [];
  #synthesis: TailnetSynthesis | undefined;

  /** `path` names the tailnet in messages, for example `Tailnet 'app/tailnet'`. */
  constructor(path: string, props: TailnetModelProps = {}) {
    this.#path = path;
    this.#basePolicy = props.basePolicy;
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
    const base = parseBasePolicy(this.#path, this.#basePolicy);
    const requirements = [...this.#requirements].sort((a, b) => compareStrings(a.source, b.source));
    const operator = this.#singleOperator(requirements);
    const hostnames = uniqueHostnames(requirements);
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
      tagOwners: sortedRecord(tagOwners),
      hostnames,
      intendedAccess: requirements.flatMap((req) => req.intendedAccess ?? []),
      policyEntriesAdded: rendered.added,
    };
    return { ...rendered, report };
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
