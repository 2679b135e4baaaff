import { Chart, Testing } from 'cdk8s';
import { Recorder, Tailnet, TailscaleOperator, isValidationError } from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

describe('Recorder (cdk8s)', () => {
  test('a cluster-scoped Recorder with its tag, owned by the operator tag', () => {
    // GIVEN
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const chart = new Chart(app, 'audit', { namespace: 'apps' });

    // WHEN
    const recorder = new Recorder(chart, 'recorder', {
      storage: {
        s3: {
          endpoint: 's3.us-east-1.amazonaws.com',
          bucket: 'recordings',
          credentialsSecret: { name: 's3-creds' },
        },
      },
      replicas: 2,
    });

    // THEN
    const manifest = Testing.synth(chart);
    expect(manifest).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'Recorder',
        metadata: { name: 'recorder', labels: MANAGED },
        spec: {
          replicas: 2,
          tags: ['tag:k8s-recorder'],
          storage: {
            s3: {
              endpoint: 's3.us-east-1.amazonaws.com',
              bucket: 'recordings',
              credentials: { secret: { name: 's3-creds' } },
            },
          },
        },
      },
    ]);
    expectValidKubeObjects(manifest);
    expect(recorder.tags).toStrictEqual(['tag:k8s-recorder']);
    expect(recorder.hostnames).toStrictEqual(['recorder-0', 'recorder-1']);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.tagOwners?.['tag:k8s-recorder']).toStrictEqual(['tag:k8s-operator']);
    expect(report.hostnames).toEqual(expect.arrayContaining(['recorder-0', 'recorder-1']));
  });

  test('fails when neither the UI nor S3 is set, before anything is created', () => {
    const chart = new Chart(Testing.app(), 'audit');
    let error: unknown;
    try {
      new Recorder(chart, 'recorder');
    } catch (e) {
      error = e;
    }
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: "Recorder 'audit/recorder'", field: 'enableUI' });
    expect(chart.node.tryFindChild('recorder')).toBeUndefined();
  });
});
