import { redact, registerSecret } from '../src/redact';
import { keyShaped } from './helpers/key-shaped';

describe('redact', () => {
  test('removes anything shaped like a Tailscale key', () => {
    const text = `key ${keyShaped('api', 'test123-abcDEF_0')} and ${keyShaped('client', 'xyz')}.`;
    expect(redact(text)).toBe('key <redacted> and <redacted>.');
  });

  test('removes a registered secret whatever its shape, but not short words', () => {
    registerSecret('hunter2-but-longer');
    registerSecret('ab');

    expect(redact('secret=hunter2-but-longer; ab')).toBe('secret=<redacted>; ab');
  });
});
