import {
  TailnetModel,
  UNGRANTED_STAND_IN,
  recorderRequirements,
  recorderUiAllowance,
  resolveRecorderProps,
  type RecorderProps,
} from '../../src/internal';
import { defaultOperatorRequirements, failure } from '../helpers/tailnet';

const PATH = "Recorder 'audit/recorder'";

function recorder(props: RecorderProps = { enableUI: true }) {
  return resolveRecorderProps(PATH, 'recorder', props);
}

describe('recorderUiAllowance', () => {
  test('one grant to the recorder tags on tcp:443, each principal allowed, anyone else denied', () => {
    const props = recorder({ enableUI: true, tags: ['tag:recorder', 'tag:audit'] });
    const { allowance, requirements } = recorderUiAllowance(PATH, props, [
      'group:security',
      'alice@example.com',
    ]);
    const grant = {
      src: ['alice@example.com', 'group:security'],
      dst: ['tag:audit', 'tag:recorder'],
      ip: ['tcp:443'],
    };
    expect(allowance).toStrictEqual({ principals: ['alice@example.com', 'group:security'], grants: [grant] });
    expect(requirements).toStrictEqual({
      source: PATH,
      grants: [grant],
      intendedAccess: [
        { src: 'alice@example.com', dst: 'tag:audit', port: 443, expect: 'allow' },
        { src: 'group:security', dst: 'tag:audit', port: 443, expect: 'allow' },
        { src: 'alice@example.com', dst: 'tag:recorder', port: 443, expect: 'allow' },
        { src: 'group:security', dst: 'tag:recorder', port: 443, expect: 'allow' },
        { src: 'autogroup:member', dst: 'tag:audit', port: 443, expect: 'deny' },
      ],
    });
  });

  test('members allowed: an ungranted tag stands in for anyone else', () => {
    const { requirements } = recorderUiAllowance(PATH, recorder(), ['autogroup:member']);
    expect(requirements.intendedAccess?.at(-1)).toStrictEqual({
      src: UNGRANTED_STAND_IN,
      dst: 'tag:k8s-recorder',
      port: 443,
      expect: 'deny',
    });
  });

  test('the access holds in the rendered policy', () => {
    const tailnet = new TailnetModel("Tailnet 'tailnet'", {
      allowAll: 'deny',
      basePolicy: '{"groups": {"group:security": ["alice@example.com"]}}',
    });
    const props = recorder();
    tailnet.register(defaultOperatorRequirements());
    tailnet.register(recorderRequirements(PATH, props));
    tailnet.register(recorderUiAllowance(PATH, props, ['group:security']).requirements);
    const { document } = tailnet.seal();
    expect(document.grants).toContainEqual({
      src: ['group:security'],
      dst: ['tag:k8s-recorder'],
      ip: ['tcp:443'],
    });
  });

  test('fails when the recorder serves no UI', () => {
    const props = recorder({ storage: { s3: { endpoint: 's3.example.com', bucket: 'recordings' } } });
    const error = failure(() => recorderUiAllowance(PATH, props, ['group:security']));
    expect([error.path, error.field, error.value, error.allowed]).toStrictEqual([
      PATH,
      'enableUI',
      false,
      'true: `allow` lets principals reach the UI, and the recorder serves one only with `enableUI`',
    ]);
  });

  test('fails when a port is not the UI port', () => {
    const error = failure(() => recorderUiAllowance(PATH, recorder(), ['group:security'], { ports: [80] }));
    expect([error.field, error.value, error.allowed]).toStrictEqual([
      'ports[0]',
      80,
      'one of the exposed ports [443]',
    ]);
  });
});
