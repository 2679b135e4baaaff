import fc from 'fast-check';
import {
  DNS_LABEL_PATTERN,
  HOSTNAME_PATTERN,
  HOSTNAME_PREFIX_PATTERN,
  LABEL_VALUE_PATTERN,
  TAG_PATTERN,
  VERSION_PATTERN,
  checkHostname,
  checkHostnamePrefix,
  checkLabelValue,
  checkNamespace,
  checkObjectName,
  checkProxyClassLabel,
  checkRoute,
  checkTag,
  checkVersion,
  maskRoute,
} from '../../src/internal';

const TAG_ALLOWED =
  'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)';
const HOSTNAME_ALLOWED =
  'a DNS label of 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash';
const ROUTE_ALLOWED = 'a masked CIDR such as "10.0.0.0/8"';

describe('the CRD patterns', () => {
  // Copied from the operator's CRDs at the pinned tag
  // (reference/tailscale-operator/v1.102.3/crds), so a drift in src shows here.
  test.each([
    [TAG_PATTERN, '^tag:[a-zA-Z][a-zA-Z0-9-]*$'],
    [HOSTNAME_PATTERN, '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$'],
    [HOSTNAME_PREFIX_PATTERN, '^[a-z0-9][a-z0-9-]{0,61}$'],
  ])('%s is the operator pattern', (pattern, source) => {
    expect(pattern.source).toBe(source);
    expect(pattern.flags).toBe('');
  });
});

describe('checkTag', () => {
  test.each(['tag:k8s', 'tag:k8s-operator', 'tag:A', 'tag:a1-b2', `tag:${'a'.repeat(200)}`])(
    'accepts %j',
    (tag) => {
      expect(checkTag(tag, 'tags[0]')).toBeUndefined();
    },
  );

  test.each([
    ['k8s', 'did you mean "tag:k8s"?'],
    ['tag:', undefined],
    ['tag:1k8s', undefined],
    ['tag:-k8s', undefined],
    ['tag:k8s_operator', undefined],
    ['tag:k8s.operator', undefined],
    ['tag:k8s ', undefined],
    [' tag:k8s', undefined],
    ['Tag:k8s', undefined],
    ['tag:k8s:x', undefined],
    ['group:k8s', undefined],
    ['', undefined],
  ])('rejects %j', (tag, hint) => {
    expect(checkTag(tag, 'tags[2]')).toStrictEqual({
      field: 'tags[2]',
      value: tag,
      allowed: TAG_ALLOWED,
      ...(hint && { hint }),
    });
  });
});

describe('checkHostname', () => {
  test.each(['ab', 'a1', '00', 'tailscale-operator', 'a-b', 'a'.repeat(63), `a${'-'.repeat(61)}b`])(
    'accepts %j',
    (hostname) => {
      expect(checkHostname(hostname, 'hostname')).toBeUndefined();
    },
  );

  test.each([
    ['a', undefined],
    ['', undefined],
    ['a'.repeat(64), undefined],
    ['-ab', 'did you mean "ab"?'],
    ['ab-', 'did you mean "ab"?'],
    ['My_Host', 'did you mean "my-host"?'],
    ['my.host', 'did you mean "my-host"?'],
    ['UPPER', 'did you mean "upper"?'],
    ['--', undefined],
  ])('rejects %j', (hostname, hint) => {
    expect(checkHostname(hostname, 'hostname')).toStrictEqual({
      field: 'hostname',
      value: hostname,
      allowed: HOSTNAME_ALLOWED,
      ...(hint && { hint }),
    });
  });
});

describe('checkHostnamePrefix', () => {
  test.each(['a', '0', 'a-', 'proxy-', 'a'.repeat(62), `a${'-'.repeat(61)}`])('accepts %j', (prefix) => {
    expect(checkHostnamePrefix(prefix, 'hostnamePrefix')).toBeUndefined();
  });

  test.each(['', '-a', 'a'.repeat(63), 'A', 'a_b', 'a.b'])('rejects %j', (prefix) => {
    expect(checkHostnamePrefix(prefix, 'hostnamePrefix')).toStrictEqual({
      field: 'hostnamePrefix',
      value: prefix,
      allowed: '1 to 62 lower-case letters, digits and dashes, not starting with a dash',
    });
  });
});

