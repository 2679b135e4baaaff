import { covers, formatRange, overlaps, parseRange } from '../../src/engine/addresses';

describe('parseRange', () => {
  it.each([
    ['100.64.0.1', '100.64.0.1/32'],
    ['10.0.0.1/8', '10.0.0.0/8'],
    ['fd7a:115c:a1e0::1', 'fd7a:115c:a1e0::1/128'],
    ['::/0', '::/0'],
    ['100.115.94.0-100.127.255.255', '100.115.94.0-100.127.255.255'],
    ['100.64.0.0-100.95.255.255', '100.64.0.0/11'],
  ])('parses %s as %s', (text, formatted) => {
    const range = parseRange(text);
    expect(range === undefined ? undefined : formatRange(range)).toBe(formatted);
  });

  it.each(['100.64.0', '10.0.0.0/33', '1.2.3.4/x', 'fd7a::1-10.0.0.1', 'host', '010.0.0.1'])(
    'rejects %s',
    (text) => {
      expect(parseRange(text)).toBeUndefined();
    },
  );
});

describe('covers and overlaps', () => {
  const net = (text: string) => parseRange(text) ?? { family: 4 as const, first: -1n, last: -2n };

  it.each([
    ['10.0.0.0/8', '10.33.0.0/16', true, true],
    ['10.33.0.0/16', '10.0.0.0/8', false, true],
    ['10.0.0.0/8', '192.168.0.0/16', false, false],
    ['0.0.0.0/0', '::/0', false, false],
  ])('%s against %s: covers %s, overlaps %s', (a, b, coversExpected, overlapsExpected) => {
    expect(covers(net(a), net(b))).toBe(coversExpected);
    expect(overlaps(net(a), net(b))).toBe(overlapsExpected);
  });
});
