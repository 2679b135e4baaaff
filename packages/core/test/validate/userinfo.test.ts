import { resolveRecorderProps, resolveTailscaleOperatorProps, type RecorderProps } from '../../src/internal';
import { failure } from '../helpers/tailnet';

const SUPPORT = {
  defaultCredentials: { kind: 'existing-secret', secretName: 'operator-oauth' },
  createsOAuthClient: false,
  createsFederatedIdentity: false,
} as const;
/** A password-shaped value, built at run time so no file holds a credential. */
const PASSWORD = ['s3', 'cr', 'et', String(4 * 10 + 2)].join('');

const recorder = (endpoint: string) => () =>
  resolveRecorderProps("Recorder 'rec'", 'rec', {
    storage: { s3: { endpoint, bucket: 'recordings' } },
  } as RecorderProps);

describe('credentials in URLs', () => {
  test.each([
    [`https://admin:${PASSWORD}@headscale.example.com`, 'https://<redacted>@headscale.example.com'],
    [`http://admin@headscale.example.com:8080/`, 'http://<redacted>@headscale.example.com:8080/'],
  ])('fails when the loginServer %p carries userinfo, and redacts it', (loginServer, shown) => {
    const error = failure(() =>
      resolveTailscaleOperatorProps("TailscaleOperator 'op'", { loginServer }, SUPPORT),
    );
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: "TailscaleOperator 'op'",
      field: 'loginServer',
      value: shown,
      allowed: 'an absolute http or https URL, without credentials ("user:password@")',
    });
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain('admin');
  });

  test.each([
    [`AKIAEXAMPLE:${PASSWORD}@s3.us-east-1.amazonaws.com`, '<redacted>@s3.us-east-1.amazonaws.com'],
    [`https://minio:${PASSWORD}@minio.storage:9000`, 'https://<redacted>@minio.storage:9000'],
  ])('fails when the S3 endpoint %p carries userinfo, and redacts it', (endpoint, shown) => {
    const error = failure(recorder(endpoint));
    expect(error.field).toBe('storage.s3.endpoint');
    expect(error.value).toBe(shown);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).toContain('storage.s3.credentialsSecret');
  });

  test('a loginServer and an S3 endpoint without userinfo pass (the control)', () => {
    expect(() =>
      resolveTailscaleOperatorProps(
        "TailscaleOperator 'op'",
        { loginServer: 'https://headscale.example.com' },
        SUPPORT,
      ),
    ).not.toThrow();
    expect(recorder('minio.storage:9000')).not.toThrow();
  });
});
