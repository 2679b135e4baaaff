import type * as pulumi from '@pulumi/pulumi';
import { canConnect, deriveTopology } from '@tailkube/core';
import { runWithMocks, tailnetProgram, type Tailnet } from '@tailkube/pulumi';
import { basePolicy, program } from '../program';

/** Runs the program under mocks; returns what it registered and the tailnet policy. */
async function run() {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({ basePolicy }, async (t) => {
      tailnet = t;
      return program();
    }),
  );
  return { ...mocked, synthesis: tailnet!.seal() };
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

describe('funnel-traefik', () => {
  test('a Funnel Ingress named ozilab-edge in front of traefik:443', async () => {
    const { resources, result } = await run();
    const ingress = resources.find((r) => r.type === 'kubernetes:networking.k8s.io/v1:Ingress');
    expect(ingress?.inputs).toStrictEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'ozilab-edge',
        namespace: 'traefik',
        labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
        annotations: { 'tailscale.com/funnel': 'true', 'tailscale.com/tags': 'tag:k8s-funnel' },
      },
      spec: {
        ingressClassName: 'tailscale',
        defaultBackend: { service: { name: 'traefik', port: { number: 443 } } },
        tls: [{ hosts: ['ozilab-edge'] }],
      },
    });
    expect(result.hostname).toBe('ozilab-edge');
    // Mocks have no operator to fill the Ingress's status: the URL is known only after deploy.
    expect(await valueOf(result.url)).toBeUndefined();
  });

  test('funnel is given to the Funnel tag alone; on the tailnet only the platform team reaches it', async () => {
    const { synthesis } = await run();
    const policy = synthesis.document;
    expect(policy.nodeAttrs).toStrictEqual([{ target: ['tag:k8s-funnel'], attr: ['funnel'] }]);
    expect(policy.tagOwners?.['tag:k8s-funnel']).toStrictEqual(['tag:k8s-operator']);
    expect(policy.grants).toStrictEqual([
      { src: ['group:platform'], dst: ['tag:k8s-funnel'], ip: ['tcp:443'] },
    ]);
    const topology = deriveTopology(policy);
    const can = (from: string) =>
      canConnect(policy, topology, { from, to: 'tag:k8s-funnel', port: 443 }).allowed;
    expect([can('alice@example.com'), can('bob@example.com')]).toStrictEqual([true, false]);
  });
});
