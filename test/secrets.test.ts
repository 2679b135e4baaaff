import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type * as pulumi from '@pulumi/pulumi';
import { Chart } from 'cdk8s';
import { TailscaleOperator } from '@tailkube/cdk8s';
import { OperatorCredentials, isValidationError } from '@tailkube/core';
import {
  TailscaleOperator as PulumiTailscaleOperator,
  runWithMocks,
  tailnetProgram,
  type Tailnet,
} from '@tailkube/pulumi';
import { FULL_OPERATOR_PROPS } from './helpers/operator-props';
import { isSecretWrapped, plainStrings, unwrapSecrets } from './helpers/pulumi';
import { synthApp } from './helpers/synth';

/** A secret no test data holds by chance. */
function knownSecret(): string {
  return `tskey-client-${randomBytes(16).toString('hex')}`;
}

/** Everything an error shows: message, stack and every own field. */
function errorText(error: unknown): string {
  return `${String(error)}\n${error instanceof Error ? error.stack : ''}\n${inspect(error, { depth: null })}\n${JSON.stringify(error)}`;
}

function promisify<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const KINDS = ['an existing Secret', 'an OAuth client', 'workload identity'] as const;

/** Credentials with a secret smuggled into a field the kind does not have. */
function smuggled(kind: (typeof KINDS)[number], secret: string): OperatorCredentials {
  const credentials = {
    'an existing Secret': { ...OperatorCredentials.fromSecret('operator-oauth'), clientSecret: secret },
    'an OAuth client': { ...OperatorCredentials.oauthClient(), key: secret },
    'workload identity': { ...FULL_OPERATOR_PROPS.credentials, clientSecret: secret },
  }[kind];
  return credentials as OperatorCredentials;
}

describe('cdk8s: no secret in any output or error', () => {
  test.each(KINDS)('fails without echoing a secret smuggled into credentials of %s', (kind) => {
    // GIVEN
    const secret = knownSecret();
    const errors: unknown[] = [];

    // WHEN
    const synthesized = synthApp((app) => {
      new TailscaleOperator(new Chart(app, 'operator'), 'Operator', FULL_OPERATOR_PROPS);
      try {
        new TailscaleOperator(new Chart(app, 'smuggler'), 'Operator', {
          credentials: smuggled(kind, secret),
        });
      } catch (error) {
        errors.push(error);
      }
    });

    // THEN
    expect(errors).toHaveLength(1);
    expect(isValidationError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({
      field: expect.stringMatching(/^credentials\./),
      value: '<redacted>',
    });
    expect(errorText(errors[0])).not.toContain(secret);
    // The valid operator was written; nothing of the failed one leaked into any file.
    expect(Object.keys(synthesized.files).sort()).toStrictEqual([
      'operator.k8s.yaml',
      'smuggler.k8s.yaml',
      'tailnet-policy.hujson',
      'tailnet-requirements.json',
    ]);
    for (const [file, text] of Object.entries(synthesized.files)) {
      expect([file, text.includes(secret)]).toStrictEqual([file, false]);
    }
  });
});

describe('Pulumi: the OAuth client secret stays a secret', () => {
  test('is wrapped as secret in the Secret and appears in no plain input, output or file', async () => {
    // GIVEN: the mocked OAuth client's key is `mock-secret-of-<name>`; a random name makes it unique.
    const tailnetName = `tn-${randomBytes(8).toString('hex')}`;
    const secret = `mock-secret-of-${tailnetName}-operator-oauth`;

    // WHEN
    const { result: tailnet, resources } = await runWithMocks(() =>
      tailnetProgram({ name: tailnetName }, (t: Tailnet) => {
        new PulumiTailscaleOperator('operator', { hostname: 'operator-prod' });
        return t;
      }),
    );

    // THEN: the secret reached the cluster, wrapped as secret, so the test can see a leak.
    const oauthSecret = resources.find((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(isSecretWrapped(oauthSecret?.inputs['stringData'])).toBe(true);
    expect(unwrapSecrets(oauthSecret?.inputs['stringData'])).toStrictEqual({
      client_id: `${tailnetName}-operator-oauth-id`,
      client_secret: secret,
    });
    // Every resource's plain (not secret) inputs, the chart values among them.
    const leaks = resources.flatMap((r) =>
      plainStrings(r.inputs)
        .filter((s) => s.text.includes(secret))
        .map((s) => `${r.type} ${r.name} ${s.at}`),
    );
    expect(leaks).toStrictEqual([]);
    expect(resources.map((r) => r.type)).toContain('kubernetes:helm.sh/v4:Chart');
    // The files a Pulumi program's synth writes come from these outputs.
    const policy = await promisify(tailnet.policy);
    const requirements = await promisify(tailnet.requirements);
    expect(policy).toContain('tag:k8s-operator');
    expect(policy).not.toContain(secret);
    expect(JSON.stringify(requirements)).not.toContain(secret);
  });

  test.each(KINDS)('fails without echoing a secret smuggled into credentials of %s', async (kind) => {
    const secret = knownSecret();
    const run = runWithMocks(() =>
      tailnetProgram({}, () => {
        new PulumiTailscaleOperator('operator', { credentials: smuggled(kind, secret) });
      }),
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ field: expect.stringMatching(/^credentials\./), value: '<redacted>' });
    expect(errorText(error)).not.toContain(secret);
  });
});
