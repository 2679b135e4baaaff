import * as pulumi from '@pulumi/pulumi';
import * as tailscale from '@pulumi/tailscale';
import { Connector, TailscaleOperator } from '@tailkube/pulumi';
import { runPulumi } from '@tailkube/testing/pulumi';

/** A user's own component, named like the Connector it wraps. */
class Office extends pulumi.ComponentResource {
  readonly connector: Connector;

  constructor(name: string) {
    super('acme:index:Office', name);
    this.connector = new Connector(name, {
      subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
      tags: ['tag:office'],
    });
    this.registerOutputs({});
  }
}

describe('runPulumi', () => {
  test('returns what every component registered and the policy, beside the resources', async () => {
    // WHEN
    const run = await runPulumi(() => {
      new TailscaleOperator('operator');
      new Connector('office', { subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] }, tags: ['tag:office'] });
    });

    // THEN
    expect(run.constructRequirements.map((req) => req.source)).toStrictEqual([
      "Connector 'office'",
      "TailscaleOperator 'operator'",
    ]);
    expect(run.policy.autoApprovers).toStrictEqual({ routes: { '10.20.0.0/16': ['tag:office'] } });
    expect(run.resources.map((r) => r.type)).toContain('tailscale:index/acl:Acl');
  });

  test('sourceOf names a component by the kind in its type token and its name', async () => {
    // WHEN
    const run = await runPulumi(() => ({
      operator: new TailscaleOperator('operator'),
      office: new Connector('office', { subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] } }),
    }));

    // THEN
    expect(run.sourceOf(run.result.office)).toBe("Connector 'office'");
    expect(run.sourceOf(run.result.operator)).toBe("TailscaleOperator 'operator'");
  });

  test('sourceOf finds the one tailkube construct a component of the same name wraps', async () => {
    // WHEN
    const run = await runPulumi(() => {
      new TailscaleOperator('operator');
      return new Office('office');
    });

    // THEN
    expect(run.sourceOf(run.result)).toBe("Connector 'office'");
  });

  test('sourceOf returns undefined for a resource that registered nothing, and for plain objects', async () => {
    // WHEN
    const run = await runPulumi(() => ({
      key: new tailscale.TailnetKey('key', { reusable: false }),
      operator: new TailscaleOperator('operator'),
    }));

    // THEN
    expect(run.sourceOf(run.result.key)).toBeUndefined();
    expect(run.sourceOf({ name: 'operator' })).toBeUndefined();
  });
});
