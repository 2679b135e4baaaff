import fc from 'fast-check';
import { bool, hugeString, keyShaped, props } from './shared';

/** A base policy: HuJSON that parses, conflicts with what tailkube adds, or does not parse. */
const basePolicy: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('{}', '// ours\n{"groups": {"group:eng": ["alice@example.com"],},}'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}',
      '{"tagOwners": {"tag:k8s": ["group:eng"]}, "groups": {"group:eng": ["alice@example.com"]}}',
      '{"tagOwners": {"tag:k8s-operator": []}}',
      '{"nodeAttrs": [{"target": ["tag:k8s"], "attr": ["funnel"]}]}',
      '{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"]}]}',
      '{"__proto__": {"polluted": true}, "groups": {"__proto__": ["x@example.com"]}}',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      `{"groups": {"group:eng": ["${keyShaped('api')}"]}}`,
      `{"tagOwners": {"tag:k8s-operator": ["${keyShaped('auth')}"]}}`,
      // A key pasted where an address belongs: only a recognisable shape can be kept secret.
      `{"hosts": {"db": "${keyShaped('client')}"}}`,
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '[]', 'null', '{"groups": 5}', '{"acls": "x"}') },
  { weight: 1, arbitrary: hugeString.map((s) => `{"groups": {"group:a": ["${s}"]}}`) },
);

/** Props of the program's Tailnet (the Pulumi flavor's `overwriteExistingPolicy` included). */
export const tailnet = props({
  basePolicy,
  allowAll: fc.constantFrom('keep', 'deny', 'allow'),
  policyTests: bool,
  overwriteExistingPolicy: bool,
});
