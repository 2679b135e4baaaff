import { Chart, Testing } from 'cdk8s';
import '@tailkube/testing/jest';
import { constructAt, synthCdk8s } from '@tailkube/testing/cdk8s';
import { homeProgram } from './helpers/programs';

describe('synthCdk8s', () => {
  test('returns what every construct registered, sorted by source', () => {
    // GIVEN
    const { app } = homeProgram();

    // WHEN
    const { constructRequirements } = synthCdk8s(app);

    // THEN: the Connector registered twice (itself, then `allow`)
    expect(constructRequirements.map((req) => req.source)).toStrictEqual([
      "Connector 'platform/office'",
      "Connector 'platform/office'",
      "TailscaleOperator 'operator/tailscale'",
    ]);
    expect(constructRequirements[0]).toMatchObject({
      proxyTags: ['tag:office'],
      claims: expect.arrayContaining([{ kind: 'hostname', field: 'hostname', hostname: 'office-connector' }]),
    });
  });

  test('sourceOf names a construct of the app by its path', () => {
    // GIVEN
    const { app, office, operator } = homeProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN
    expect(result.sourceOf(office)).toBe("Connector 'platform/office'");
    expect(result.sourceOf(operator)).toBe("TailscaleOperator 'operator/tailscale'");
  });

  test('sourceOf returns undefined for what is not a registered construct of the app', () => {
    // GIVEN
    const { app, platform } = homeProgram();
    const other = homeProgram();

    // WHEN
    const result = synthCdk8s(app);

    // THEN: a chart registers nothing; a construct of another app has the same path but another root
    expect(result.sourceOf(platform)).toBeUndefined();
    expect(result.sourceOf(other.office)).toBeUndefined();
    expect(result.sourceOf(new Chart(Testing.app(), 'platform'))).toBeUndefined();
    expect(result.sourceOf({ node: { path: 'platform/office' } })).toBeUndefined();
  });
});

describe('constructAt', () => {
  test('finds a construct by its path, for the matchers', () => {
    const { app, office } = homeProgram();
    expect(constructAt(app, 'platform/office')).toBe(office);
    expect(synthCdk8s(app)).toDeny('group:family', constructAt(app, 'platform/office'), 443);
  });

  test('names the children of the deepest scope found when nothing is there', () => {
    const { app } = homeProgram();
    expect(() => constructAt(app, 'platform/offices')).toThrow(
      'constructAt: `path` must be the path of a construct of the app, such as "chart/id", got "platform/offices"; \'platform\' has no child "offices"; its children are office',
    );
  });
});
