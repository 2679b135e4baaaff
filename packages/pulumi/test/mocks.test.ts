import * as pulumi from '@pulumi/pulumi';
import * as tailscale from '@pulumi/tailscale';
import { runWithMocks } from '@tailkube/pulumi';
import { promisify, secretInput } from './helpers/pulumi';

describe('runWithMocks', () => {
  test('returns what the program returned and every resource in registration order', async () => {
    // WHEN
    const run = await runWithMocks(() => {
      new tailscale.Acl('first', { acl: '{}' });
      new tailscale.TailnetKey('second', { reusable: true });
      return 42;
    });

    // THEN
    expect(run.result).toBe(42);
    expect(run.resources).toStrictEqual([
      { type: 'tailscale:index/acl:Acl', name: 'first', inputs: { acl: '{}' } },
      { type: 'tailscale:index/tailnetKey:TailnetKey', name: 'second', inputs: { reusable: true } },
    ]);
  });

  test('waits for an async program and for registrations it leaves in flight', async () => {
    // WHEN
    const run = await runWithMocks(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const acl = new tailscale.Acl('policy', { acl: '{}' });
      // Registered only once the Acl's id is known.
      acl.id.apply((id) => new tailscale.Acl('after', { acl: id }));
    });

    // THEN
    expect(run.resources.map((r) => [r.name, r.inputs])).toStrictEqual([
      ['policy', { acl: '{}' }],
      ['after', { acl: 'policy-id' }],
    ]);
  });

  test('shows secret inputs wrapped as secrets, with their value', async () => {
    // WHEN
    const run = await runWithMocks(() => {
      new tailscale.Acl('policy', { acl: pulumi.secret('{"groups": {}}') });
    });

    // THEN
    expect(run.resources[0]!.inputs).toStrictEqual({ acl: secretInput('{"groups": {}}') });
  });

  test('computes the outputs tailkube reads from the providers', async () => {
    // WHEN
    const run = await runWithMocks(async () => {
      const client = new tailscale.OauthClient('client', { scopes: ['auth_keys'], tags: ['tag:a'] });
      const identity = new tailscale.FederatedIdentity('identity', {
        issuer: 'https://oidc.example.com',
        subject: 'system:serviceaccount:tailscale:operator',
        scopes: ['auth_keys'],
        tags: ['tag:a'],
      });
      return {
        clientId: await promisify(client.id),
        key: await promisify(client.key),
        identityId: await promisify(identity.id),
        audience: await promisify(identity.audience),
      };
    });

    // THEN
    expect(run.result).toStrictEqual({
      clientId: 'client-id',
      key: 'mock-secret-of-client',
      identityId: 'identity-id',
      audience: 'api.tailscale.com/identity',
    });
  });

  test('sets the project and stack', async () => {
    // WHEN
    const defaults = await runWithMocks(() => [pulumi.getProject(), pulumi.getStack()]);
    const named = await runWithMocks(() => [pulumi.getProject(), pulumi.getStack()], {
      project: 'homelab',
      stack: 'prod',
    });

    // THEN
    expect(defaults.result).toStrictEqual(['tailkube', 'test']);
    expect(named.result).toStrictEqual(['homelab', 'prod']);
  });

  test('runs are independent: one run does not see the resources of another', async () => {
    // WHEN
    const first = await runWithMocks(() => {
      new tailscale.Acl('one', { acl: '{}' });
    });
    const second = await runWithMocks(() => {
      new tailscale.Acl('two', { acl: '{}' });
    });

    // THEN
    expect(first.resources.map((r) => r.name)).toStrictEqual(['one']);
    expect(second.resources.map((r) => r.name)).toStrictEqual(['two']);
  });

  test('a program that throws rejects with its error', async () => {
    // WHEN
    const outcome = runWithMocks(() => {
      throw new Error('program failed');
    });

    // THEN
    await expect(outcome).rejects.toThrow('program failed');
  });
});
