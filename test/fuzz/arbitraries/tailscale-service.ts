import fc from 'fast-check';
import {
  dnsLabel,
  hostname,
  namespaceName,
  objectName,
  oddString,
  orWrong,
  portNumber,
  props,
  proxyClassRef,
  proxyGroupRef,
  Ref,
  tags,
  uniqueHostname,
} from './shared';

const protocol = fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp', 'HTTP');

/** A port as a ServicePort has it, valid or not. */
export const servicePort = fc.record(
  {
    port: portNumber,
    targetPort: fc.oneof(portNumber, fc.constantFrom('http', 'web-port', 'x'.repeat(16), 'Bad_Name', '8080')),
    name: fc.oneof(fc.constantFrom('http', 'https', 'db', 'HTTP', 'a_b'), dnsLabel),
    protocol,
  },
  { requiredKeys: ['port'] },
);

/**
 * A Service the program owns, valid itself (so that a problem in the output is tailkube's): up to
 * three ports, named when more than one, unique by number and protocol.
 */
const ownedService = fc
  .record(
    {
      name: fc.constantFrom('web', 'db', 'api'),
      namespace: fc.constantFrom('default', 'apps'),
      type: fc.constantFrom('ClusterIP', 'LoadBalancer', 'NodePort', 'headless'),
      selector: fc.constantFrom({ app: 'web' }, {}),
      ports: fc.uniqueArray(
        fc.record({
          port: fc.constantFrom(80, 443, 5432, 8080),
          protocol: fc.constantFrom('TCP', 'UDP'),
          targetPort: fc.constantFrom<unknown>(undefined, 8080, 'http'),
          named: fc.boolean(),
        }),
        { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol}` },
      ),
      wrapped: fc.boolean(),
    },
    { requiredKeys: ['name', 'type', 'ports', 'wrapped'] },
  )
  .map(({ type, ports, ...rest }) => {
    const many = ports.length > 1;
    return new Ref('service', {
      ...rest,
      ...(type === 'headless' ? { type: 'ClusterIP', clusterIP: 'None' } : { type }),
      ports: ports.map(({ named, targetPort, ...port }, i) => ({
        ...port,
        ...(targetPort !== undefined && { targetPort }),
        ...((named || many) && { name: `p${i}-${port.protocol.toLowerCase()}` }),
      })),
    });
  });

/** The Service a TailscaleService exposes: one the program owns (with ports), or one by name. */
const service = fc.oneof(
  { weight: 3, arbitrary: ownedService },
  {
    weight: 3,
    arbitrary: fc.record({ name: objectName, namespace: namespaceName }, { requiredKeys: ['name'] }),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      oddString.map((name) => ({ name })),
      fc.constant({}),
    ),
  },
);

/** Props of the TailscaleService, with the Service to expose. */
export const tailscaleService = props(
  {
    service,
    mechanism: fc.constantFrom('annotate', 'load-balancer', 'external-name', 'expose'),
    hostname,
    tags,
    proxyClass: proxyClassRef,
    proxyGroup: proxyGroupRef('ingress'),
    ports: fc.array(orWrong(servicePort), { maxLength: 3 }),
    name: objectName,
  },
  ['service'],
);

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validTailscaleService = fc.record({
  service: fc.record({ name: fc.constantFrom('web', 'db'), namespace: fc.constantFrom('default', 'apps') }),
  name: fc.constantFrom('web', 'db'),
  hostname: uniqueHostname,
  ports: fc.constant([{ port: 80 }]),
});
