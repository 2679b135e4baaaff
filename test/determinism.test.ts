import * as fs from 'node:fs';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as pulumi from '@pulumi/pulumi';
import { OperatorKustomizations, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import type { TailnetRequirements } from '@tailkube/core/internal';
import { TailscaleOperator as PulumiTailscaleOperator, runWithMocks, tailnetProgram } from '@tailkube/pulumi';
import { FULL_OPERATOR_PROPS } from './helpers/operator-props';
import { synthApp, tempDir } from './helpers/synth';

const BASE_POLICY = `// The team's policy.
{
  "groups": { "group:eng": ["alice@example.com"] }, // kept as written
  "tagOwners": { "tag:ci": ["group:eng"] },
}
`;

/**
 * What later constructs will need from the tailnet, registered directly: overlapping keys, items
 * and sources, so that merge order would show in the policy if it leaked.
 */
function requirements(prefix: string): TailnetRequirements[] {
  return [
    {
      source: `Needs '${prefix}/web'`,
      proxyTags: ['tag:web', 'tag:k8s'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'web' }],
      grants: [{ src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:443'] }],
      autoApprovers: { routes: { '10.0.0.0/8': ['tag:web'] }, services: { 'svc:web': ['tag:web'] } },
      intendedAccess: [{ src: 'group:eng', dst: 'tag:web', port: 443, expect: 'allow' }],
    },
    {
      source: `Needs '${prefix}/db'`,
      proxyTags: ['tag:db'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'db' }],
      grants: [
        { src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] },
        { src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:443'] },
      ],
      nodeAttrs: [{ target: ['tag:db'], attr: ['funnel'] }],
      autoApprovers: { routes: { '10.0.0.0/8': ['tag:db'], '192.168.0.0/16': ['tag:db'] } },
      oauthScopes: ['services'],
      intendedAccess: [{ src: 'tag:ci', dst: 'tag:db', port: 5432, expect: 'deny' }],
    },
  ];
}

/** Stands in for a construct that registers what it needs with the app's tailnet. */
class Needs extends Construct {
  constructor(scope: Construct, id: string, needs: TailnetRequirements) {
    super(scope, id);
    Tailnet.of(this).register(needs);
  }
}

type Step = (app: App) => void;

const operator: Step = (app) =>
  new TailscaleOperator(new Chart(app, 'operator'), 'Operator', {
    ...FULL_OPERATOR_PROPS,
    tags: ['tag:k8s-operator'],
  });
const flux: Step = (app) =>
  new OperatorKustomizations(new Chart(app, 'flux'), 'Kustomizations', {
    sourceRef: { kind: 'GitRepository', name: 'fleet' },
    operatorPath: './operator',
    resourcesPath: './tailscale',
  });
const needs: Step[] = requirements('app').map((req, i) => (app) => {
  const chart = app.node.tryFindChild('needs') ?? new Chart(app, 'needs');
  new Needs(chart, `Needs${i}`, req);
});

function program(steps: readonly Step[]): Step {
  return (app) => {
    new Tailnet(app, 'Tailnet', { basePolicy: BASE_POLICY, allowAll: 'deny' });
    for (const step of steps) step(app);
  };
}

describe('cdk8s', () => {
  test('synthesizing the same app twice gives byte-identical files', () => {
    const steps = [operator, flux, ...needs];
    const first = synthApp(program(steps));
    const second = synthApp(program(steps));
    expect(first.outdir).not.toBe(second.outdir);
    expect(Object.keys(first.files).sort()).toStrictEqual([
      'flux.k8s.yaml',
      'needs.k8s.yaml',
      'operator.k8s.yaml',
      'tailnet-policy.hujson',
      'tailnet-requirements.json',
    ]);
    expect(second.files).toStrictEqual(first.files);
    expect(first.files['tailnet-policy.hujson']).toContain('"svc:web"');
  });

  test('synthesizing a chart alone writes nothing, and app.synth() after it writes the same files', () => {
    // GIVEN
    const outdir = tempDir('chart-synth');
    const app = new App({ outdir });
    program([operator, flux, ...needs])(app);

    // WHEN: a unit test's `Testing.synth(chart)` calls this; it validates (and seals) the whole app.
    app.charts.forEach((chart) => chart.toJson());

    // THEN
    expect(fs.readdirSync(outdir)).toStrictEqual([]);
    app.synth();
    expect(synthApp(program([operator, flux, ...needs])).files).toStrictEqual(
      Object.fromEntries(fs.readdirSync(outdir).map((f) => [f, fs.readFileSync(`${outdir}/${f}`, 'utf8')])),
    );
  });

  test('declaring constructs in another order gives the same files', () => {
    const forward = synthApp(program([operator, flux, ...needs]));
    const backward = synthApp(program([...needs].reverse().concat(flux, operator)));
    expect(backward.files).toStrictEqual(forward.files);
  });
});

describe('Pulumi', () => {
  async function aclText(order: 'forward' | 'backward'): Promise<string> {
    const { resources } = await runWithMocks(() =>
      tailnetProgram({ basePolicy: BASE_POLICY, allowAll: 'deny' }, async (tailnet) => {
        const reqs = requirements('needs');
        if (order === 'backward') reqs.reverse();
        if (order === 'forward') new PulumiTailscaleOperator('operator', { tags: ['tag:k8s-operator'] });
        for (const req of reqs) {
          // Across awaits, as an async program would.
          await Promise.resolve();
          tailnet.register(req);
        }
        if (order === 'backward') new PulumiTailscaleOperator('operator', { tags: ['tag:k8s-operator'] });
      }),
    );
    const acls = resources.filter((r) => r.type === 'tailscale:index/acl:Acl');
    expect(acls).toHaveLength(1);
    const text = acls[0]?.inputs['acl'];
    expect(typeof text).toBe('string');
    return text as string;
  }

  test('running the same program twice gives the same Acl text', async () => {
    const first = await aclText('forward');
    const second = await aclText('forward');
    expect(second).toBe(first);
    expect(first).toContain('"tag:db"');
  });

  test('declaring components in another order gives the same Acl text', async () => {
    expect(await aclText('backward')).toBe(await aclText('forward'));
  });

  test('the policy output equals the Acl text', async () => {
    const { resources, result } = await runWithMocks(() =>
      tailnetProgram({}, (tailnet) => {
        new PulumiTailscaleOperator('operator');
        return tailnet;
      }),
    );
    const policy = await new Promise<string>((resolve) => pulumi.output(result.policy).apply(resolve));
    expect(resources.find((r) => r.type === 'tailscale:index/acl:Acl')?.inputs['acl']).toBe(policy);
  });
});
