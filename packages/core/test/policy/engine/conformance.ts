import { compareStrings } from '../../../src/order';
import { simulateTailnet } from '../../../src/policy/engine/simulate';
import {
  admittedSet,
  ALWAYS_PRESENT_CAPS,
  deliverable,
  difference,
  inputTopology,
  probeAddresses,
  probePorts,
  type CaptureCase,
} from './captures';

/** The aspects a case is compared on. */
export const ASPECTS = ['verdict', 'filters', 'nodeAttrs', 'approvedRoutes', 'peers'] as const;

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

/** Runs the engine on a capture and compares every aspect. */
export function compareCase(capture: CaptureCase): CaseResult {
  const disagreements: Partial<Record<Aspect, string>> = {};
  const simulation = simulateTailnet(capture.policy, inputTopology(capture));
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
    if (disagreements.approvedRoutes === undefined) {
      const want = [...(node.approved_routes ?? [])].sort(compareStrings);
      const got = [...(simulation.approvedRoutes[name] ?? [])].sort(compareStrings);
      if (!sameJson(got, want))
        disagreements.approvedRoutes = `${name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`;
    }
    if (disagreements.peers === undefined && capture.netmaps?.[name] !== undefined) {
      const want = capture.netmaps?.[name]?.peers ?? {};
      const got = simulation.peers[name] ?? {};
      const names = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort(compareStrings);
      const diffs = names.flatMap((peer) => {
        const a = JSON.stringify([...(got[peer] ?? ['(hidden)'])].sort(compareStrings));
        const b = JSON.stringify([...(want[peer] ?? ['(hidden)'])].sort(compareStrings));
        return a === b ? [] : [`${peer} got ${a} want ${b}`];
      });
      if (diffs.length > 0) disagreements.peers = `${name}: ${diffs.join('; ')}`;
    }
  }
  return { id: capture.id, disagreements };
}
