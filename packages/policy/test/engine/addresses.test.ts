import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
  covers,
  formatAddress,
  formatRange,
  overlaps,
  parseAddress,
  parseRange,
} from '../../src/engine/addresses';

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

describe('parseAddress', () => {
  /** What an address is by `ipaddr.js`, strictly: the reference the hand-written parser keeps. */
  function reference(text: string): { family: 4 | 6; value: bigint } | undefined {
    const value = (bytes: number[]): bigint => bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
      return { family: 4, value: value(ipaddr.IPv4.parse(text).toByteArray()) };
    }
    if (text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%')) {
      return { family: 6, value: value(ipaddr.IPv6.parse(text).toByteArray()) };
    }
    return undefined;
  }

  it.each([
    '100.64.0.1',
    '255.255.255.255',
    '256.0.0.1',
    '01.2.3.4',
    'fd7a:115c:a1e0::1',
    '::',
    '::1',
    '1::',
    '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:7:8::',
    '::ffff:1.2.3.4',
    '::1.2.3.4',
    '1::1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4',
    '::ffff:0x1.2.3.4',
    'fd7a::1%eth0',
    '12345::1',
    'tag:k8s',
    'host',
    'dead:beef',
  ])('reads %s as ipaddr.js does', (text) => {
    expect(parseAddress(text)).toEqual(reference(text));
  });

  it('reads any short text of address characters as ipaddr.js does', () => {
    const text = fc
      .array(fc.constantFrom('0', '1', 'f', 'F', 'x', ':', '::', '.', '255', '256', '01', 'ffff', '%'), {
        maxLength: 14,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(parseAddress(t)).toEqual(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatAddress', () => {
  /** How `ipaddr.js` prints the address: the reference the hand-written printer keeps. */
  function reference(family: 4 | 6, value: bigint): string {
    const count = family === 4 ? 4 : 16;
    const bytes = Array.from({ length: count }, (_, index) =>
      Number((value >> BigInt((count - 1 - index) * 8)) & 255n),
    );
    return ipaddr.fromByteArray(bytes).toString();
  }

  it.each([
    [4, '0.0.0.0'],
    [4, '100.64.0.1'],
    [6, '::'],
    [6, '::1'],
    [6, '1::'],
    [6, '1:0:0:1:0:0:0:1'],
    [6, '1:0:0:2:0:0:3:4'],
    [6, '1:0:1:0:1:0:1:0'],
    [6, 'fd7a:115c:a1e0::1'],
  ] as const)('prints IPv%s %s as ipaddr.js does', (family, text) => {
    const value = parseAddress(text)!.value;
    expect(formatAddress(family, value)).toBe(reference(family, value));
  });

  it('prints any address as ipaddr.js does, zero runs of every length and place included', () => {
    // Groups drawn mostly from 0, so that runs of zeros (the `::` choice) come in every shape.
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    const v6 = fc
      .array(group, { minLength: 8, maxLength: 8 })
      .map((groups) => groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n));
    const v4 = fc.integer({ min: 0, max: 0xffffffff }).map(BigInt);
    fc.assert(
      fc.property(v6, (value) => formatAddress(6, value) === reference(6, value)),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(v4, (value) => formatAddress(4, value) === reference(4, value)),
      { numRuns: 2000 },
    );
  });
});
