import { ValidationError, resolveRecorderProps, type RecorderProps } from '../../src/internal';

const PATH = "Recorder 'audit/recorder'";
const S3 = { s3: { endpoint: 's3.us-east-1.amazonaws.com', bucket: 'k8s-recordings' } };

function failure(props: RecorderProps): ValidationError {
  try {
    resolveRecorderProps(PATH, 'recorder', props);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('resolveRecorderProps', () => {
  test('fills the name, the tag owned by the operator, one replica, no UI', () => {
    expect(resolveRecorderProps(PATH, 'recorder', { storage: S3 })).toStrictEqual({
      storage: S3,
      name: 'recorder',
      tags: ['tag:k8s-recorder'],
      enableUI: false,
      replicas: 1,
    });
  });

  test.each<[string, RecorderProps]>([
    ['the UI alone', { enableUI: true }],
    ['S3 alone', { storage: S3 }],
    ['replicas with S3', { replicas: 3, storage: S3 }],
    ['no replicas', { replicas: 0, enableUI: true }],
    [
      'S3 with a credentials Secret and an endpoint port',
      {
        storage: {
          s3: {
            endpoint: 'minio.storage.svc:9000',
            bucket: 'recordings',
            credentialsSecret: { name: 'minio-creds' },
          },
        },
      },
    ],
    [
      'every StatefulSet setting',
      {
        enableUI: true,
        statefulSet: {
          labels: { team: 'sre' },
          annotations: { 'example.com/owner': 'sre' },
          pod: {
            labels: { app: 'recorder' },
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            imagePullSecrets: ['registry'],
            tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
            container: {
              image: 'ghcr.io/tailscale/tsrecorder:v1.102.3',
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'TSRECORDER_LOG', value: 'debug' }],
              resources: { requests: { cpu: '50m' } },
            },
            serviceAccount: {
              name: 'recorder-sa',
              annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r' },
            },
          },
        },
      },
    ],
  ])('accepts %s', (_name, props) => {
    expect(() => resolveRecorderProps(PATH, 'recorder', props)).not.toThrow();
  });

  test.each<[string, RecorderProps, object]>([
    [
      'neither the UI nor S3 is set (the operator refuses it)',
      {},
      { field: 'enableUI', value: false, allowed: 'true when no S3 storage is set' },
    ],
    [
      'more than one replica has no S3 (the CRD refuses it)',
      { replicas: 2, enableUI: true },
      { field: 'replicas', value: 2, allowed: 'at most 1 without S3 storage' },
    ],
    [
      'replicas is not a whole number',
      { replicas: 1.5, enableUI: true },
      { field: 'replicas', value: 1.5, allowed: 'a whole number from 0 to 2147483647' },
    ],
    [
      'a tag is malformed',
      { tags: ['k8s-recorder'], enableUI: true },
      {
        field: 'tags[0]',
        value: 'k8s-recorder',
        allowed: 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)',
      },
    ],
    [
      'the tag list is empty',
      { tags: [], enableUI: true },
      { field: 'tags', value: [], allowed: 'at least one tag (leave `tags` out for ["tag:k8s-recorder"])' },
    ],
    [
      'the endpoint has a scheme',
      { storage: { s3: { endpoint: 'https://s3.example.com', bucket: 'rec' } } },
      {
        field: 'storage.s3.endpoint',
        value: 'https://s3.example.com',
        allowed: 'an S3 endpoint host without scheme or path, such as "s3.us-east-1.amazonaws.com"',
      },
    ],
    [
      'the bucket is not a bucket name',
      { storage: { s3: { endpoint: 's3.example.com', bucket: 'My_Bucket' } } },
      {
        field: 'storage.s3.bucket',
        value: 'My_Bucket',
        allowed: 'an S3 bucket name: 3 to 63 lower-case letters, digits, dots and dashes',
      },
    ],
    [
      'the ServiceAccount name is invalid',
      { enableUI: true, statefulSet: { pod: { serviceAccount: { name: 'Recorder' } } } },
      {
        field: 'statefulSet.pod.serviceAccount.name',
        value: 'Recorder',
        allowed: 'a ServiceAccount name: at most 63 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'the image pull policy is unknown',
      { enableUI: true, statefulSet: { pod: { container: { imagePullPolicy: 'Sometimes' as 'Always' } } } },
      {
        field: 'statefulSet.pod.container.imagePullPolicy',
        value: 'Sometimes',
        allowed: 'one of "Always", "Never", "IfNotPresent"',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual({ path: PATH, ...expected });
  });

  test('the endpoint message suggests the bare host', () => {
    expect(
      failure({ storage: { s3: { endpoint: 'https://s3.example.com/', bucket: 'rec' } } }).message,
    ).toContain('did you mean "s3.example.com"?');
  });

  test('fails when a credential value is put beside the Secret reference, without printing it', () => {
    const error = failure({
      storage: {
        s3: {
          ...S3.s3,
          credentialsSecret: { name: 's3-creds', accessKey: 'AKIAEXAMPLE' } as { name: string },
        },
      },
    });
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: 'storage.s3.credentialsSecret.accessKey',
      value: '<redacted>',
      allowed: 'absent: the Secret is referenced by name only, never its values',
    });
    expect(error.message).not.toContain('AKIAEXAMPLE');
  });
});