describe('hints', () => {
  test('a hostname hint is itself a valid hostname', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ0-_. '), maxLength: 70 }), (value) => {
        const hint = checkHostname(value, 'hostname')?.hint;
        if (hint === undefined) return;
        const suggested = /^did you mean "(.*)"\?$/.exec(hint)?.[1] as string;
        expect(checkHostname(suggested, 'hostname')).toBeUndefined();
      }),
    );
  });

  test('a tag hint is itself a valid tag', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ0-:_'), maxLength: 20 }), (value) => {
        const hint = checkTag(value, 'tags[0]')?.hint;
        if (hint === undefined) return;
        expect(hint).toBe(`did you mean "tag:${value}"?`);
        expect(checkTag(`tag:${value}`, 'tags[0]')).toBeUndefined();
      }),
    );
  });
});

describe('checkNamespace', () => {
  test.each(['a', 'tailscale', 'kube-system', '0', 'a'.repeat(63), 'a-0'])('accepts %j', (ns) => {
    expect(checkNamespace(ns, 'namespace')).toBeUndefined();
    expect(DNS_LABEL_PATTERN.test(ns)).toBe(true);
  });

  test.each(['', 'a'.repeat(64), '-a', 'a-', 'Tailscale', 'a.b', 'a_b', 'a b'])('rejects %j', (ns) => {
    expect(checkNamespace(ns, 'namespace')).toStrictEqual({
      field: 'namespace',
      value: ns,
      allowed:
        'a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
    });
  });
});

describe('checkObjectName', () => {
  test.each(['a', 'my-class', 'a.b.c', 'a'.repeat(253), `${'a'.repeat(63)}.${'b'.repeat(63)}`])(
    'accepts %j',
    (name) => {
      expect(checkObjectName(name, 'name')).toBeUndefined();
    },
  );

  test.each(['', 'a'.repeat(254), 'A', '-a', 'a-', 'a..b', '.a', 'a_b'])('rejects %j', (name) => {
    expect(checkObjectName(name, 'name')).toStrictEqual({
      field: 'name',
      value: name,
      allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
    });
  });
});

describe('checkLabelValue', () => {
  test.each(['', 'a', 'A', 'privileged', 'a.b_c-d', 'a'.repeat(63), `A${'-._'.repeat(20)}Z`])(
    'accepts %j',
    (value) => {
      expect(checkLabelValue(value, 'labels.x')).toBeUndefined();
    },
  );

  test.each(['a'.repeat(64), '-a', 'a-', '_a', 'a.', 'a b', 'a/b', 'a:b'])('rejects %j', (value) => {
    expect(checkLabelValue(value, 'labels.x')).toStrictEqual({
      field: 'labels.x',
      value,
      allowed:
        'a label value: at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit',
    });
  });

  test('matches the CRD label value pattern with its maxLength 63', () => {
    // The CRD says ^(([a-zA-Z0-9][-._a-zA-Z0-9]*)?[a-zA-Z0-9])?$ with maxLength: 63.
    const crd = /^(([a-zA-Z0-9][-._a-zA-Z0-9]*)?[a-zA-Z0-9])?$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09-._/ '), maxLength: 70 }), (value) => {
        expect(LABEL_VALUE_PATTERN.test(value)).toBe(crd.test(value) && value.length <= 63);
      }),
    );
  });
});

describe('checkVersion', () => {
  test.each(['1.102.3', '0.0.0', '10.20.30'])('accepts %j', (version) => {
    expect(checkVersion(version, 'version')).toBeUndefined();
    expect(VERSION_PATTERN.test(version)).toBe(true);
  });

  test.each([
    ['v1.102.3', 'did you mean "1.102.3"?'],
    ['1.102', undefined],
    ['1.102.3-rc1', undefined],
    ['latest', undefined],
    ['', undefined],
    [' 1.102.3', undefined],
  ])('rejects %j', (version, hint) => {
    expect(checkVersion(version, 'version')).toStrictEqual({
      field: 'version',
      value: version,
      allowed: 'a release version such as "1.102.3"',
      ...(hint && { hint }),
    });
  });
});

