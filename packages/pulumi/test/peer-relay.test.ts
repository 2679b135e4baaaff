import {
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
import { captureOptions, capturedOf, only } from './helpers/pulumi';

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
