export { formatRange, parseRange } from './addresses';
export type { AddressRange, IpFamily } from './addresses';
// compileMatches, matchesPerNode and nodeAttributes stay internal: they take the engine's resolved
// selector context; simulateTailnet and compileTailnet are the public entry points.
export { RULE_SECTIONS } from './compile';
export type { CompiledMatch, FilterMatch, MatchCapability, MatchDestination, RuleOrigin } from './compile';
export { deriveTopology } from './derive-topology';
export { canConnect, capabilitiesAt, evaluate } from './evaluate';
export type {
  CapabilityAnswer,
  CapabilityQuery,
  ConnectAnswer,
  ConnectQuery,
  EvaluateQuery,
} from './evaluate';
export { canSsh } from './evaluate-ssh';
export type { SshAnswer, SshQuery } from './evaluate-ssh';
export type { NodeAttributes } from './node-attrs';
export {
  ALL_PORTS,
  DEFAULT_PROTOCOLS,
  PROTOCOL_NAMES,
  parseIpSpec,
  parsePorts,
  parseProtocol,
} from './ports';
export type { Parsed, PortRange, ProtocolName, ProtocolPorts } from './ports';
export { compareVersions, conditionHolds, parsePostureCondition, POSTURE_OPERATORS } from './posture';
export type { PostureAttributes, PostureCondition, PostureOperator, PostureValue } from './posture';
export { approveRoutes } from './routes';
export { approveServices, isServiceName } from './services';
export { AUTOGROUPS, SELECTOR_KINDS, selectorKind, splitDestination } from './selectors';
export type { Autogroup, SelectorKind } from './selectors';
export { compileTailnet, simulateTailnet } from './simulate';
// compileSshRules stays internal: it takes the engine's resolved selector context.
export { compileSshPolicies } from './ssh';
export type { SshAction, SshPolicy, SshPolicyRule, SshPrincipal } from './ssh';
export type { CompiledTailnet, TailnetSimulation } from './simulate';
export type {
  Topology,
  TopologyNode,
  TopologyService,
  TopologyTailnet,
  TopologyUser,
  TopologyUserRole,
} from './topology';
export { POLICY_KEYS } from '../normalize';
export { validatePolicy } from './validate';
export type { PolicyFault } from './fault';
export type { PolicyVerdict } from './validate';
