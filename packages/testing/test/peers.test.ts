import { loadPeers } from '../src/peers';

/** The error `require` throws for a module that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
}

/** Runs `fn`, which must throw, and returns what it threw. */
function thrown(fn: () => void): Error & { code?: string; cause?: unknown } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error, but nothing was thrown');
}

describe('loadPeers', () => {
  test('loads quietly when every peer is installed', () => {
    const load = jest.fn();
    loadPeers('@tailkube/testing/cdk8s', ['constructs'], load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('fails naming the entry point, the missing peers and the install command', () => {
    const original = notFound('@tailkube/not-installed');
    const error = thrown(() =>
      loadPeers(
        '@tailkube/testing/cdk8s',
        ['@tailkube/not-installed', 'constructs', 'left-pad-not-here'],
        () => {
          throw original;
        },
      ),
    );
    expect(error.message).toBe(
      '@tailkube/testing/cdk8s needs @tailkube/not-installed, constructs, left-pad-not-here; not installed: ' +
        '@tailkube/not-installed, left-pad-not-here. Install with `npm install --save-dev @tailkube/not-installed left-pad-not-here`',
    );
    expect(error.code).toBe('MODULE_NOT_FOUND');
    expect(error.cause).toBe(original);
  });

  test('rethrows a missing module that is none of the peers unchanged', () => {
    const original = notFound('some-transitive-dependency');
    expect(
      thrown(() =>
        loadPeers('@tailkube/testing/cdk8s', ['constructs'], () => {
          throw original;
        }),
      ),
    ).toBe(original);
  });

  test('rethrows any other error unchanged', () => {
    const original = new TypeError('boom');
    expect(
      thrown(() =>
        loadPeers('@tailkube/testing/cdk8s', ['@tailkube/not-installed'], () => {
          throw original;
        }),
      ),
    ).toBe(original);
  });
});
