import { parseIpSpec, parsePorts, parseProtocol } from '../../src/engine/ports';

describe('parsePorts', () => {
  it.each([
    ['*', [{ First: 0, Last: 65535 }]],
    ['22', [{ First: 22, Last: 22 }]],
    ['80-443', [{ First: 80, Last: 443 }]],
    [
      '22,80,8000-8100',
      [
        { First: 22, Last: 22 },
        { First: 80, Last: 80 },
        { First: 8000, Last: 8100 },
      ],
    ],
  ])('parses %s', (text, expected) => {
    expect(parsePorts(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['ssh', 'port range "ssh": invalid first integer'],
    ['-1', 'port range "-1": invalid first integer'],
    ['99999', 'port range "99999": port out of range'],
    ['443-80', 'port range "443-80": first port is after last port'],
  ])('rejects %s', (text, error) => {
    expect(parsePorts(text)).toEqual({ ok: false, error });
  });
});

describe('parseProtocol', () => {
  it.each<[string | undefined, readonly number[]]>([
    [undefined, [6, 17, 1, 58]],
    ['tcp', [6]],
    ['UDP', [17]],
    ['icmp', [1]],
    ['47', [47]],
  ])('maps %s to IANA numbers', (text, expected) => {
    expect(parseProtocol(text)).toEqual({ ok: true, value: expected });
  });

  it('fails when the protocol is unknown', () => {
    expect(parseProtocol('quic')).toEqual({ ok: false, error: 'proto "quic": unknown protocol' });
  });
});

describe('parseIpSpec', () => {
  it.each([
    ['*', [6, 17, 1, 58], [{ First: 0, Last: 65535 }]],
    ['tcp:443', [6], [{ First: 443, Last: 443 }]],
    ['53', [6, 17, 1, 58], [{ First: 53, Last: 53 }]],
    ['icmp:*', [1], [{ First: 0, Last: 65535 }]],
  ])('parses %s', (text, protocols, ports) => {
    expect(parseIpSpec(text)).toEqual({ ok: true, value: { protocols, ports } });
  });

  it.each([
    ['icmp', 'port range "icmp": invalid first integer'],
    ['icmp:22', '"icmp:22": ports are only allowed with tcp, udp or sctp'],
  ])('rejects %s', (text, error) => {
    expect(parseIpSpec(text)).toEqual({ ok: false, error });
  });
});
