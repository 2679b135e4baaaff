import * as pulumi from '@pulumi/pulumi';
import * as tailscale from '@pulumi/tailscale';
import {
  Connector,
  OperatorTailnet,
  PeerRelay,
  TailscaleOperator,
  type Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { captureOptions, capturedOf, dependsOn, only, secretInput } from './helpers/pulumi';

const RELAY = 'kubernetes:tailscale.com/v1alpha1:PeerRelay';
const TAILNET = 'kubernetes:tailscale.com/v1alpha1:Tailnet';
const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

describe('PeerRelay and OperatorTailnet (Pulumi)', () => {
  test('the same objects as cdk8s, replaced on a change of tags or tailnet', async () => {
    const capture = captureOptions();
    let tailnet: Tailnet | undefined;
    const mocked = await runWithMocks(() =>
      tailnetProgram({ basePolicy: '{"groups": {"group:qa": ["qa@example.com"]}, "grants": []}' }, (t) => {
        tailnet = t;
        new TailscaleOperator('operator');
        const staging = new OperatorTailnet('staging', {
          credentials: { secretName: 'staging-oauth' },
          basePolicy: '{"groups": {"group:qa": ["qa@example.com"]}, "grants": []}',
        });
        new PeerRelay('relay', { tags: ['tag:relay'] }, { transformations: [capture.transformation] }).allow([
          'group:qa',
        ]);
        new PeerRelay('staging-relay', { operatorTailnet: staging }).allow(['group:qa']);
      }),
    );
    const relays = mocked.resources.filter((r) => r.type === RELAY);
    expect(relays.map((r) => r.inputs)).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'PeerRelay',
        metadata: { name: 'relay', labels: MANAGED },
        spec: { replicas: 1, tags: ['tag:relay'] },
      },
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'PeerRelay',
        metadata: { name: 'staging-relay', labels: MANAGED },
        spec: { replicas: 1, tags: ['tag:k8s'], tailnet: 'staging' },
      },
    ]);
    const tailnetObject = only(mocked, TAILNET).inputs;
    expect(tailnetObject).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Tailnet',
      metadata: { name: 'staging', labels: MANAGED },
      spec: { credentials: { secretName: 'staging-oauth' } },
    });
    expectValidKubeObjects([...relays.map((r) => r.inputs), tailnetObject]);
    expect(capturedOf(capture.captured, RELAY).opts.replaceOnChanges).toStrictEqual([
      'spec.tags',
      'spec.tailnet',
    ]);
    const { document, report } = tailnet!.seal();
    expect(document.grants).toStrictEqual([
      { src: ['group:qa'], dst: ['tag:relay'], app: { 'tailscale.com/cap/relay': [] } },
    ]);
    expect(report.tailnets?.['staging']?.policy.grants).toStrictEqual([
      { src: ['group:qa'], dst: ['tag:k8s'], app: { 'tailscale.com/cap/relay': [] } },
    ]);
  });

  test('fails when the elastic IPs are fewer than the replicas (CRD CEL rule)', async () => {
    const error: unknown = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new PeerRelay('relay', {
          replicas: 2,
          aws: { elasticIPs: [{ allocationID: 'eipalloc-0a', subnetID: 'subnet-0a' }] },
        });
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    const { path, field, value } = error as ValidationError;
    expect([path, field, value]).toStrictEqual(["PeerRelay 'relay'", 'aws.elasticIPs', 1]);
  });
});

describe('OperatorTailnet with a provider for that tailnet (Pulumi)', () => {
  const ACL = 'tailscale:index/acl:Acl';
  const OAUTH_CLIENT = 'tailscale:index/oauthClient:OauthClient';
  const SECRET = 'kubernetes:core/v1:Secret';

  test("creates that tailnet's policy, then its least-privilege client, then the Secret the Tailnet names", async () => {
    const capture = captureOptions();
    const mocked = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator', { namespace: 'ts' });
        const provider = new tailscale.Provider('staging-provider', {
          oauthClientId: 'staging-admin',
          oauthClientSecret: pulumi.secret('staging-admin-secret'),
        });
        const staging = new OperatorTailnet(
          'staging',
          { credentials: { secretName: 'staging-oauth' }, provider },
          { transformations: [capture.transformation] },
        );
        new Connector('lab', { exitNode: true, tags: ['tag:lab'], operatorTailnet: staging });
      }),
    );
    const acls = mocked.resources.filter((r) => r.type === ACL);
    expect(acls.map((r) => r.name)).toStrictEqual(['tailnet-policy', 'staging-policy']);
    // The exit node's approval is in the staging policy, not in the main one.
    expect(String(acls[1]!.inputs['acl'])).toMatch(/"exitNode": \[\s*"tag:lab"/);
    expect(String(acls[0]!.inputs['acl'])).not.toContain('tag:lab');
    const clients = mocked.resources.filter((r) => r.type === OAUTH_CLIENT);
    expect(clients.map((r) => [r.name, r.inputs['scopes'], r.inputs['tags']])).toStrictEqual([
      ['tailnet-operator-oauth', ['auth_keys', 'devices:core'], ['tag:k8s-operator']],
      ['staging-oauth', ['auth_keys', 'devices:core', 'services:read'], ['tag:k8s-operator']],
    ]);
    // Created with that tailnet's provider, the client after its policy (which declares its tags).
    expect(capturedOf(capture.captured, ACL).opts.provider).toBeDefined();
    expect(await dependsOn(capturedOf(capture.captured, OAUTH_CLIENT).opts)).toStrictEqual([
      capturedOf(capture.captured, ACL).resource,
    ]);
    const secret = mocked.resources.find((r) => r.type === SECRET && r.name === 'staging-credentials');
    expect(secret?.inputs).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'staging-oauth', namespace: 'ts' },
      stringData: secretInput({
        client_id: 'staging-oauth-id',
        client_secret: 'mock-secret-of-staging-oauth',
      }),
    });
  });

  test('fails when there is no operator for the Secret to go to', async () => {
    const error: unknown = await runWithMocks(() =>
      tailnetProgram({}, () => {
        const provider = new tailscale.Provider('staging-provider', {});
        new OperatorTailnet('staging', { credentials: { secretName: 'staging-oauth' }, provider });
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    expect([(error as ValidationError).path, (error as ValidationError).field]).toStrictEqual([
      "OperatorTailnet 'staging'",
      'provider',
    ]);
  });
});
