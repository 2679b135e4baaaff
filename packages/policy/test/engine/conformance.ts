import { compareStrings } from '../../src/order';
import { simulateTailnet } from '../../src/engine/simulate';
import {
  admittedSet,
  ALWAYS_PRESENT_CAPS,
  deliverable,
  difference,
  inputTopology,
  registrationOrders,
  probeAddresses,
  probePorts,
  type CaptureCase,
} from './captures';

/** The aspects a case is compared on. */
export const ASPECTS = ['verdict', 'filters', 'nodeAttrs', 'approvedRoutes', 'peers', 'sshPolicy'] as const;

/** One compared aspect. */
export type Aspect = (typeof ASPECTS)[number];

/** How one case compares with the engine: the aspects that disagree, with a reason each. */
export interface CaseResult {
  readonly id: string;
  readonly disagreements: Partial<Record<Aspect, string>>;
}

function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return compareStrings(a[0], b[0]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The first device whose recorded peers differ from `peers`, with the differences; `undefined` when none. */
function peersDisagreement(
  capture: CaptureCase,
  peers: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>,
): string | undefined {
  for (const name of Object.keys(capture.topology.nodes)) {
    const recorded = capture.netmaps?.[name];
    if (recorded === undefined) continue;
    const want = recorded.peers;
    const got = peers[name] ?? {};
    const names = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort(compareStrings);
    const diffs = names.flatMap((peer) => {
      const a = JSON.stringify([...(got[peer] ?? ['(hidden)'])].sort(compareStrings));
      const b = JSON.stringify([...(want[peer] ?? ['(hidden)'])].sort(compareStrings));
      return a === b ? [] : [`${peer} got ${a} want ${b}`];
    });
    if (diffs.length > 0) return `${name}: ${diffs.join('; ')}`;
  }
  return undefined;
}

/**
 * Runs the engine on a capture and compares every aspect. The peers depend on the devices'
 * registration order, which the captures do not record ({@link registrationOrders}): they agree
 * when the recorded peers follow from some order, one order for the whole case.
 */
export function compareCase(capture: CaptureCase): CaseResult {
  const disagreements: Partial<Record<Aspect, string>> = {};
  const input = inputTopology(capture);
  const simulation = simulateTailnet(capture.policy, input);
  const expectedOk = capture.response.code === 200;
  if (simulation.accepted !== expectedOk) {
    disagreements.verdict = expectedOk
      ? `engine rejects: ${simulation.errors.map((error) => error.message).join('; ')}`
      : `engine accepts; control plane: ${capture.response.message ?? ''}`;
    return { id: capture.id, disagreements };
  }
  if (!expectedOk) return { id: capture.id, disagreements };
  const probes = probeAddresses(capture);
  const ports = probePorts(capture);
  for (const [name, node] of Object.entries(capture.topology.nodes)) {
    if (disagreements.filters === undefined && capture.filters?.[name] !== undefined) {
      const dsts = deliverable(probes, node);
      const want = admittedSet(capture.filters?.[name], probes, dsts, ports);
      const got = admittedSet(simulation.filters[name], probes, dsts, ports);
      const diff = difference(got, want);
      if (diff.length > 0) disagreements.filters = `${name}: ${diff.join(' ')}`;
    }
    if (disagreements.nodeAttrs === undefined && capture.netmaps?.[name] !== undefined) {
      const selfCaps = capture.netmaps?.[name]?.self_caps ?? {};
      const want = Object.fromEntries(
        Object.entries(selfCaps).filter(([key]) => !ALWAYS_PRESENT_CAPS.has(key)),
      );
      const got = Object.fromEntries(
        Object.entries(simulation.nodeAttrs[name] ?? {}).filter(([key]) => !ALWAYS_PRESENT_CAPS.has(key)),
      );
      if (!sameJson(Object.entries(got).sort(byKey), Object.entries(want).sort(byKey))) {
        disagreements.nodeAttrs = `${name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`;
      }
    }
    const sshPolicy = capture.netmaps?.[name]?.ssh_policy;
    if (disagreements.sshPolicy === undefined && sshPolicy !== undefined) {
      const got = simulation.sshPolicies[name];
      if (!sameJson(got, sshPolicy))
        disagreements.sshPolicy = `${name}: got ${JSON.stringify(got)} want ${JSON.stringify(sshPolicy)}`;
    }
    if (disagreements.approvedRoutes === undefined) {
      const want = [...(node.approved_routes ?? [])].sort(compareStrings);
      const got = [...(simulation.approvedRoutes[name] ?? [])].sort(compareStrings);
      if (!sameJson(got, want))
        disagreements.approvedRoutes = `${name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`;
    }
  }
  const peers = peersDisagreement(capture, simulation.peers);
  // Registration order is not recorded: the peers agree when some order of the competing routers does.
  const agrees =
    peers === undefined ||
    registrationOrders(input, simulation.approvedRoutes)
      .slice(1)
      .some(
        (topology) =>
          peersDisagreement(capture, simulateTailnet(capture.policy, topology).peers) === undefined,
      );
  if (!agrees) disagreements.peers = peers;
  return { id: capture.id, disagreements };
}
