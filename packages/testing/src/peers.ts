/** What `npm` says to install the peers an entry point needs. */
function installHint(missing: readonly string[]): string {
  return `npm install --save-dev ${missing.join(' ')}`;
}

/**
 * Runs `load` (the `require` of an entry point's optional peers); when a peer is not installed,
 * fails naming the entry point, every missing peer and the command that installs them, instead of
 * a bare `Cannot find module`. Other errors pass through unchanged.
 */
export function loadPeers(entry: string, peers: readonly string[], load: () => void): void {
  try {
    load();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    const missing = peers.filter((peer) => !resolvable(peer));
    if (missing.length === 0) throw error;
    throw Object.assign(
      new Error(
        `${entry} needs ${peers.join(', ')}; not installed: ${missing.join(', ')}. Install with \`${installHint(missing)}\``,
        { cause: error },
      ),
      { code: 'MODULE_NOT_FOUND' },
    );
  }
}

function resolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
