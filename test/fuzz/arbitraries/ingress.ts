import fc from 'fast-check';
import {
  bool,
  dnsLabel,
  hostname,
  namespaceName,
  objectName,
  oddString,
  orWrong,
  portNumber,
  proxyClassRef,
  tags,
} from './shared';

const backend = fc.record({
  serviceName: objectName,
  port: fc.oneof(portNumber, fc.constantFrom('http', 'https', 'Bad_Port', 'x'.repeat(16))),
});

/** The props shared by TailscaleIngress and FunnelIngress, each key's arbitrary. */
export const ingressBase = {
  name: objectName,
  namespace: namespaceName,
  hostname,
  defaultBackend: orWrong(backend),
  paths: fc.array(
    orWrong(
      fc.record(
        {
          path: fc.oneof(fc.constantFrom('/', '/api', '/a/b', 'api', '/a b', '/%', ''), oddString),
          pathType: fc.constantFrom('Prefix', 'ImplementationSpecific', 'Exact', 'prefix'),
          backend,
        },
        { requiredKeys: ['path', 'backend'] },
      ),
    ),
    { maxLength: 3 },
  ),
  httpRedirect: bool,
  tags,
  proxyClass: proxyClassRef,
  ingressClassName: fc.oneof(fc.constantFrom('tailscale', 'nginx'), dnsLabel),
} as const;

/** A hostname generator re-exported for ingress files. */
export { hostname };
