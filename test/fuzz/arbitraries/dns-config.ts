import fc from 'fast-check';
import {
  adversarial,
  affinity,
  ipAddress,
  namespaceName,
  objectName,
  oddString,
  orWrong,
  props,
  Ref,
  stringMap,
  toleration,
} from './shared';

/** Props of the DNSConfig. */
export const dnsConfig = props({
  name: objectName,
  image: orWrong(
    fc.record(
      {
        repo: fc.oneof(fc.constantFrom('tailscale/k8s-nameserver', 'registry.local/ns'), oddString),
        tag: fc.oneof(fc.constantFrom('v1.102.3', 'unstable', 'bad tag'), oddString),
      },
      { requiredKeys: [] },
    ),
  ),
  replicas: fc.oneof(fc.constantFrom(1, 2, 0), fc.constantFrom(-1, 1.5)),
  clusterIP: ipAddress,
  nodeSelector: stringMap,
  tolerations: fc.array(toleration, { maxLength: 2 }),
  affinity,
  coreDnsStub: orWrong(
    fc.record(
      {
        configMapName: objectName,
        namespace: namespaceName,
        key: fc.oneof(fc.constantFrom('tailscale-ts-net.server', 'a.server', 'bad key'), oddString),
      },
      { requiredKeys: [] },
    ),
  ),
  operator: fc.oneof(
    { weight: 4, arbitrary: fc.constant(new Ref('operator')) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { images: {} }, { images: { operator: 'x' } }) },
    { weight: 1, arbitrary: adversarial },
  ),
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validDnsConfig = fc.record({ name: fc.constantFrom('web', 'db') });
