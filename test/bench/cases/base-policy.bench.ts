import { parseBasePolicy, renderPolicy, validatePolicy, type GeneratedEntry } from '@tailkube/policy';
import { GROWTH_GOAL, measure, row, type BenchCase } from '../bench';

/** Goal of the issue: a 10 MB base policy merges and validates in 5 s. */
const MERGE_GOAL_MS = 5000;
const MB = 1 << 20;

/**
 * A hand-written base policy of about `bytes`: commented groups, hosts, tag owners and grants from
 * groups to tags, as a large organization's policy grows.
 */
export function basePolicy(bytes: number): string {
  const groups: string[] = [];
  const hosts: string[] = [];
  const tagOwners: string[] = [];
  const grants: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const lines = [
      `\t\t// team ${i}\n\t\t"group:team-${i}": ["user${i}@example.com", "lead${i % 100}@example.com"],\n`,
      `\t\t"db-${i}": "10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}",\n`,
      `\t\t"tag:app-${i}": ["group:team-${i}"],\n`,
      `\t\t// team ${i} reaches its app and database\n\t\t{"src": ["group:team-${i}"], "dst": ["tag:app-${i}", "db-${i}"], "ip": ["tcp:443", "tcp:5432"]},\n`,
    ];
    [groups, hosts, tagOwners, grants].forEach((section, k) => section.push(lines[k]!));
    size += lines.reduce((sum, line) => sum + line.length, 0);
  }
  const section = (name: string, open: string, close: string, body: readonly string[]): string =>
    `\t"${name}": ${open}\n${body.join('')}\t${close},\n`;
  return `// The organization's tailnet policy.\n{\n${section('groups', '{', '}', groups)}${section('hosts', '{', '}', hosts)}${section('tagOwners', '{', '}', tagOwners)}${section('grants', '[', ']', grants)}}\n`;
}

/** What a program adds: the operator's tags and a hundred exposed Services with their grants. */
export const ENTRIES: readonly GeneratedEntry[] = [
  { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s-operator', value: [], sources: ['operator'] },
  { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s', value: ['tag:k8s-operator'], sources: ['operator'] },
  ...Array.from({ length: 100 }, (_, i): GeneratedEntry[] => [
    {
      kind: 'key',
      parent: ['tagOwners'],
      key: `tag:web-${i}`,
      value: ['tag:k8s-operator'],
      sources: [`TailscaleService 'apps/web-${i}'`],
    },
    {
      kind: 'item',
      parent: ['grants'],
      value: { src: ['group:team-0'], dst: [`tag:web-${i}`], ip: ['tcp:443'] },
      sources: [`TailscaleService 'apps/web-${i}'`],
    },
  ]).flat(),
];

function mergeAndValidate(text: string): boolean {
  const rendered = renderPolicy(parseBasePolicy("Tailnet 'bench'", text), ENTRIES);
  return validatePolicy(rendered.document).ok;
}

export const cases: BenchCase[] = [
  {
    name: 'policy:base',
    run: async (context) => {
      const [small, large] = context.quick ? [MB / 10, MB] : [MB, 10 * MB];
      const texts = { small: basePolicy(small), large: basePolicy(large) };
      if (!mergeAndValidate(texts.small)) throw new Error('the generated base policy does not validate');
      const medians = await measure(
        { small: () => mergeAndValidate(texts.small), large: () => mergeAndValidate(texts.large) },
        Math.min(context.repetitions, 3),
      );
      const label = (bytes: number): string => `${bytes / MB} MB`;
      return [
        row(
          `policy:base merge + validate ${label(large)}`,
          large,
          medians['large']!,
          'ms',
          { max: MERGE_GOAL_MS },
          medians,
        ),
        row(
          `policy:base growth ${label(small)}→${label(large)}`,
          large,
          medians['large']! / medians['small']!,
          'growth',
          GROWTH_GOAL,
          medians,
        ),
      ];
    },
  },
];
