import { Chart, Testing } from 'cdk8s';
import { Recorder, Tailnet, TailscaleOperator, isValidationError } from '@tailkube/cdk8s';
import { canConnect, deriveTopology } from '@tailkube/core/internal';

/** An app with a tailnet that denies what no grant allows, an operator and an audit chart. */
function setup() {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', {
    allowAll: 'deny',
    basePolicy: '{"groups": {"group:security": ["alice@example.com"]}}',
  });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return { app, audit: new Chart(app, 'audit') };
}

describe('Recorder.allow (cdk8s)', () => {
  test('lets principals reach the UI on tcp:443, and no one else', () => {
    // GIVEN
    const { app, audit } = setup();
    const recorder = new Recorder(audit, 'recorder', { enableUI: true });

    // WHEN
    const allowance = recorder.allow(['group:security']);

    // THEN
    const grant = { src: ['group:security'], dst: ['tag:k8s-recorder'], ip: ['tcp:443'] };
    expect(allowance).toStrictEqual({ principals: ['group:security'], grants: [grant] });
    const { document } = Tailnet.of(app).synth();
    expect(document.grants).toContainEqual(grant);
    const topology = deriveTopology(document, ['group:security', 'autogroup:member']);
    expect(
      canConnect(document, topology, { from: 'group:security', to: 'tag:k8s-recorder', port: 443 }).allowed,
    ).toBe(true);
    expect(
      canConnect(document, topology, { from: 'autogroup:member', to: 'tag:k8s-recorder', port: 443 }).allowed,
    ).toBe(false);
  });

  test('fails when the recorder serves no UI, and nothing is added', () => {
    // GIVEN
    const { app, audit } = setup();
    const recorder = new Recorder(audit, 'recorder', {
      storage: { s3: { endpoint: 's3.us-east-1.amazonaws.com', bucket: 'recordings' } },
    });

    // WHEN
    let error: unknown;
    try {
      recorder.allow(['group:security']);
    } catch (e) {
      error = e;
    }

    // THEN
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: "Recorder 'audit/recorder'", field: 'enableUI', value: false });
    expect(Tailnet.of(app).synth().document.grants ?? []).toStrictEqual([]);
  });
});
