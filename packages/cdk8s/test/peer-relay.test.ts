import { Chart, Testing } from 'cdk8s';
import { capabilitiesAt, deriveTopology } from '@tailkube/policy';
import {
  PeerRelay,
  ProxyClass,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const RELAY_CAP = 'tailscale.com/cap/relay';

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** A base policy that owns the workloads' tag, as a real tailnet would. */
const BASE_POLICY = '{"tagOwners": {"tag:private-workloads": ["autogroup:admin"]}, "grants": []}';

function setup() {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { basePolicy: BASE_POLICY });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return { app, chart: new Chart(app, 'relays') };
}

describe('PeerRelay (cdk8s)', () => {
  test('renders the default relay with its tags and replicas, adding only tag ownership', () => {
    // GIVEN
    const { app, chart } = setup();

    // WHEN
    const relay = new PeerRelay(chart, 'relay');

    // THEN
    const objects = Testing.synth(chart);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'PeerRelay',
        metadata: { name: 'relay', labels: MANAGED },
        spec: { replicas: 1, tags: ['tag:k8s'] },
      },
    ]);
    expectValidKubeObjects(objects);
    expect(relay.hostnames).toStrictEqual(['relay-0']);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.tagOwners?.['tag:k8s']).toStrictEqual(['tag:k8s-operator']);
    expect(document.grants).toStrictEqual([]);
    expect(report.hostnames).toContain('relay-0');
  });

  test('renders every field, valid against the CRD and its CEL rule', () => {
    const { chart } = setup();
    const relay = new PeerRelay(chart, 'relay', {
      name: 'edge-relay',
      replicas: 2,
      hostnamePrefix: 'edge',
      tags: ['tag:relay'],
      proxyClass: new ProxyClass(chart, 'zone-a', {}),
      service: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } },
      aws: {
        elasticIPs: [
          { allocationID: 'eipalloc-0a', subnetID: 'subnet-0a' },
          { allocationID: 'eipalloc-0b', subnetID: 'subnet-0b' },
        ],
      },
      operatorTailnet: 'staging',
    });
    const objects = Testing.synth(chart).filter((o) => o.kind === 'PeerRelay');
    expect(objects[0].spec).toStrictEqual({
      replicas: 2,
      hostnamePrefix: 'edge',
      tags: ['tag:relay'],
      proxyClass: 'zone-a',
      service: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } },
      aws: {
        elasticIPs: [
          { allocationID: 'eipalloc-0a', subnetID: 'subnet-0a' },
          { allocationID: 'eipalloc-0b', subnetID: 'subnet-0b' },
        ],
      },
      tailnet: 'staging',
    });
    expectValidKubeObjects(objects);
    expect(relay.hostnames).toStrictEqual(['edge-0', 'edge-1']);
    expect(relay.tailnetName).toBe('staging');
  });

  test('allow grants the relay capability and no network access, checked with the policy engine', () => {
    // GIVEN
    const { app, chart } = setup();
    const relay = new PeerRelay(chart, 'relay', { tags: ['tag:relay'] });

    // WHEN
    const allowance = relay.allow(['tag:private-workloads', 'autogroup:member']);

    // THEN
    const grant = {
      src: ['autogroup:member', 'tag:private-workloads'],
      dst: ['tag:relay'],
      app: { [RELAY_CAP]: [] },
    };
    expect(allowance).toStrictEqual({ principals: grant.src, grants: [grant] });
    const { document } = Tailnet.of(app).synth();
    expect(document.grants).toStrictEqual([grant]);
    expect(document.tagOwners?.['tag:relay']).toStrictEqual(['tag:k8s-operator']);
    // Offline: the workloads get the capability at the relay, an ungranted tag does not.
    const topology = deriveTopology(document, ['tag:private-workloads', 'tag:relay', 'tag:other']);
    expect(
      capabilitiesAt(document, topology, { from: 'tag:private-workloads', to: 'tag:relay' }).capabilities[
        RELAY_CAP
      ],
    ).toStrictEqual([]);
    expect(
      capabilitiesAt(document, topology, { from: 'tag:other', to: 'tag:relay' }).capabilities[RELAY_CAP],
    ).toBeUndefined();
  });

  test.each([
    [
      { replicas: 3, aws: { elasticIPs: [{ allocationID: 'eipalloc-0a', subnetID: 'subnet-0a' }] } },
      'aws.elasticIPs',
      1,
    ],
    [{ aws: { elasticIPs: [] } }, 'aws.elasticIPs', []],
    [
      { aws: { elasticIPs: [{ allocationID: 'eip-1', subnetID: 'subnet-0a' }] } },
      'aws.elasticIPs[0].allocationID',
      'eip-1',
    ],
    [
      { aws: { elasticIPs: [{ allocationID: 'eipalloc-0a', subnetID: 'sn-1' }] } },
      'aws.elasticIPs[0].subnetID',
      'sn-1',
    ],
    [{ hostnamePrefix: '-edge' }, 'hostnamePrefix', '-edge'],
    [{ name: 'relay.example' }, 'name', 'relay.example'],
    [{ replicas: -1 }, 'replicas', -1],
    [{ tags: ['k8s'] }, 'tags[0]', 'k8s'],
    [{ tags: [] }, 'tags', []],
    [{ operatorTailnet: 'Staging' }, 'operatorTailnet', 'Staging'],
  ])('fails when the props break a CRD or operator rule (%j)', (props, field, value) => {
    const { chart } = setup();
    const error = validationError(() => new PeerRelay(chart, 'relay', props as never));
    expect([error.path, error.field, error.value]).toStrictEqual(["PeerRelay 'relays/relay'", field, value]);
    // Nothing of the construct is left behind.
    expect(chart.node.tryFindChild('relay')).toBeUndefined();
  });

  test('fails when a principal is not a policy selector', () => {
    const { chart } = setup();
    const relay = new PeerRelay(chart, 'relay');
    const error = validationError(() => relay.allow(['workloads']));
    expect([error.field, error.value]).toStrictEqual(['principals[0]', 'workloads']);
    expect(error.message).toContain('did you mean "group:workloads"?');
  });
});
