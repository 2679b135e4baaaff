import {
  ValidationError,
  redactSecrets,
  validatePolicy,
  type AllowAllChoice,
  type PolicyDocument,
  type Topology,
} from '@tailkube/policy';
import { DEFAULT_TAILNET_CLIENT_TAGS } from '../props/operator-tailnet';
import { compareStrings, sortedRecord } from '@tailkube/policy/internal';
import { claimsOf } from '../tailnet/requirements';
import { parseBasePolicy, type BasePolicy, type GeneratedEntry, type RenderedPolicy } from '@tailkube/policy';
import { canonical, renderEntries } from '@tailkube/policy/internal';
import { checkClaims } from './cross-construct-rules';
import { namedList } from '../validate/rules';
import { silentNoOpWarnings } from './silent-no-ops';
import { TAILNET_FIELDS } from '../validate/props-shapes';
import { checkShape, object, type Shape } from '../validate/shape';
import { checkIntendedAccess, reconcileIntents, unenforcedDenies } from './intended-access';
import {
  decideOperatorNamespace,
  existingNamespaceWarning,
  type OperatorNamespaceReport,
} from './operator-namespace';
import { derivePolicyTests, type DerivedPolicyTest, type SkippedPolicyTest } from './policy-tests';
import {
  OAUTH_SCOPES,
  type AccessIntent,
  type CredentialsRequirement,
  type ClaimKind,
  type DeclaredService,
  type OAuthScope,
  type TailnetRequirements,
} from '../tailnet/requirements';

/** Settings of one program's tailnet. */
export interface TailnetModelProps {
  /**
   * The tailnet policy the program starts from, as HuJSON text. Its comments and entries are kept;
   * tailkube adds what the program needs.
   *
   * @default - a new policy holding only what the program needs
   */
  readonly basePolicy?: string;
  /**
   * Whether to write policy `tests` asserting the constructs' intended access. The control plane
   * runs them on every later write of the policy and refuses a write that breaks one, so access
   * the program relies on cannot be removed by hand by mistake.
   *
   * Only shapes the control plane accepts are written: `src` a user, group, tag or host, and
   * targets one port on a tag, host or IP. Intents naming autogroups, `svc:` or CIDRs are skipped
   * and counted in the report. The control plane also fails a test whose tag or user has no device
   * yet, so turn this on once the program's proxies have joined the tailnet, not for the first
   * deployment.
   *
   * @default false
   */
  readonly policyTests?: boolean;
  /**
   * What to do when the base policy allows all traffic (it has neither `acls` nor `grants`, as
   * Tailscale's default policy) and the program adds a rule, which would silently turn the tailnet
   * to deny-by-default. `'keep'` writes the allow-all out as an explicit grant (with a comment
   * saying so), and the access constructs mean to withhold is then reported as not enforced;
   * `'deny'` switches the tailnet to deny-by-default, so only what a rule allows gets through.
   *
   * @default - the program fails, naming this prop, until you choose
   */
  readonly allowAll?: AllowAllChoice;
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
  /** Set when `policyTests` is on: how many tests were written, and the intents no test expresses. */
  readonly policyTests?: PolicyTestsReport;
  /**
   * Set when the operator's namespace is `shared` or `existing`: whether it must admit privileged
   * pods, and which constructs need it.
   */
  readonly operatorNamespace?: OperatorNamespaceReport;
  /**
   * What the program should know but does not stop it, such as access it withholds that the
   * base policy's kept allow-all rule does not enforce.
   *
   * @default - nothing to say
   */
  readonly warnings?: readonly string[];
  /**
   * What each further tailnet (an `OperatorTailnet`, or a `Tailnet` object named by `spec.tailnet`)
   * needs, by the `Tailnet` object's name; none of it is in this program's policy.
   *
   * @default - the program uses the operator's own tailnet only
   */
  readonly tailnets?: Readonly<Record<string, OtherTailnetReport>>;
}

/** What a further tailnet must provide for the constructs that join it. */
export interface OtherTailnetReport {
  /** The Secret with its client's credentials; absent when the program does not declare the tailnet. */
  readonly secretName?: string;
  /** Its control plane, when not Tailscale's. */
  readonly loginUrl?: string;
  /** Its OAuth client (or federated identity): least scopes, and the tags that own the proxy tags. */
  readonly client: { readonly scopes: readonly OAuthScope[]; readonly tags: readonly string[] };
  /** Every tag used there, with its owners. */
  readonly tagOwners: Readonly<Record<string, readonly string[]>>;
  /** Every device hostname asked for there. */
  readonly hostnames: readonly string[];
  /** That tailnet's policy: its `basePolicy` (or an empty one) with the requirements merged in. */
  readonly policy: PolicyDocument;
  /** Access the program means to give or withhold there, checked offline against `policy`. */
  readonly intendedAccess: readonly AccessIntent[];
}

