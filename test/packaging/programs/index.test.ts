// A Pulumi program's test with `import { expect } from '@jest/globals'`.
import { describe, expect, test } from '@jest/globals';
import '@tailkube/testing/jest';
import { runPulumi } from '@tailkube/testing/pulumi';
import { program } from './program';

describe('program', () => {
  test('the operator gets its OAuth client after the policy, and no member reaches it', async () => {
    const run = await runPulumi(program);
    const types = run.resources.map((r) => r.type);
    expect(types.indexOf('tailscale:index/acl:Acl')).toBeLessThan(
      types.indexOf('tailscale:index/oauthClient:OauthClient'),
    );
    expect(run.objects).toContainObject({ kind: 'Secret', stringData: '[secret]' });
    expect(run).toDeny('autogroup:member', 'tag:k8s-operator', 443);
  });
});
