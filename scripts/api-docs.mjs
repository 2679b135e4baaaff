// The API reference: typedoc (with typedoc-plugin-markdown) renders every package's TSDoc into
// docs/api/, internals (`@internal`, private members) left out. Needs the packages built
// (`pnpm run build`): a package's references to its siblings resolve through their dist.
//
//   node scripts/api-docs.mjs           regenerate docs/api/
//   node scripts/api-docs.mjs --check   fail, listing the files, when docs/api/ is not current
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(root, 'docs', 'api');
const check = process.argv.includes('--check');

/** Every file under `dir`, as paths relative to it, sorted. */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const out = mkdtempSync(join(tmpdir(), 'tailkube-api-'));
try {
  execFileSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', out], {
    cwd: root,
    stdio: 'inherit',
  });
  if (!check) {
    rmSync(docs, { recursive: true, force: true });
    cpSync(out, docs, { recursive: true });
    console.log(`docs/api: ${files(docs).length} files`);
  } else {
    const fresh = files(out);
    const current = files(docs);
    const stale = [...new Set([...fresh, ...current])]
      .sort()
      .filter(
        (f) =>
          !fresh.includes(f) ||
          !current.includes(f) ||
          !readFileSync(join(out, f)).equals(readFileSync(join(docs, f))),
      );
    if (stale.length > 0) {
      console.error(
        `docs/api is not current (${stale.length} files differ: ${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}).\n` +
          'Regenerate it with `node scripts/api-docs.mjs` and commit the result.',
      );
      process.exitCode = 1;
    } else {
      console.log(`docs/api is current (${fresh.length} files)`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
