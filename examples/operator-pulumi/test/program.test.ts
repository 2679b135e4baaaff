import '@tailkube/testing/jest';
import { runPulumi } from '@tailkube/testing/pulumi';
import { basePolicy, program, tailnetArgs } from '../program';

describe('operator-pulumi', () => {
  test('creates an OAuth client with the least scopes and the operator tag, after the policy', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const types = run.resources.map((r) => r.type);
    const client = run.resources.find((r) => r.type === 'tailscale:index/oauthClient:OauthClient');
    expect(client?.inputs).toMatchObject({
      scopes: ['auth_keys', 'devices:core'],
      tags: ['tag:k8s-operator'],
    });
    expect(types.indexOf('tailscale:index/acl:Acl')).toBeLessThan(types.indexOf(client!.type));
  });

  test('keeps the base policy and adds only the proxy tag', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:k8s': ['tag:k8s-operator'],
    });
    expect(run.policyText).toContain("// Admins own the operator's tag");
  });

  test('the client secret reaches the cluster only as a secret', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.objects).toContainObject({ kind: 'Secret', stringData: '[secret]' });
    expect(JSON.stringify(run.charts)).not.toContain('mock-secret-of');
  });

  test('with neither acls nor grants in the base policy, the control plane allows all traffic', async () => {
    // The program grants nothing, and the base policy has no rules: the policy applied is the
    // control plane's default, which lets every device reach every other. Add `"grants": []` (or
    // the rules you mean) to the base policy to deny by default.
    const run = await runPulumi(program, tailnetArgs);
    expect(run.policy.grants).toBeUndefined();
    expect(run).toAllow('autogroup:member', 'tag:k8s', 22);
    expect(run).toAllow('tag:k8s', 'tag:k8s-operator', 443);
  });

  test('with a deny-by-default base policy, no member reaches the operator or its proxies', async () => {
    const closed = basePolicy.replace(/\n}\n$/, '\n  "grants": [],\n}\n');
    const run = await runPulumi(program, { basePolicy: closed });
    expect(run).toDeny('alice@example.com', 'tag:k8s-operator', 443);
    expect(run).toDeny('autogroup:member', 'tag:k8s', 443);
  });
});
