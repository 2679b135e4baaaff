import '@tailkube/testing/jest';
import type * as pulumi from '@pulumi/pulumi';
import { TestTailnet } from '@tailkube/testing';
import { runPulumi } from '@tailkube/testing/pulumi';
import { tailnetArgs, program } from '../program';

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

describe('funnel-traefik', () => {
  test('a Funnel Ingress named ozilab-edge in front of traefik:443', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.objects.filter((o) => o.kind === 'Ingress')).toStrictEqual([
      {
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
      },
    ]);
    expect(run.result.outputs.hostname).toBe('ozilab-edge');
    // Mocks have no operator to fill the Ingress's status: the URL is known only after deploy.
    expect(await valueOf(run.result.outputs.url)).toBeUndefined();
  });

  test('the Funnel proxy alone gets the funnel attribute, which lets the internet in without a grant', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const { edge, operator } = run.result;
    // Funnel traffic arrives through Tailscale's relays, not from a tailnet device: no grant admits
    // it, the `funnel` node attribute does. That attribute is all the policy decides.
    expect(run.policy.nodeAttrs).toStrictEqual([{ target: ['tag:k8s-funnel'], attr: ['funnel'] }]);
    expect(run.policy.tagOwners?.['tag:k8s-funnel']).toStrictEqual(['tag:k8s-operator']);
    expect(run).toHaveNodeAttribute(edge, 'funnel');
    expect(run).toHaveNodeAttribute('tag:k8s-funnel', 'funnel');
    expect(run).not.toHaveNodeAttribute(operator, 'funnel');
    expect(run).not.toHaveNodeAttribute('tag:k8s', 'funnel');
  });

  test('on the tailnet, only the platform team reaches the edge, and only on 443', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const { edge, operator } = run.result;
    expect(run).toAllow('group:platform', edge, 443);
    expect(run).toDeny('group:platform', edge, 8443);
    expect(run).toDeny('group:developers', edge, 443);
    expect(run).toDeny('tag:k8s', edge, 443);
    expect(run).toDeny(operator, edge, 443);
    const tailnet = TestTailnet.of(run).withUser('carol@example.com');
    expect(tailnet).toDeny('carol@example.com', edge, 443);
  });
});
