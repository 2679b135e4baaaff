import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  K8S_NAMESERVER_IMAGE,
  K8S_PROXY_IMAGE,
  OPERATOR_CHART_NAME,
  OPERATOR_CHART_REPOSITORY,
  OPERATOR_CHART_VERSION,
  TAILSCALE_IMAGE_NAMES,
  TAILSCALE_IMAGE_TAG,
  tailscaleImage,
} from '../src/internal';

test('pins the operator chart 1.102.3 from Tailscale’s chart repository', () => {
  expect(OPERATOR_CHART_VERSION).toBe('1.102.3');
  expect(OPERATOR_CHART_NAME).toBe('tailscale-operator');
  expect(OPERATOR_CHART_REPOSITORY).toBe('https://pkgs.tailscale.com/helmcharts');
});

test('pins the images the chart cannot pin to the same release', () => {
  expect(TAILSCALE_IMAGE_TAG).toBe('v1.102.3');
  expect(K8S_PROXY_IMAGE).toBe('tailscale/k8s-proxy:v1.102.3');
  expect(K8S_NAMESERVER_IMAGE).toStrictEqual({ repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' });
});

describe('tailscaleImage', () => {
  test('derives every image from one version and registry', () => {
    expect(
      TAILSCALE_IMAGE_NAMES.map((name) =>
        tailscaleImage(name, { version: '1.94.2', registry: 'ghcr.io/tailscale' }),
      ),
    ).toStrictEqual(
      TAILSCALE_IMAGE_NAMES.map((name) => ({
        repository: `ghcr.io/tailscale/${name}`,
        tag: 'v1.94.2',
        reference: `ghcr.io/tailscale/${name}:v1.94.2`,
      })),
    );
  });

  test('defaults to the pinned release on Docker Hub', () => {
    expect(tailscaleImage('tsrecorder').reference).toBe('tailscale/tsrecorder:v1.102.3');
  });

  test('takes a repository, a tag and a digest of its own; the digest wins', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    expect(tailscaleImage('k8s-proxy', { repository: 'mirror/kp', tag: 'v1', digest })).toStrictEqual({
      repository: 'mirror/kp',
      tag: 'v1',
      digest,
      reference: `mirror/kp@${digest}`,
    });
  });
});

describe('the compatibility tables', () => {
  const root = path.resolve(__dirname, '../../..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'packages/core/package.json'), 'utf8')) as {
    version: string;
  };
  const series = `${version.split('.').slice(0, 2).join('.')}.x`;

  test.each(['README.md', 'docs/versioning.md'])('%s names the pinned chart for this release', (file) => {
    const rows = fs
      .readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith(`| ${series} |`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`\`${OPERATOR_CHART_NAME}\` ${OPERATOR_CHART_VERSION}`);
  });

  test('the README keeps its two opening commands first', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme.indexOf('npm run synth')).toBeLessThan(readme.indexOf(`| ${series} |`));
    expect(readme.indexOf('npm test')).toBeLessThan(readme.indexOf(`| ${series} |`));
    expect(readme.split('\n').find((line) => line.startsWith('```'))).toBe('```sh');
  });
});
