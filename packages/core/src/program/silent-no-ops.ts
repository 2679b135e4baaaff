import type { BasePolicy } from '@tailkube/policy';
import { DEFAULT_PROXY_TAGS } from '../props/common';
import type { DeclaredService, TailnetRequirements } from '../tailnet/requirements';

/**
 * What a program declares that does nothing, or more than it seems, without failing: each a
 * warning in the synth report (`warnings`), naming the construct. One function per case, run over
 * every construct's requirements (merged by source: a verb registers under its construct's name)
 * and the Services the program declares.
 */
export function silentNoOpWarnings(
  requirements: readonly TailnetRequirements[],
  base: BasePolicy,
  declaredServices: readonly DeclaredService[] = [],
): string[] {
  const bySource = new Map<string, TailnetRequirements[]>();
  for (const req of requirements) {
    const reqs = bySource.get(req.source);
    if (reqs === undefined) bySource.set(req.source, [req]);
    else reqs.push(req);
  }
  const warnings: string[] = [];
  for (const [source, reqs] of bySource) {
    warnings.push(...ungranted(source, reqs), ...sharedDefaultTag(source, reqs));
  }
  warnings.push(
    ...funnelOnDefaultTag(base),
    ...customResourcesBesideOperator(requirements),
    ...missingBackendPorts(requirements, declaredServices),
  );
  return warnings;
}

/** The kind in a source name such as `Connector 'home/office'`. */
function kindOf(source: string): string {
  return source.slice(0, source.indexOf(' '));
}

/**
 * An ApiServerProxy nobody may use (no `grantAccess`), or a Connector nobody may route through (no
 * `allow`): both run, but reach no one unless the base policy grants them by hand.
 */
function ungranted(source: string, reqs: readonly TailnetRequirements[]): string[] {
  const kind = kindOf(source);
  if (kind !== 'ApiServerProxy' && kind !== 'Connector') return [];
  if (reqs.some((req) => (req.grants ?? []).length > 0)) return [];
  const verb = kind === 'ApiServerProxy' ? 'grantAccess()' : 'allow()';
  return [
    `${source}: no one is granted access (no \`${verb}\` call), so it reaches no one unless the base policy grants it by hand; call \`${verb}\` with who may use it`,
  ];
}

/**
 * A construct left on the operator's shared default proxy tag whose grant targets that tag (an
 * exposure's `dst`, a Connector's `via`): the grant then reaches every proxy carrying the default
 * tag, not only this one.
 */
function sharedDefaultTag(source: string, reqs: readonly TailnetRequirements[]): string[] {
  const shared = DEFAULT_PROXY_TAGS.filter((tag) => reqs.some((req) => (req.proxyTags ?? []).includes(tag)));
  const reached = shared.filter((tag) =>
    reqs.some((req) =>
      (req.grants ?? []).some((grant) => grant.dst.includes(tag) || (grant.via ?? []).includes(tag)),
    ),
  );
  return reached.map(
    (tag) =>
      `${source}: its grant targets ${JSON.stringify(tag)}, the operator's shared default proxy tag, so it reaches every proxy with that tag, not only this one; give the construct its own \`tags\``,
  );
}

/** A base policy giving `funnel` to the default proxy tag: every default proxy may then serve Funnel. */
function funnelOnDefaultTag(base: BasePolicy): string[] {
  const attrs = base.value['nodeAttrs'];
  if (!Array.isArray(attrs)) return [];
  const warnings: string[] = [];
  for (const [index, entry] of attrs.entries()) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { target, attr } = entry as { readonly target?: unknown; readonly attr?: unknown };
    if (!Array.isArray(attr) || !attr.includes('funnel') || !Array.isArray(target)) continue;
    for (const tag of DEFAULT_PROXY_TAGS.filter((t) => target.includes(t))) {
      warnings.push(
        `${base.path}: the base policy's \`nodeAttrs[${index}]\` gives \`funnel\` to ${JSON.stringify(tag)}, the operator's default proxy tag, so every proxy with that tag may serve the internet; give \`funnel\` to a tag of its own (a FunnelIngress uses one by default)`,
      );
    }
  }
  return warnings;
}

/**
 * A custom resource in the same apply unit (a cdk8s chart) as the operator whose chart installs
 * its CRD: applied together, the resource comes before its CRD exists and the apply fails.
 */
function customResourcesBesideOperator(requirements: readonly TailnetRequirements[]): string[] {
  const operator = requirements.find((req) => req.operator && req.applyUnit !== undefined);
  if (!operator) return [];
  return requirements
    .filter((req) => !req.operator && req.applyUnit === operator.applyUnit)
    .map(
      (req) =>
        `${req.source}: it is in ${JSON.stringify(operator.applyUnit)}, the chart of ${operator.source}, whose chart installs its CRD; applied together, the API server refuses it before the CRD exists. Put it in a chart applied after the operator's`,
    );
}

/**
 * An Ingress backend naming a Service the program declares, on a port that Service does not
 * serve: the operator proxies to nothing and the Ingress answers with errors.
 */
function missingBackendPorts(
  requirements: readonly TailnetRequirements[],
  declared: readonly DeclaredService[],
): string[] {
  // Most programs have no Ingress: then the declared Services need no index.
  if (!requirements.some((req) => (req.backends ?? []).length > 0)) return [];
  const services = new Map<string, DeclaredService>();
  for (const service of declared) {
    services.set(`${service.namespace}/${service.name}`, service);
  }
  const warnings: string[] = [];
  for (const req of requirements) {
    for (const use of req.backends ?? []) {
      const service = services.get(`${use.namespace}/${use.serviceName}`);
      if (!service) continue;
      const served = service.ports.some((p) => (typeof use.port === 'number' ? p.port : p.name) === use.port);
      if (served) continue;
      const ports = service.ports.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ');
      warnings.push(
        `${req.source}: \`${use.field}\` sends traffic to port ${JSON.stringify(use.port)} of Service "${use.namespace}/${use.serviceName}", which the program declares with ports ${ports || 'none'}; the Ingress would proxy to nothing`,
      );
    }
  }
  return warnings;
}
