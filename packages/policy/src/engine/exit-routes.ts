import { parseRange, type AddressRange } from './addresses';

/**
 * What an exit node never forwards: its client removes these from the default route it offers,
 * so its packet filter never admits traffic to them (tailscale v1.102.3 `ipn/ipnlocal/local.go`
 * `removeFromDefaultRoute` and `shrinkDefaultRoute`; the filter drops what is not in its local
 * networks, `wgengine/filter/filter.go`). Tailscale Services' VIPs lie in the Tailscale ranges.
 */
const NOT_FORWARDED: readonly AddressRange[] = [
  '10.0.0.0/8', // RFC 1918
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16', // IPv4 link-local
  '224.0.0.0/4', // IPv4 multicast
  '100.64.0.0/10', // Tailscale's IPv4 range (CGNAT)
  'fe80::/10', // IPv6 link-local
  'ff00::/8', // IPv6 multicast
  'fd7a:115c:a1e0::/48', // Tailscale's IPv6 range (ULA)
]
  .map(parseRange)
  .filter((range) => range !== undefined);

/** The part of an exit node's exit routes it forwards: the internet, without the ranges above. */
export function forwardedByExitNode(routes: readonly AddressRange[]): AddressRange[] {
  return routes.flatMap((route) => {
    let parts: AddressRange[] = [route];
    for (const hole of NOT_FORWARDED) {
      if (hole.family !== route.family) continue;
      parts = parts.flatMap((part) => {
        if (hole.last < part.first || part.last < hole.first) return [part];
        const kept: AddressRange[] = [];
        if (part.first < hole.first)
          kept.push({ family: part.family, first: part.first, last: hole.first - 1n });
        if (hole.last < part.last) kept.push({ family: part.family, first: hole.last + 1n, last: part.last });
        return kept;
      });
    }
    return parts;
  });
}
