import {
  ValidationError,
  canConnect,
  capabilitiesAt,
  deriveTopology,
  type PolicyDocument,
  type RenderedPolicy,
  type Topology,
} from '@tailkube/policy';
import { connects } from '@tailkube/policy/internal';
import { coversStandIn } from '../access';
import type { AccessIntent, TailnetRequirements } from '../tailnet/requirements';

/**
 * The requirements with each construct's intended access reconciled across its calls: an intent
 * that the stand-in for "anyone else" is kept out is dropped once the same construct grants that
 * stand-in (or everyone) the same access, and each intent is kept once.
 */
export function reconcileIntents(requirements: readonly TailnetRequirements[]): TailnetRequirements[] {
  const allowed = new Map<string, AccessIntent[]>();
  for (const req of requirements) {
    for (const intent of req.intendedAccess ?? []) {
      if (intent.expect !== 'allow') continue;
      const granted = allowed.get(req.source);
      if (granted === undefined) allowed.set(req.source, [intent]);
      else granted.push(intent);
    }
  }
  const seen = new Set<string>();
  return requirements.map((req) => {
    if (req.intendedAccess === undefined) return req;
    const grantedBySource = allowed.get(req.source) ?? [];
    const intendedAccess = req.intendedAccess.filter((intent) => {
      const key = `${req.source}\u0000${JSON.stringify(intent)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return (
        intent.expect === 'allow' ||
        !grantedBySource.some(
          (granted) =>
            granted.dst === intent.dst &&
            granted.port === intent.port &&
            (granted.proto ?? 'tcp') === (intent.proto ?? 'tcp') &&
            coversStandIn(granted.src, intent.src),
        )
      );
    });
    // Nothing dropped: the requirements as registered, not a copy.
    return intendedAccess.length === req.intendedAccess.length ? req : { ...req, intendedAccess };
  });
}

/**
 * Each access a construct means to give or withhold holds in the rendered policy, evaluated on a
 * topology with one device per tag and per user the policy or the checks name (returned, for the
 * policy tests; undefined when no construct states any access). The derived devices have no posture
 * attributes, so access is checked for devices meeting every posture: what a grant gives devices in
 * good standing, and what it withholds even from them.
 */
export function checkIntendedAccess(
  requirements: readonly TailnetRequirements[],
  rendered: RenderedPolicy,
): Topology | undefined {
  const intents = requirements.flatMap((req) => req.intendedAccess ?? []);
  if (intents.length === 0) return undefined;
  const topology = deriveTopology(
    rendered.document,
    intents.flatMap((intent) => [intent.src, intent.dst]),
  );
  const document = withPosturesMet(rendered.document);
  for (const req of requirements) {
    for (const [index, intent] of (req.intendedAccess ?? []).entries()) {
      // The base allows everything on purpose (`allowAll: 'keep'`): a deny cannot hold, and the
      // report says so instead.
      if (intent.expect === 'deny' && rendered.allowsAll) continue;
      const query = { from: intent.src, to: intent.dst, port: intent.port, proto: intent.proto ?? 'tcp' };
      // Decided without words (the engine keeps what constructs sharing tags ask again), explained
      // only when the answer is not the one intended.
      const fault =
        connects(document, topology, query) !== (intent.expect === 'allow')
          ? canConnect(document, topology, query).explanation
          : intent.capability !== undefined && missingCapability(document, topology, intent);
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
  return topology;
}

/** The policy with every posture's conditions dropped, so that every device meets it. */
function withPosturesMet(document: PolicyDocument): PolicyDocument {
  if (document.postures === undefined) return document;
  return {
    ...document,
    postures: Object.fromEntries(Object.keys(document.postures).map((name) => [name, []])),
  };
}

/** Why `intent.src` lacks `intent.capability` at `intent.dst`, or false when it has it. */
function missingCapability(
  document: PolicyDocument,
  topology: Topology,
  intent: AccessIntent,
): string | false {
  const name = intent.capability!;
  const answer = capabilitiesAt(document, topology, { from: intent.src, to: intent.dst });
  const values = answer.capabilities[name];
  if (values === undefined) return `no rule gives ${intent.src} the capability ${name} at ${intent.dst}`;
  if (intent.capabilityValue === undefined) return false;
  const wanted = JSON.stringify(intent.capabilityValue);
  if ((values ?? []).some((value) => JSON.stringify(value) === wanted)) return false;
  return `${name} at ${intent.dst} holds ${JSON.stringify(values)}, not ${wanted}`;
}

/**
 * Why each intended deny is not enforced when the policy keeps the base's allow-all rule: one line
 * per construct that means to keep someone out.
 */
export function unenforcedDenies(requirements: readonly TailnetRequirements[]): string[] {
  const sources = [
    ...new Set(
      requirements
        .filter((req) => (req.intendedAccess ?? []).some((intent) => intent.expect === 'deny'))
        .map((req) => req.source),
    ),
  ];
  return sources.map(
    (source) =>
      `${source}: access it withholds is not enforced, because the base policy allows all traffic and \`allowAll: 'keep'\` keeps it so; set \`allowAll: 'deny'\` on the Tailnet to switch the tailnet to deny-by-default`,
  );
}
