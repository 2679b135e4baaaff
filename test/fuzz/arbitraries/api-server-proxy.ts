import fc from 'fast-check';
import {
  adversarial,
  bool,
  dnsLabel,
  hostname,
  objectName,
  orWrong,
  props,
  proxyGroupRef,
  Ref,
  tags,
} from './shared';

/** Props of the ApiServerProxy. */
export const apiServerProxy = props(
  {
    operator: fc.oneof(
      { weight: 4, arbitrary: fc.constant(new Ref('operator')) },
      { weight: 2, arbitrary: fc.record({ tags, hostname }) },
      { weight: 1, arbitrary: adversarial },
    ),
    proxyGroup: proxyGroupRef('kube-apiserver'),
    mode: fc.constantFrom('auth', 'noauth', 'none'),
    name: objectName,
  },
  ['operator'],
);

/** Options of `grantAccess`. */
export const grantAccessOptions = orWrong(
  fc.record(
    {
      groups: fc.array(
        fc.oneof(fc.constantFrom('readers', 'system:masters', 'system:authenticated'), dnsLabel),
        {
          maxLength: 2,
        },
      ),
      clusterRole: fc.oneof(
        fc.constantFrom('view', 'edit', 'admin', 'cluster-admin', 'root'),
        objectName.map((name) => ({ name })),
      ),
      allowSystemMasters: bool,
      recorder: fc.oneof(fc.constant(new Ref('recorder')), fc.record({ name: objectName, tags })),
      enforceRecorder: bool,
    },
    { requiredKeys: [] },
  ),
);

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validApiServerProxy = fc.record({
  operator: fc.constant(new Ref('operator')),
  name: fc.constantFrom('web', 'db'),
});