describe('checkRoute', () => {
  test.each([
    '10.0.0.0/8',
    '192.168.1.0/24',
    '0.0.0.0/0',
    '10.1.2.3/32',
    'fd7a:115c:a1e0::/48',
    '::/0',
    '2001:db8::1/128',
  ])('accepts %j', (route) => {
    expect(checkRoute(route, 'advertiseRoutes[0]')).toBeUndefined();
  });

  test.each([
    ['10.0.0.1/8', 'did you mean "10.0.0.0/8"?'],
    ['192.168.1.77/24', 'did you mean "192.168.1.0/24"?'],
    ['fd7a:115c:a1e0::1/48', 'did you mean "fd7a:115c:a1e0::/48"?'],
    ['FD7A:115C:A1E0::/48', 'did you mean "fd7a:115c:a1e0::/48"?'],
    ['2001:0db8:0000::/32', 'did you mean "2001:db8::/32"?'],
    ['10.0.0.1', 'did you mean "10.0.0.1/32"?'],
    ['fd7a:115c:a1e0::1', 'did you mean "fd7a:115c:a1e0::1/128"?'],
    ['10.0.0.0/33', undefined],
    ['::/129', undefined],
    // inet_aton shorthands are not addresses to Tailscale; hinting their decoding would name
    // another network ("010" is octal 8, "10.1" is 10.0.0.1).
    ['010.0.0.0/8', undefined],
    ['10.1/16', undefined],
    ['10.1', undefined],
    ['1.2.3', undefined],
    ['0x0a.0.0.1', undefined],
    ['10.0.0.01/32', undefined],
    ['10.0.0.256/8', undefined],
    ['10.0.0.0/', undefined],
    ['/8', undefined],
    ['garbage', undefined],
    ['', undefined],
    ['10.0.0.0/8 ', undefined],
  ])('rejects %j', (route, hint) => {
    expect(checkRoute(route, 'advertiseRoutes[1]')).toStrictEqual({
      field: 'advertiseRoutes[1]',
      value: route,
      allowed: ROUTE_ALLOWED,
      ...(hint && { hint }),
    });
  });
});

describe('maskRoute', () => {
  test.each([
    ['10.0.0.1/8', '10.0.0.0/8'],
    ['10.255.255.255/16', '10.255.0.0/16'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['1.2.3.4/0', '0.0.0.0/0'],
    ['fd7a:115c:a1e0:ab12::1/64', 'fd7a:115c:a1e0:ab12::/64'],
    ['10.0.0.1', undefined],
    ['not/a/route', undefined],
    ['10.0.0.0/33', undefined],
    ['010.0.0.0/8', undefined],
    ['10.1/16', undefined],
  ])('masks %j to %j', (route, masked) => {
    expect(maskRoute(route)).toBe(masked);
  });

  const ipv4Cidr = fc
    .tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }))
    .map(([address, bits]) => `${address}/${bits}`);
  const ipv6Cidr = fc
    .tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 }))
    .map(([address, bits]) => `${address}/${bits}`);
  const cidr = fc.oneof(ipv4Cidr, ipv6Cidr);

  test('is idempotent and its result is accepted by checkRoute', () => {
    fc.assert(
      fc.property(cidr, (route) => {
        const masked = maskRoute(route);
        expect(masked).toBeDefined();
        expect(maskRoute(masked as string)).toBe(masked);
        expect(checkRoute(masked as string, 'route')).toBeUndefined();
      }),
    );
  });

  test('keeps the prefix length and clears every host bit of an IPv4 route', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (address, bits) => {
        const masked = maskRoute(`${address}/${bits}`) as string;
        const [network, length] = masked.split('/');
        expect(length).toBe(String(bits));
        const toInt = (a: string) => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
        const size = 2 ** (32 - bits);
        expect(toInt(network as string)).toBe(Math.floor(toInt(address) / size) * size);
      }),
    );
  });

  test('checkRoute rejects a route exactly when masking changes it, and then hints the masked form', () => {
    fc.assert(
      fc.property(cidr, (route) => {
        const masked = maskRoute(route) as string;
        const violation = checkRoute(route, 'route');
        if (masked === route) expect(violation).toBeUndefined();
        else expect(violation?.hint).toBe(`did you mean "${masked}"?`);
      }),
    );
  });
});

describe('checkProxyClassLabel', () => {
  test.each(['web', 'a.b', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(checkProxyClassLabel(name, 'proxyClass.name')).toBeUndefined();
  });

  // Object names of up to 253 characters, but the `tailscale.com/proxy-class` label takes 63.
  test.each(['x'.repeat(64), 'y'.repeat(253), 'Web', 'a_b', ''])('refuses %s', (name) => {
    expect(checkProxyClassLabel(name, 'proxyClass.name')?.field).toBe('proxyClass.name');
  });
});
