import fc from 'fast-check';
import { bool, objectName, orWrong, props, Ref, secretValue, tags, url } from './shared';

/** HuJSON policies for the second tailnet, valid or not. */
const basePolicy = fc.oneof(
  fc.constantFrom(
    '{}',
    '{"groups": {"group:eng": ["alice@example.com"]}}',
    '// comment\n{"tagOwners": {"tag:k8s": []},}',
    '{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}',
    '{',
    '[]',
    'null',
    '{"grants": "all"}',
  ),
  secretValue.map((secret) => `{"groups": {"group:x": [${JSON.stringify(secret)}]}}`),
);

/** Props of the OperatorTailnet. */
export const operatorTailnet = props(
  {
    name: objectName,
    credentials: orWrong(fc.record({ secretName: objectName })),
    loginUrl: url,
    clientTags: tags,
    basePolicy,
    // Pulumi only: a Tailscale provider for that tailnet (cdk8s gets no value, see harness/cdk8s.ts).
    provider: fc.constant(new Ref('tailscaleProvider')),
    overwriteExistingPolicy: bool,
  },
  ['credentials'],
);

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validOperatorTailnet = fc.record({
  name: fc.constantFrom('second', 'other'),
  credentials: fc.constant({ secretName: 'tailnet-credentials' }),
});
