import { runPulumi } from '@tailkube/testing/pulumi';
import { basePolicy, program } from '../program';

describe('operator-pulumi', () => {
  test('creates an OAuth client with the least scopes and the operator tag, after the policy', async () => {
    const run = await runPulumi(program, { basePolicy });
    const types = run.resources.map((r) => r.type);
    const client = run.resources.find((r) => r.type === 'tailscale:index/oauthClient:OauthClient');
    expect(client?.inputs).toMatchObject({
      scopes: ['auth_keys', 'devices:core'],
      tags: ['tag:k8s-operator'],
    });
    expect(types.indexOf('tailscale:index/acl:Acl')).toBeLessThan(types.indexOf(client!.type));
  });

  test('keeps the base policy and adds only the proxy tag', async () => {
    const run = await runPulumi(program, { basePolicy });
    expect(run.policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:k8s': ['tag:k8s-operator'],
    });
    expect(run.policyText).toContain("// Admins own the operator's tag");
  });

  test('the client secret reaches the cluster only as a secret', async () => {
    const run = await runPulumi(program, { basePolicy });
    const secret = run.objects.find((o) => o.kind === 'Secret');
    expect(secret?.['stringData']).toBe('[secret]');
    expect(JSON.stringify(run.charts)).not.toContain('mock-secret-of');
  });
});
