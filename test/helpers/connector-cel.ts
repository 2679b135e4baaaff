/**
 * The Connector CRD's CEL rules (`x-kubernetes-validations` on `spec`, tailscale/tailscale
 * v1.102.3 `tailscale.com_connectors.yaml`), written out as checks: ajv cannot run CEL and no CEL
 * library is installed. Each returns the rule's message when an object breaks it.
 */
interface ConnectorSpec {
  readonly subnetRouter?: unknown;
  readonly exitNode?: unknown;
  readonly appConnector?: unknown;
  readonly hostname?: unknown;
  readonly hostnamePrefix?: unknown;
  readonly replicas?: unknown;
}

const RULES: readonly [(spec: ConnectorSpec) => boolean, string][] = [
  // has(self.subnetRouter) || (has(self.exitNode) && self.exitNode == true) || has(self.appConnector)
  [
    (s) => s.subnetRouter !== undefined || s.exitNode === true || s.appConnector !== undefined,
    'A Connector needs to have at least one of exit node, subnet router or app connector configured.',
  ],
  // !((has(self.subnetRouter) || (has(self.exitNode) && self.exitNode == true)) && has(self.appConnector))
  [
    (s) => !((s.subnetRouter !== undefined || s.exitNode === true) && s.appConnector !== undefined),
    'The appConnector field is mutually exclusive with exitNode and subnetRouter fields.',
  ],
  // !(has(self.hostname) && has(self.replicas) && self.replicas > 1)
  [
    (s) => !(s.hostname !== undefined && typeof s.replicas === 'number' && s.replicas > 1),
    'The hostname field cannot be specified when replicas is greater than 1.',
  ],
  // !(has(self.hostname) && has(self.hostnamePrefix))
  [
    (s) => !(s.hostname !== undefined && s.hostnamePrefix !== undefined),
    'The hostname and hostnamePrefix fields are mutually exclusive.',
  ],
];

/** The messages of the Connector CEL rules `object` breaks (none for any other kind). */
export function connectorCelViolations(object: {
  readonly kind?: unknown;
  readonly spec?: unknown;
}): string[] {
  if (object.kind !== 'Connector') return [];
  const spec = (object.spec ?? {}) as ConnectorSpec;
  return RULES.filter(([holds]) => !holds(spec)).map(([, message]) => message);
}
