import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { App, Chart } from 'cdk8s';
import { Connector, EgressService, ProxyClass, Recorder, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import { type ValidationError, isValidationError } from '@tailkube/core';
import {
  Connector as PulumiConnector,
  EgressService as PulumiEgressService,
  TailscaleOperator as PulumiTailscaleOperator,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';
import { tempDir } from './helpers/synth';
import { KEY_SHAPE, keyShaped } from '../packages/cli/test/helpers/key-shaped';

// A key pasted into the wrong field must never be echoed by the error that refuses it: every
// error tailkube builds goes through one redactor (`redactSecrets` in @tailkube/policy).

/** A key no test data holds by chance, built at run time. */
function key(): string {
  return keyShaped('client', randomBytes(12).toString('hex'));
}

/** A URL whose userinfo holds a credential. */
function urlWithUserinfo(): string {
  return `https://admin:${randomBytes(8).toString('hex')}@s3.example.com`;
}

/** Everything an error shows: message, stack and every own field. */
function errorText(error: unknown): string {
  return `${String(error)}\n${error instanceof Error ? error.stack : ''}\n${inspect(error, { depth: null })}\n${JSON.stringify(error)}`;
}

/** The ValidationError `build` throws inside a fresh cdk8s app with an operator. */
function cdk8sFailure(build: (chart: Chart) => void, basePolicy?: string): ValidationError {
  const app = new App({ outdir: tempDir('redaction') });
  try {
    new Tailnet(app, 'Tailnet', { allowAll: 'deny', ...(basePolicy !== undefined && { basePolicy }) });
    new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
    build(new Chart(app, 'apps'));
    app.synth();
  } catch (error) {
    if (isValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const CASES: readonly [string, (secret: string) => (chart: Chart) => void][] = [
  ['a hostname', (s) => (chart) => new Connector(chart, 'c', { exitNode: true, hostname: s })],
  ['a tag', (s) => (chart) => new Connector(chart, 'c', { exitNode: true, tags: [s] })],
  ['a route', (s) => (chart) => new Connector(chart, 'c', { subnetRouter: { advertiseRoutes: [s] } })],
  ['a label value', (s) => (chart) => new ProxyClass(chart, 'p', { statefulSet: { labels: { app: s } } })],
  ['a label key', (s) => (chart) => new ProxyClass(chart, 'p', { statefulSet: { labels: { [s]: 'x' } } })],
  ['an unknown prop', (s) => (chart) => new Connector(chart, 'c', { exitNode: true, [s]: true } as never)],
  [
    'an S3 endpoint',
    (s) => (chart) => new Recorder(chart, 'r', { storage: { s3: { endpoint: s, bucket: 'recordings' } } }),
  ],
  [
    'an S3 bucket',
    (s) => (chart) =>
      new Recorder(chart, 'r', { storage: { s3: { endpoint: 's3.example.com', bucket: s } } }),
  ],
  [
    'an egress FQDN',
    (s) => (chart) => new EgressService(chart, 'e', { tailnetFqdn: s, ports: [{ port: 5432 }] }),
  ],
  ['a principal', (s) => (chart) => new Connector(chart, 'c', { exitNode: true }).allow([s])],
  ['a construct id', (s) => (chart) => new Connector(chart, `${s}/x`, { exitNode: true })],
];

describe('cdk8s: a key in the wrong field is refused without being echoed', () => {
  test.each(CASES)('%s', (_name, build) => {
    // GIVEN
    const secret = key();

    // WHEN
    const error = cdk8sFailure(build(secret));

    // THEN the error says what is wrong, with the key redacted everywhere it could show
    const text = errorText(error);
    expect(text).toContain('<redacted>');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(KEY_SHAPE);
  });

  test('a URL with userinfo in the S3 endpoint shows no password', () => {
    const url = urlWithUserinfo();
    const password = /:([0-9a-f]+)@/.exec(url)![1]!;
    const error = cdk8sFailure(
      (chart) => new Recorder(chart, 'r', { storage: { s3: { endpoint: url, bucket: 'recordings' } } }),
    );
    expect(errorText(error)).not.toContain(password);
  });

  test('a base policy holding a key is refused as a whole, without echoing it', () => {
    const secret = key();
    const error = cdk8sFailure(
      (chart) => new Connector(chart, 'c', { exitNode: true }).allow(['group:ops']),
      JSON.stringify({ groups: { 'group:ops': [secret] } }),
    );
    const text = errorText(error);
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(KEY_SHAPE);
  });
});

describe('Pulumi: the same redaction', () => {
  test.each([
    ['a hostname', (s: string) => new PulumiConnector('c', { exitNode: true, hostname: s })],
    [
      'an egress FQDN',
      (s: string) => new PulumiEgressService('e', { tailnetFqdn: s, ports: [{ port: 5432 }] }),
    ],
    ['a principal', (s: string) => new PulumiConnector('c', { exitNode: true }).allow([s])],
  ])('%s', async (_name, build) => {
    const secret = key();
    let caught: unknown;
    await runWithMocks(() =>
      tailnetProgram({ allowAll: 'deny' }, () => {
        new PulumiTailscaleOperator('operator');
        try {
          build(secret);
        } catch (error) {
          caught = error;
        }
      }),
    );
    expect(isValidationError(caught)).toBe(true);
    expect(errorText(caught)).not.toContain(secret);
    expect(errorText(caught)).not.toMatch(KEY_SHAPE);
  });
});
