import type { AccessEntry } from '../access';

/** The ways `tailkube access` prints who can reach what. */
export const ACCESS_FORMATS = ['table', 'markdown', 'mermaid', 'json'] as const;

/** One of {@link ACCESS_FORMATS}. */
export type AccessFormat = (typeof ACCESS_FORMATS)[number];

const HEADER = ['source', 'destination', 'ports', 'capabilities', 'constructs'] as const;

/** The access matrix in `format`, ending with a newline. */
export function formatAccess(entries: readonly AccessEntry[], format: AccessFormat): string {
  switch (format) {
    case 'table':
      return table(entries.map(row));
    case 'markdown':
      return markdown(entries.map(row));
    case 'mermaid':
      return mermaid(entries);
    case 'json':
      return `${JSON.stringify(entries, null, 2)}\n`;
  }
}

function row(entry: AccessEntry): readonly string[] {
  return [
    entry.src,
    entry.dst,
    entry.ports.join(', ') || '-',
    Object.keys(entry.capabilities).join(', ') || '-',
    entry.constructs.join(', ') || '-',
  ];
}

/** Columns padded to their widest cell, as `kubectl get` prints them. */
function table(rows: readonly (readonly string[])[]): string {
  const all = [HEADER.map((h) => h.toUpperCase()), ...rows];
  const widths = HEADER.map((_, column) => Math.max(...all.map((cells) => cells[column]?.length ?? 0)));
  return all
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('   ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function markdown(rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |\n`;
  return `${line(HEADER)}${line(HEADER.map(() => '---'))}${rows.map(line).join('')}`;
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

/** A left-to-right flowchart: one node per principal or destination, one edge per pair. */
function mermaid(entries: readonly AccessEntry[]): string {
  const names = [...new Set(entries.flatMap((entry) => [entry.src, entry.dst]))];
  const id = new Map(names.map((name, index) => [name, `n${index}`]));
  const lines = ['flowchart LR'];
  for (const name of names) lines.push(`  ${id.get(name)}["${mermaidText(name)}"]`);
  for (const entry of entries) {
    const label = [...entry.ports, ...Object.keys(entry.capabilities)].join(', ');
    lines.push(`  ${id.get(entry.src)} -->|"${mermaidText(label)}"| ${id.get(entry.dst)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid labels in quotes take any text but a double quote. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}
