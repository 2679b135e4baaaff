import { Chart, Testing } from 'cdk8s';
import {
  Connector,
  OperatorTailnet,
  PeerRelay,
  ProxyGroup,
  Recorder,
  TailscaleIngress,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

function setup() {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', {
    basePolicy: '{"groups": {"group:eng": ["alice@example.com"]}, "grants": []}',
  });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return { app, chart: new Chart(app, 'tailnets') };
}

describe('OperatorTailnet (cdk8s)', () => {
  test('renders the Tailnet object with the Secret reference only', () => {
    const { chart } = setup();
    const staging = new OperatorTailnet(chart, 'staging', {
      credentials: { secretName: 'staging-oauth' },
      loginUrl: 'https://headscale.example.com',
    });
    const objects = Testing.synth(chart);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'Tailnet',
        metadata: { name: 'staging', labels: MANAGED },
        spec: { credentials: { secretName: 'staging-oauth' }, loginUrl: 'https://headscale.example.com' },
      },
    ]);
    expectValidKubeObjects(objects);
    expect([staging.name, staging.clientTags]).toStrictEqual(['staging', ['tag:k8s-operator']]);
  });

  test('constructs on it render spec.tailnet and stay out of the main policy', () => {
    // GIVEN
    const { app, chart } = setup();
    const staging = new OperatorTailnet(chart, 'staging', {
      credentials: { secretName: 'staging-oauth' },
      // That tailnet's own policy, which defines its groups.
      basePolicy: '{"groups": {"group:qa": ["qa@example.com"]}, "grants": []}',
    });

    // WHEN
    const connector = new Connector(chart, 'office', {
      subnetRouter: { advertiseRoutes: ['10.1.0.0/16'] },
      tags: ['tag:staging-router'],
      operatorTailnet: staging,
    });
    connector.allow(['group:qa']);
    new ProxyGroup(chart, 'ingress', {
      type: 'ingress',
      tags: ['tag:staging-ingress'],
      operatorTailnet: staging,
    });
    new Recorder(chart, 'recorder', { enableUI: true, operatorTailnet: 'staging' });
    new PeerRelay(chart, 'relay', { tags: ['tag:staging-relay'], operatorTailnet: staging }).allow([
      'group:qa',
    ]);

    // THEN: each object names the tailnet, valid against its CRD
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind !== 'Tailnet').map((o) => [o.kind, o.spec.tailnet])).toStrictEqual([
      ['Connector', 'staging'],
      ['ProxyGroup', 'staging'],
      ['Recorder', 'staging'],
      ['PeerRelay', 'staging'],
    ]);
    expectValidKubeObjects(objects);
    // The main policy holds none of it: same tag text on another tailnet means other devices.
    const { document, report } = Tailnet.of(app).synth();
    const text = JSON.stringify(document);
    for (const name of [
      'tag:staging-router',
      'tag:staging-ingress',
      'tag:staging-relay',
      '10.1.0.0/16',
      'group:qa',
    ]) {
      expect(text).not.toContain(name);
    }
    expect(report.hostnames).toStrictEqual(['tailscale-operator']);
    expect(report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core']);
    // The separate requirements set for the tailnet.
    const reportStaging = report.tailnets?.['staging'];
    expect(Tailnet.of(app).synth().tailnetPolicies['staging']).toContain('"tag:staging-relay"');
    expect(reportStaging).toBeDefined();
    expect(reportStaging!.secretName).toBe('staging-oauth');
    expect(reportStaging!.client).toStrictEqual({
      scopes: ['auth_keys', 'devices:core', 'services:read'],
      tags: ['tag:k8s-operator'],
    });
    expect(reportStaging!.tagOwners).toStrictEqual({
      'tag:k8s-operator': [],
      'tag:k8s-recorder': ['tag:k8s-operator'],
      'tag:staging-ingress': ['tag:k8s-operator'],
      'tag:staging-relay': ['tag:k8s-operator'],
      'tag:staging-router': ['tag:k8s-operator'],
    });
    expect(reportStaging!.hostnames).toStrictEqual([
      'ingress-0',
      'ingress-1',
      'office-connector',
      'recorder-0',
      'relay-0',
    ]);
    expect(reportStaging!.policy.autoApprovers).toStrictEqual({
      routes: { '10.1.0.0/16': ['tag:staging-router'] },
    });
    expect(reportStaging!.policy.grants).toStrictEqual([
      // In the order the merged policy holds them.
      { src: ['group:qa'], dst: ['tag:staging-relay'], app: { 'tailscale.com/cap/relay': [] } },
      { src: ['group:qa'], dst: ['10.1.0.0/16'], ip: ['*'] },
    ]);
  });

  test('a tailnet that serves Tailscale Services needs the write side of the services scope', () => {
    const { app, chart } = setup();
    const staging = new OperatorTailnet(chart, 'staging', { credentials: { secretName: 'staging-oauth' } });
    const group = new ProxyGroup(chart, 'ingress', { type: 'ingress', operatorTailnet: staging });
    new TailscaleIngress(chart, 'web', {
      hostname: 'web',
      proxyGroup: group,
      defaultBackend: { serviceName: 'web', port: 80 },
    });
    const { report, document } = Tailnet.of(app).synth();
    expect(report.tailnets?.['staging']?.client.scopes).toStrictEqual([
      'auth_keys',
      'devices:core',
      'services',
    ]);
    expect(report.tailnets?.['staging']?.policy.autoApprovers?.services).toStrictEqual({
      'svc:web': ['tag:k8s'],
    });
    expect(document.autoApprovers?.services?.['svc:web']).toBeUndefined();
  });

  test("a Recorder's UI grant goes to the Recorder's tailnet", () => {
    const { app, chart } = setup();
    new OperatorTailnet(chart, 'staging', {
      credentials: { secretName: 'staging-oauth' },
      basePolicy: '{"groups": {"group:qa": ["qa@example.com"]}, "grants": []}',
    });
    new Recorder(chart, 'recorder', { enableUI: true, operatorTailnet: 'staging' }).allow(['group:qa']);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.grants ?? []).toStrictEqual([]);
    expect(report.tailnets?.['staging']?.policy.grants).toStrictEqual([
      { src: ['group:qa'], dst: ['tag:k8s-recorder'], ip: ['tcp:443'] },
    ]);
  });

  test('hostnames are unique per tailnet, object names per cluster', () => {
    const { app, chart } = setup();
    new OperatorTailnet(chart, 'staging', { credentials: { secretName: 'staging-oauth' } });
    // The same hostname on two tailnets is two devices.
    new Connector(chart, 'a', { exitNode: true, hostname: 'gw' });
    new Connector(chart, 'b', { exitNode: true, hostname: 'gw', operatorTailnet: 'staging' });
    expect(() => Tailnet.of(app).synth()).not.toThrow();

    const second = setup();
    new OperatorTailnet(second.chart, 'staging', { credentials: { secretName: 'staging-oauth' } });
    new Connector(second.chart, 'a', { exitNode: true, hostname: 'gw', operatorTailnet: 'staging' });
    new Connector(second.chart, 'b', { exitNode: true, hostname: 'gw', operatorTailnet: 'staging' });
    const error = validationError(() => Tailnet.of(second.app).synth());
    expect(error.field).toBe('hostname');
  });

  test('fails when a grant names a construct on another tailnet', () => {
    const { chart } = setup();
    const staging = new OperatorTailnet(chart, 'staging', { credentials: { secretName: 'staging-oauth' } });
    const relay = new PeerRelay(chart, 'relay', { operatorTailnet: staging });
    const main = new Connector(chart, 'office', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } });

    const error = validationError(() => main.allow([relay]));
    expect([error.path, error.field, error.value, error.allowed]).toStrictEqual([
      "Connector 'tailnets/office'",
      'principals[0]',
      "devices on tailnet 'staging'",
      "principals on the operator's own tailnet, where the grant is written",
    ]);
    // And the reverse: a main-tailnet construct into a grant on staging.
    const router = new Connector(chart, 'lab', { exitNode: true, operatorTailnet: staging });
    expect(validationError(() => router.allow([main])).value).toBe("devices on the operator's own tailnet");
  });

  test.each([
    [{ credentials: { secretName: 'Bad_Name' } }, 'credentials.secretName', 'Bad_Name'],
    [{ credentials: undefined }, 'credentials', undefined],
    [{ credentials: { secretName: 'x', clientSecret: 'nope' } }, 'credentials.clientSecret', '<redacted>'],
    [
      { credentials: { secretName: 'x' }, loginUrl: 'headscale.example.com' },
      'loginUrl',
      'headscale.example.com',
    ],
    [{ credentials: { secretName: 'x' }, clientTags: ['k8s-operator'] }, 'clientTags[0]', 'k8s-operator'],
  ])('fails when the props are not a valid Tailnet (%j)', (props, field, value) => {
    const { chart } = setup();
    const error = validationError(() => new OperatorTailnet(chart, 'staging', props as never));
    expect([error.path, error.field, error.value]).toStrictEqual([
      "OperatorTailnet 'tailnets/staging'",
      field,
      value,
    ]);
    expect(error.message).not.toContain('nope');
  });

  test('fails when two Tailnet objects share a name', () => {
    const { app, chart } = setup();
    new OperatorTailnet(chart, 'a', { name: 'staging', credentials: { secretName: 'a' } });
    new OperatorTailnet(chart, 'b', { name: 'staging', credentials: { secretName: 'b' } });
    expect(validationError(() => Tailnet.of(app).synth()).field).toBe('name');
  });
});
