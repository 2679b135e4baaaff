import {
  FunnelIngress,
  TailscaleOperator,
  type Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type FunnelIngressArgs,
  type TailnetSynthesis,
} from '@tailkube/pulumi';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { captureOptions, capturedOf, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const INGRESS = 'kubernetes:networking.k8s.io/v1:Ingress';
const EDGE: FunnelIngressArgs = {
  public: true,
  namespace: 'traefik',
  hostname: 'ozilab-edge',
  defaultBackend: { serviceName: 'traefik', port: 443 },
};
const BASE_POLICY = '{"groups": {"group:eng": ["bob@example.com"]}}';

/** Runs `program` in a tailnet program under mocks; returns the run and the tailnet's synthesis. */
async function run(program: (tailnet: Tailnet) => void) {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, (t) => {
      tailnet = t;
      program(t);
    }),
  );
  const synthesis: TailnetSynthesis = tailnet!.seal();
  return { ...mocked, synthesis };
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error: unknown = await promise.then(
    () => new Error('expected a ValidationError, but nothing was thrown'),
    (e: unknown) => e,
  );
  expect(isValidationError(error)).toBe(true);
  return error as ValidationError;
}

describe('FunnelIngress (Pulumi)', () => {
  test('publishes traefik:443 through Funnel with the funnel attribute for its tag only', async () => {
    // WHEN
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      new FunnelIngress('ozilab-edge', EDGE);
    });

    // THEN
    const ingress = only(mocked, INGRESS);
    expect(ingress.inputs['metadata']).toStrictEqual({
      name: 'ozilab-edge',
      namespace: 'traefik',
      labels: MANAGED,
      annotations: { 'tailscale.com/funnel': 'true', 'tailscale.com/tags': 'tag:k8s-funnel' },
    });
    expectValidKubeObjects([ingress.inputs]);
    expect(mocked.synthesis.document.nodeAttrs).toStrictEqual([
      { target: ['tag:k8s-funnel'], attr: ['funnel'] },
    ]);
  });

  test('tags always replace the Ingress', async () => {
    const capture = captureOptions();
    await run(() => {
      new TailscaleOperator('operator');
      new FunnelIngress('ozilab-edge', EDGE, { transformations: [capture.transformation] });
    });
    expect(capturedOf(capture.captured, INGRESS).opts.replaceOnChanges).toStrictEqual([
      'metadata.annotations["tailscale.com/tags"]',
    ]);
  });

  test('fails without the public opt-in', async () => {
    const rest = Object.fromEntries(Object.entries(EDGE).filter(([key]) => key !== 'public'));
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new FunnelIngress('ozilab-edge', rest as unknown as FunnelIngressArgs);
        }),
      ),
    );
    expect([error.path, error.field, error.value]).toStrictEqual([
      "FunnelIngress 'ozilab-edge'",
      'public',
      undefined,
    ]);
  });
});
