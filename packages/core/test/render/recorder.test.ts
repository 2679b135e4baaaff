import {
  recorderHostnames,
  recorderRequirements,
  renderRecorder,
  resolveRecorderProps,
  type RecorderProps,
} from '../../src/internal';
import { expectValidKubeObjects } from '../../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function resolve(props: RecorderProps) {
  return resolveRecorderProps("Recorder 'recorder'", 'recorder', props);
}

describe('renderRecorder', () => {
  test('the smallest recorder: UI on, one replica, the default tag rendered', () => {
    const object = renderRecorder(resolve({ enableUI: true }));
    expect(object).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Recorder',
      metadata: { name: 'recorder', labels: MANAGED },
      spec: { enableUI: true, replicas: 1, tags: ['tag:k8s-recorder'] },
    });
    expectValidKubeObjects([object]);
  });

  test('S3 with a Secret reference: only the Secret name is rendered', () => {
    const object = renderRecorder(
      resolve({
        replicas: 2,
        tags: ['tag:audit'],
        storage: {
          s3: {
            endpoint: 's3.eu-west-1.amazonaws.com',
            bucket: 'recordings',
            credentialsSecret: { name: 's3-creds' },
          },
        },
        statefulSet: {
          labels: { team: 'sre' },
          pod: {
            imagePullSecrets: ['registry'],
            container: { env: [{ name: 'A', value: 'b' }], imagePullPolicy: 'IfNotPresent' },
            serviceAccount: { name: 'recorder-sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn' } },
          },
        },
      }),
    );
    expect(object['spec']).toStrictEqual({
      replicas: 2,
      tags: ['tag:audit'],
      storage: {
        s3: {
          endpoint: 's3.eu-west-1.amazonaws.com',
          bucket: 'recordings',
          credentials: { secret: { name: 's3-creds' } },
        },
      },
      statefulSet: {
        labels: { team: 'sre' },
        pod: {
          imagePullSecrets: [{ name: 'registry' }],
          container: { env: [{ name: 'A', value: 'b' }], imagePullPolicy: 'IfNotPresent' },
          serviceAccount: { name: 'recorder-sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn' } },
        },
      },
    });
    expectValidKubeObjects([object]);
  });
});

describe('recorderRequirements', () => {
  test('its tags owned by the operator, a hostname per replica, its cluster-scoped name', () => {
    const props = resolve({ replicas: 2, storage: { s3: { endpoint: 's3.example.com', bucket: 'rec' } } });
    expect(recorderHostnames(props)).toStrictEqual(['recorder-0', 'recorder-1']);
    expect(recorderRequirements("Recorder 'recorder'", props)).toStrictEqual({
      source: "Recorder 'recorder'",
      proxyTags: ['tag:k8s-recorder'],
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'Recorder', name: 'recorder' },
        { kind: 'hostname', field: 'name', hostname: 'recorder-0' },
        { kind: 'hostname', field: 'name', hostname: 'recorder-1' },
      ],
    });
  });
});
