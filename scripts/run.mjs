// Entry point of the README's commands: sets up what a fresh clone lacks (pnpm, dependencies,
// builds), then runs the job. Only Node and npm need to exist beforehand.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];

function sh(command) {
  console.log(`$ ${command}`);
  execSync(command, { cwd: root, stdio: 'inherit' });
}

function ensurePnpm() {
  try {
    if (execSync('pnpm --version', { encoding: 'utf8', stdio: 'pipe' }).trim() === PNPM_VERSION) return;
  } catch {
    // not installed yet
  }
  // corepack cannot verify pnpm here (the registry serves no signatures), so npm installs it.
  sh(`npm install --global --no-audit --no-fund pnpm@${PNPM_VERSION}`);
}

function ensureDependencies() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  sh('pnpm install --frozen-lockfile');
}

const jobs = {
  synth: ['pnpm run build', 'node scripts/synth-examples.mjs'],
  test: [
    'pnpm run build',
    'pnpm run typecheck',
    'pnpm run lint',
    // docs/api is generated from the TSDoc; regenerate with `node scripts/api-docs.mjs`.
    'node scripts/api-docs.mjs --check',
    'pnpm exec jest --ci',
    'node scripts/synth-examples.mjs',
  ],
  bench: ['sh test/bench/run.sh'],
};

const job = process.argv[2];
if (!jobs[job]) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(jobs).join('|')}`);
  process.exit(2);
}
// Arguments after the job go to its last command: `npm run bench -- --quick`.
const extra = process.argv.slice(3).map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`);
const commands = [...jobs[job]];
if (extra.length > 0) commands.push(`${commands.pop()} ${extra.join(' ')}`);
ensurePnpm();
ensureDependencies();
for (const command of commands) sh(command);
