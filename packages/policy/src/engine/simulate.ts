import type { PolicyDocument } from '../document';
import { policyDocument } from '../normalize';
import { sortedRecord } from '../order';
import {
  compileMatches,
  matchesPerNode,
  toFilterMatch,
  type CompiledMatch,
  type FilterMatch,
} from './compile';
import { computePeers } from './peers';
import { nodeAttributes, type NodeAttributes } from './node-attrs';
import { approveRoutes } from './routes';
import { selectorContext, type SelectorContext } from './selectors';
import { approveServices } from './services';
import { compileSshPolicies, type SshPolicy } from './ssh';
import type { Topology } from './topology';
import type { PolicyFault } from './fault';
import { validatePolicy } from './validate';

/** What the control plane would hand each device for a policy, in the captures' shapes. */
export interface TailnetSimulation {
  /** Whether the control plane would accept the policy; when not, the other fields are empty. */
  readonly accepted: boolean;
  readonly errors: readonly PolicyFault[];
  /** Per device: the packet-filter matches it enforces on incoming traffic. */
  readonly filters: Readonly<Record<string, readonly FilterMatch[]>>;
  /** Per device: the attributes `nodeAttrs` give it. */
  readonly nodeAttrs: Readonly<Record<string, NodeAttributes>>;
  /** Per device: the advertised routes `autoApprovers` approve. */
  readonly approvedRoutes: Readonly<Record<string, readonly string[]>>;
  /** Per device hosting any: the advertised Tailscale Services `autoApprovers.services` approve. */
  readonly approvedServices: Readonly<Record<string, readonly string[]>>;
  /** Per device: the peers it sees, with the addresses and routes it sends to each. */
  readonly peers: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Per device: the Tailscale SSH policy it enforces (the netmap's `ssh_policy`). */
  readonly sshPolicies: Readonly<Record<string, SshPolicy>>;
}

/** The compiled state behind a simulation, for the evaluator. */
export interface CompiledTailnet extends CompiledRules {
  /**
   * Per device: the matches of its packet filter. Each device's list is built when first read
   * (all of them together are devices × the matches each enforces); enumerating the keys builds none.
   */
  readonly perNode: Readonly<Record<string, readonly CompiledMatch[]>>;
}

/** The policy's rules compiled to address matches, before they are split per device. */
export interface CompiledRules {
  readonly context: SelectorContext;
  readonly matches: readonly CompiledMatch[];
  readonly approvedRoutes: Readonly<Record<string, readonly string[]>>;
  readonly approvedServices: Readonly<Record<string, readonly string[]>>;
}

/** Compiles the rules for the topology: enough to answer access queries, cheaper than filters. */
export function compileRules(policy: PolicyDocument, topology: Topology): CompiledRules {
  const approvedRoutes = approveRoutes(policy, topology);
  const approvedServices = approveServices(policy, topology);
  const context = selectorContext(policy, topology, approvedRoutes, approvedServices);
  return { context, matches: compileMatches(context), approvedRoutes, approvedServices };
}

/** Compiles the policy for the topology without validating it. */
export function compileTailnet(input: PolicyDocument, topology: Topology): CompiledTailnet {
  const compiled = compileRules(policyDocument(input), topology);
  return { ...compiled, perNode: matchesPerNode(compiled.matches, compiled.context.nodes) };
}

/**
 * The attributes `nodeAttrs` give each device, as {@link simulateTailnet} gives them (none for a
 * policy the control plane would refuse), without the packet filters and peers a whole simulation
 * builds: the peers of every device grow with the square of the devices.
 */
export function simulateNodeAttributes(
  input: unknown,
  topology: Topology,
): Readonly<Record<string, NodeAttributes>> {
  if (!validatePolicy(input, topology).ok) return {};
  const policy = policyDocument(input);
  return nodeAttributes(policy, compileRules(policy, topology).context);
}

/**
 * Simulates the control plane: validates the policy, then compiles every device's packet filter,
 * node attributes, approved routes, peers and SSH policy.
 */
export function simulateTailnet(input: unknown, topology: Topology): TailnetSimulation {
  const policy = policyDocument(input);
  const verdict = validatePolicy(input, topology);
  if (!verdict.ok) {
    return {
      accepted: false,
      errors: verdict.errors,
      filters: {},
      nodeAttrs: {},
      approvedRoutes: {},
      approvedServices: {},
      peers: {},
      sshPolicies: {},
    };
  }
  const compiled = compileTailnet(policy, topology);
  const filters: Record<string, readonly FilterMatch[]> = {};
  for (const [name, matches] of Object.entries(compiled.perNode)) filters[name] = matches.map(toFilterMatch);
  const nodeAttrs = nodeAttributes(policy, compiled.context);
  const peers = computePeers(compiled.context, compiled.perNode, nodeAttrs);
  return {
    accepted: true,
    errors: [],
    filters: sortedRecord(filters),
    nodeAttrs,
    approvedRoutes: compiled.approvedRoutes,
    approvedServices: sortedRecord(compiled.approvedServices),
    peers: sortedRecord(peers),
    sshPolicies: compileSshPolicies(policy, topology),
  };
}