/** What `policyTests` wrote. */
export interface PolicyTestsReport {
  /** Policy `tests` entries written (one per construct and source). */
  readonly written: number;
  /** Intended access no policy test can express, with the reason; checked offline only. */
  readonly skipped: readonly SkippedPolicyTest[];
}

/** The tailnet side of a program, rendered once. */
export interface TailnetSynthesis extends RenderedPolicy {
  readonly report: TailnetReport;
  /**
   * The policy (HuJSON) of each further tailnet, by the `Tailnet` object's name: its base with the
   * requirements of the constructs on it merged in.
   */
  readonly tailnetPolicies: Readonly<Record<string, string>>;
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
  readonly #policyTests: boolean;
  readonly #renderOptions: { readonly allowAll?: AllowAllChoice };
  readonly #requirements: TailnetRequirements[] = [];
  #declaredServices: readonly DeclaredService[] = [];
  #synthesis: TailnetSynthesis | undefined;

  /**
   * `path` names the tailnet in messages, for example `Tailnet 'app/tailnet'`; `flavorFields` are
   * the shapes of the props a flavor adds to {@link TailnetModelProps}.
   */
  constructor(
    path: string,
    props: TailnetModelProps = {},
    flavorFields: Readonly<Record<string, Shape>> = {},
  ) {
    checkShape(path, props, object({ ...TAILNET_FIELDS, ...flavorFields }));
    this.#path = path;
    // Read now, so a malformed base policy fails before any construct is created.
    this.#base = parseBasePolicy(path, props.basePolicy);
    this.#policyTests = props.policyTests ?? false;
    this.#renderOptions = props.allowAll === undefined ? {} : { allowAll: props.allowAll };
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

  /**
   * The Services Ingress backends send traffic to, as `namespace/name`: the only ones a flavor
   * needs to pass to {@link TailnetModel.declareServices}.
   */
  get backendServices(): ReadonlySet<string> {
    return new Set(
      this.#requirements.flatMap((req) =>
        (req.backends ?? []).map((use) => `${use.namespace}/${use.serviceName}`),
      ),
    );
  }

  /**
   * Records the Services the program declares (its own objects), which Ingress backends are
   * checked against when the policy renders. A flavor calls it before {@link TailnetModel.seal}.
   */
  declareServices(services: readonly DeclaredService[]): void {
    this.#declaredServices = services;
  }

  /** Checks the program as a whole and renders the policy; later calls return the same result. */
  seal(): TailnetSynthesis {
    this.#synthesis ??= this.#render();
    return this.#synthesis;
  }

