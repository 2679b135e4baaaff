import * as k8s from '@pulumi/kubernetes';
import * as tailscale from '@pulumi/tailscale';
import * as tk from '@tailkube/pulumi';
import type { Ref } from '../arbitraries/shared';
import { plainStrings, registeredKubeObjects } from '../../helpers/pulumi';
import { callVerbsThenChange, changeLater, noRefs, resolveRefs, type Plan } from './plan';
import type { Outcome } from './outcome';
import { HANG_MS } from './settings';

/** How long registrations of a failed program get to finish. */
const ERROR_DRAIN_MS = 100;

// Pulumi's own wait for the RPCs in flight (what `disconnect` waits for), internal to the SDK.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs: () => Promise<void> };

/**
 * Waits until the program's registrations are done, so that none reaches the mocks of the next
 * run (which would fail it with `unknown resource`).
 */
async function drain(limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([waitForRPCs(), new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
  clearTimeout(timer);
}

type AnyComponent = new (name: string, args: unknown) => Record<string, unknown>;

/**
 * Runs `plan` as a Pulumi program under the mocks of `runWithMocks`, inside `tailnetProgram`.
 * An error the program throws, or one an Output raises later (an unhandled rejection), is the
 * outcome's error.
 */
export async function runPulumi(plan: Plan): Promise<Outcome> {
  const late: unknown[] = [];
  const onRejection = (reason: unknown): void => void late.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    let tailnet: tk.Tailnet | undefined;
    const tailnetArgs = resolveRefs(plan.tailnet, noRefs);
    const { resources } = await tk.runWithMocks(() =>
      tk.tailnetProgram(tailnetArgs as tk.TailnetArgs, (t) => {
        tailnet = t;
        changeLater(tailnetArgs);
        let operator: unknown;
        let count = 0;
        const build = (ref: Ref): unknown => {
          const name = `ref-${ref.kind.toLowerCase()}-${count++}`;
          switch (ref.kind) {
            case 'proxyClass':
              return new tk.ProxyClass(name);
            case 'proxyGroup':
              return new tk.ProxyGroup(name, { type: ref.options['type'] as tk.ProxyGroupType });
            case 'recorder':
              return new tk.Recorder(name, { enableUI: true });
            case 'tailscaleProvider':
              return new tailscale.Provider(name, {});
            case 'operatorTailnet':
              return new tk.OperatorTailnet(name, { credentials: { secretName: 'tailnet-credentials' } });
            case 'operator':
              return (operator ??= new tk.TailscaleOperator('operator'));
            case 'service': {
              const { name: serviceName, namespace, ...rest } = ref.options;
              const spec = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'wrapped'));
              const resource = new k8s.core.v1.Service(name, {
                metadata: {
                  name: serviceName as string,
                  ...(namespace !== undefined && { namespace: namespace as string }),
                },
                spec,
              });
              return { name: serviceName, ...(namespace !== undefined && { namespace }), resource };
            }
          }
        };
        for (const step of plan.steps) {
          const Component = (tk as unknown as Record<string, AnyComponent>)[step.construct]!;
          const props = resolveRefs(step.props, build);
          const component = new Component(step.id, props);
          if (step.construct === 'TailscaleOperator') operator ??= component;
          callVerbsThenChange(component, step, props, build);
        }
      }),
    );
    await drain(HANG_MS);
    if (late.length > 0) return { error: late[0], objects: [], texts: [] };
    const synthesis = tailnet!.seal();
    const objects = registeredKubeObjects(resources);
    const texts = [
      { where: 'policy', text: synthesis.text },
      { where: 'report', text: JSON.stringify(synthesis.report) },
      ...resources.flatMap((r) =>
        plainStrings(r.inputs).map(({ at, text }) => ({ where: `${r.type} ${r.name} ${at}`, text })),
      ),
    ];
    return { objects, texts };
  } catch (error) {
    // A failed program leaves registrations that wait for the tailnet's seal, forever.
    await drain(ERROR_DRAIN_MS);
    return { error, objects: [], texts: [] };
  } finally {
    process.off('unhandledRejection', onRejection);
  }
}
