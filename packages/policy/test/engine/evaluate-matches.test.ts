import fc from 'fast-check';
import type { PolicyDocument } from '../../src/document';
import { covers, parseRange, type AddressRange } from '../../src/engine/addresses';
import { targetsOf, type CompiledMatch } from '../../src/engine/compile';
import { deriveTopology } from '../../src/engine/derive-topology';
import { admittingMatch, grantedCapabilities } from '../../src/engine/evaluate-matches';
import { portIn } from '../../src/engine/ports';
import { compileRules } from '../../src/engine/simulate';

const CAP = 'example.com/cap/web';

/** The first match admitting the packet, read off every match in order: what the index must find. */
function firstAdmitting(
  matches: readonly CompiledMatch[],
  src: AddressRange,
  dst: AddressRange,
  proto: number,
  port: number,
): CompiledMatch | undefined {
  return matches.find(
    (match) =>
      match.protocols.includes(proto) &&
      targetsOf(match).some(
        ({ ranges, ports }) => portIn(ports, port) && ranges.some((range) => covers(range, dst)),
      ) &&
      match.srcs.some((range) => covers(range, src)),
  );
}

/** A source: a user, a group of users, or a CIDR. */
const selector = fc.oneof(
  fc.integer({ min: 0, max: 59 }).map((i) => `user${i}@example.com`),
  fc.constantFrom('group:even', 'group:odd'),
  fc.constantFrom('100.64.0.0/10', '100.64.0.0/24'),
);

/**
 * One grant to `tag:web` from one or two sources (a group with a CIDR makes a long source list with
 * a wide range in it), on a port, maybe with a capability.
 */
const grant = fc.record({
  from: fc.uniqueArray(selector, { minLength: 1, maxLength: 2 }),
  port: fc.integer({ min: 1, max: 4 }),
  capability: fc.boolean(),
});

describe('the candidates of one destination, and long source lists, looked up by source', () => {
  test('admit and grant exactly what a scan of every match does, in the same order', () => {
    fc.assert(
      fc.property(fc.array(grant, { minLength: 40, maxLength: 120 }), (grants) => {
        const users = Array.from({ length: 60 }, (_, i) => `user${i}@example.com`);
        const policy: PolicyDocument = {
          groups: {
            'group:even': users.filter((_, i) => i % 2 === 0),
            'group:odd': users.filter((_, i) => i % 2 === 1),
          },
          tagOwners: { 'tag:web': [] },
          grants: grants.map(({ from, port, capability }) => ({
            src: from,
            dst: ['tag:web'],
            ip: [`tcp:${port}`],
            ...(capability && { app: { [CAP]: [{ port }] } }),
          })),
        };
        const topology = deriveTopology(policy, users);
        const { matches } = compileRules(policy, topology);
        const web = parseRange(topology.nodes['web']!.ipv4)!;
        for (const user of users) {
          const node = topology.nodes[`${user.replace(/@.*$/, '')}-device`]!;
          const src = parseRange(node.ipv4)!;
          for (let port = 1; port <= 5; port++) {
            expect(admittingMatch(matches, { src, dst: web, proto: 6, port })).toBe(
              firstAdmitting(matches, src, web, 6, port),
            );
          }
          const scanned = matches
            .filter((match) => match.srcs.some((range) => covers(range, src)))
            .flatMap((match) =>
              match.caps.filter((cap) => covers(cap.range, web)).map((cap) => ({ ...cap, match })),
            );
          expect(grantedCapabilities(matches, src, web)).toEqual(
            scanned.map(({ cap, values, match }) => ({ cap, values, match })),
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});