  #render(): TailnetSynthesis {
    const base = this.#base;
    const all = reconcileIntents([...this.#requirements].sort((a, b) => compareStrings(a.source, b.source)));
    // Constructs on another tailnet (`spec.tailnet`) are kept out of this policy: see #elsewhere.
    const requirements = all.filter((req) => req.tailnet === undefined);
    const elsewhere = all.filter((req) => req.tailnet !== undefined);
    const operator = this.#singleOperator(requirements);
    // Object names are held once per cluster whatever the tailnet; hostnames once per tailnet.
    checkClaims([...requirements, ...elsewhere.map((req) => withClaims(req, (kind) => kind !== 'hostname'))]);
    const hostnames = [
      ...new Set(requirements.flatMap((req) => claimsOf(req, 'hostname').map((claim) => claim.hostname))),
    ].sort(compareStrings);
    const entries = new EntryCollector();
    const tagOwners: Record<string, string[]> = {};

    if (operator?.operator) {
      for (const tag of operator.operator.tags) {
        entries.key(['tagOwners'], tag, [], operator.source);
        tagOwners[tag] = [];
      }
    }
    collectEntries(entries, tagOwners, requirements, operator?.operator?.tags, (req, tag) => {
      if (!baseOwns(base, tag)) throw unownedTag(req.source, tag);
    });

    const generated = entries.entries();
    let rendered = renderEntries(base, generated, this.#renderOptions, entries.forms);
    this.#checkAsControlPlane(rendered, generated);
    const topology = checkIntendedAccess(requirements, rendered);
    let policyTests: PolicyTestsReport | undefined;
    if (this.#policyTests) {
      const derived =
        topology === undefined
          ? { tests: [], skipped: [] }
          : derivePolicyTests(requirements, rendered.document, topology);
      for (const { source, test } of derived.tests) entries.item(['tests'], test, source);
      if (derived.tests.length > 0) {
        const withTests = entries.entries();
        rendered = renderEntries(base, withTests, this.#renderOptions, entries.forms);
        this.#checkAsControlPlane(rendered, withTests);
        checkPolicyTests(this.#path, rendered, derived.tests, topology);
      }
      policyTests = { written: derived.tests.length, skipped: derived.skipped };
    }
    const scopes = new Set<OAuthScope>(['auth_keys', 'devices:core']);
    for (const req of requirements) for (const scope of req.oauthScopes ?? []) scopes.add(scope);
    // Proxies on a further tailnet still run in the operator's namespace: every construct counts.
    const namespace = operator?.operator && decideOperatorNamespace(operator.operator, all);
    const namespaceWarning = namespace && existingNamespaceWarning(namespace);
    // Redacted like every message: a warning may quote what the user wrote.
    const warnings = [
      ...all.flatMap((req) => req.warnings ?? []),
      ...(rendered.allowsAll ? unenforcedDenies(requirements) : []),
      ...silentNoOpWarnings(requirements, base, this.#declaredServices),
      ...(namespaceWarning === undefined ? [] : [namespaceWarning]),
    ].map(redactSecrets);
    const { reports: tailnets, texts: tailnetPolicies } = this.#elsewhere(all, elsewhere);
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
      ...(policyTests && { policyTests }),
      ...(namespace && { operatorNamespace: namespace }),
      ...(warnings.length > 0 && { warnings }),
      ...(Object.keys(tailnets).length > 0 && { tailnets }),
    };
    return { ...rendered, report, requirements: all, tailnetPolicies };
  }

  /**
   * What each further tailnet needs, kept apart from this program's policy: a tag or grant there
   * names other devices than the same text here, so merging them would grant the wrong devices.
   * Each tailnet gets its own requirements set: the policy entries its own policy must hold
   * (checked as the control plane would, in a deny-by-default document of their own), its tags
   * owned by its client's tags, and its client's least scopes.
   */
  #elsewhere(
    all: readonly TailnetRequirements[],
    elsewhere: readonly TailnetRequirements[],
  ): { reports: Record<string, OtherTailnetReport>; texts: Record<string, string> } {
    const declarations = new Map(
      all.flatMap((req) => (req.tailnetDeclaration ? [[req.tailnetDeclaration.name, req] as const] : [])),
    );
    const names = [...new Set([...declarations.keys(), ...elsewhere.map((req) => req.tailnet!)])].sort(
      compareStrings,
    );
    const reports: Record<string, OtherTailnetReport> = {};
    const texts: Record<string, string> = {};
    for (const name of names) {
      const declared = declarations.get(name);
      const declaration = declared?.tailnetDeclaration;
      const members = elsewhere.filter((req) => req.tailnet === name);
      checkClaims(members.map((req) => withClaims(req, (kind) => kind === 'hostname')));
      const clientTags = declaration?.clientTags ?? DEFAULT_TAILNET_CLIENT_TAGS;
      const entries = new EntryCollector();
      const tagOwners: Record<string, string[]> = {};
      for (const tag of clientTags) {
        entries.key(['tagOwners'], tag, [], declared?.source ?? members[0]!.source);
        tagOwners[tag] = [];
      }
      collectEntries(entries, tagOwners, members, clientTags, () => undefined);
      const generated = entries.entries();
      // Its own policy (or none: then a deny-by-default document of the requirements alone).
      const base = parseBasePolicy(declared?.source ?? this.#path, declaration?.basePolicy);
      const rendered = renderEntries(base, generated, this.#renderOptions, entries.forms);
      this.#checkAsControlPlane(rendered, generated);
      checkIntendedAccess(members, rendered);
      // The operator lists devices, auth keys and Services on the tailnet before it uses it
      // (`k8s-operator/reconciler/tailnet/tailnet.go` at v1.102.3, `ensurePermissions`): the read
      // side of `services` always, the write side when a construct there needs it.
      const scopes = new Set<OAuthScope>(['auth_keys', 'devices:core', 'services:read']);
      for (const req of members) for (const scope of req.oauthScopes ?? []) scopes.add(scope);
      if (scopes.has('services')) scopes.delete('services:read');
      reports[name] = {
        ...(declaration && { secretName: declaration.secretName }),
        ...(declaration?.loginUrl !== undefined && { loginUrl: declaration.loginUrl }),
        client: { scopes: OAUTH_SCOPES.filter((scope) => scopes.has(scope)), tags: [...clientTags] },
        tagOwners: sortedRecord(tagOwners),
        hostnames: [
          ...new Set(members.flatMap((req) => claimsOf(req, 'hostname').map((claim) => claim.hostname))),
        ].sort(compareStrings),
        policy: rendered.document,
        intendedAccess: members.flatMap((req) => req.intendedAccess ?? []),
      };
      texts[name] = rendered.text;
    }
    return { reports, texts };
  }

  /** The control plane would refuse the write: fail now, naming the first fault. */
  #checkAsControlPlane(rendered: RenderedPolicy, entries: readonly GeneratedEntry[]): void {
    const verdict = validatePolicy(rendered.document);
    if (verdict.ok) return;
    const [fault] = verdict.errors;
    const sources = fault ? sourcesAt(rendered, entries, fault.path) : [];
    throw new ValidationError({
      path: sources.length > 0 ? namedList(sources) : this.#path,
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
 * The control plane runs the tests on the write: run the generated ones first, on the derived
 * devices (the base's own tests name devices only the real tailnet has, so they are not run here).
 */
function checkPolicyTests(
  tailnetPath: string,
  rendered: RenderedPolicy,
  tests: readonly DerivedPolicyTest[],
  topology: Topology | undefined,
): void {
  const verdict = validatePolicy({ ...rendered.document, tests: tests.map(({ test }) => test) }, topology);
  if (verdict.ok) return;
  const [fault] = verdict.errors;
  const index = /^tests\[(\d+)\]/.exec(fault?.path ?? '')?.[1];
  const derived = index === undefined ? undefined : tests[Number(index)];
  throw new ValidationError({
    path: derived?.source ?? tailnetPath,
    field: 'policyTests',
    value: derived?.test ?? fault?.path,
    allowed: 'policy tests the control plane would pass',
    hint: fault?.message ?? 'the policy tests fail',
  });
}

/**
 * Adds each construct's entries: its proxy tags owned by `owners` (or, without owners, by the base
 * policy, which `unowned` checks), its grants, node attributes and auto-approvals.
 */
function collectEntries(
  entries: EntryCollector,
  tagOwners: Record<string, string[]>,
  requirements: readonly TailnetRequirements[],
  owners: readonly string[] | undefined,
  unowned: (req: TailnetRequirements, tag: string) => void,
): void {
  for (const req of requirements) {
    for (const tag of req.proxyTags ?? []) {
      if (!owners) {
        unowned(req, tag);
        continue;
      }
      if (owners.includes(tag)) continue;
      entries.key(['tagOwners'], tag, owners, req.source);
      tagOwners[tag] = [...owners];
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
}

/** `req` with only the claims whose kind `keep` accepts. */
function withClaims(req: TailnetRequirements, keep: (kind: ClaimKind) => boolean): TailnetRequirements {
  return { ...req, claims: (req.claims ?? []).filter((claim) => keep(claim.kind)) };
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

/** Gathers generated entries, merging the same entry from several constructs. */
class EntryCollector {
  readonly #entries = new Map<string, CollectedEntry>();
  /** The canonical form of each item value, by value: the render orders items by it. */
  readonly #forms = new Map<object, string>();

  get forms(): ReadonlyMap<object, string> {
    return this.#forms;
  }

  key(parent: readonly string[], key: string, value: readonly string[], source: string): void {
    const id = `key\u0000${parent.join('\u0000')}\u0000${key}`;
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      this.#entries.set(id, { parent, key, values: [...value], sources: [source] });
      return;
    }
    for (const item of value) append(entry.values!, item);
    append(entry.sources, source);
  }

  item(parent: readonly string[], value: object, source: string): void {
    const form = canonical(value);
    this.#forms.set(value, form);
    const id = `item\u0000${parent.join('\u0000')}\u0000${form}`;
    const entry = this.#entries.get(id);
    if (entry === undefined) this.#entries.set(id, { parent, value, sources: [source] });
    else append(entry.sources, source);
  }

  /** The entries in the order they were first collected, values and sources sorted, each once. */
  entries(): GeneratedEntry[] {
    return [...this.#entries.values()].map((entry) => {
      const sources = sortedUnique(entry.sources);
      return entry.values
        ? { kind: 'key', parent: entry.parent, key: entry.key!, value: sortedUnique(entry.values), sources }
        : { kind: 'item', parent: entry.parent, value: entry.value!, sources };
    });
  }
}

/**
 * An entry being collected. Lists, not sets (a program collects an entry or two per construct): a
 * repeat is skipped when it follows itself, as a construct's own calls do, and any other when the
 * entries are read.
 */
interface CollectedEntry {
  readonly parent: readonly string[];
  /** Set for a `key` entry. */
  readonly key?: string;
  readonly values?: string[];
  /** Set for an `item` entry. */
  readonly value?: object;
  readonly sources: string[];
}

function append(list: string[], item: string): void {
  if (list[list.length - 1] !== item) list.push(item);
}

/** The items sorted, each once. */
function sortedUnique(list: readonly string[]): string[] {
  if (list.length < 2) return [...list];
  const sorted = [...list].sort(compareStrings);
  return sorted.filter((item, index) => index === 0 || sorted[index - 1] !== item);
}
