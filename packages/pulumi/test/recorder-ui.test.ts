import {
  Recorder,
  TailscaleOperator,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type Tailnet,
} from '@tailkube/pulumi';

const BASE_POLICY = '{"groups": {"group:security": ["alice@example.com"]}}';

describe('Recorder.allow (Pulumi)', () => {
  test('lets principals reach the UI on tcp:443', async () => {
    let tailnet: Tailnet | undefined;
    await runWithMocks(() =>
      tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, (t) => {
        tailnet = t;
        new TailscaleOperator('operator');
        const allowance = new Recorder('recorder', { enableUI: true }).allow(['group:security'], {
          ports: ['tcp:443'],
        });
        expect(allowance.principals).toStrictEqual(['group:security']);
      }),
    );
    expect(tailnet!.seal().document.grants).toContainEqual({
      src: ['group:security'],
      dst: ['tag:k8s-recorder'],
      ip: ['tcp:443'],
    });
  });

  test('fails when the recorder serves no UI', async () => {
    const error: unknown = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator');
        new Recorder('recorder', {
          storage: { s3: { endpoint: 's3.us-east-1.amazonaws.com', bucket: 'recordings' } },
        }).allow(['group:security']);
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: "Recorder 'recorder'", field: 'enableUI', value: false });
  });
});
