/**
 * The one place that pins what tailkube deploys and derives every image it names. Bumping the
 * operator is a change to this file, its tests and the reference data they read; nothing else
 * names a version or an image.
 *
 * @see https://github.com/tailscale/tailscale/tree/v1.102.3/cmd/k8s-operator/deploy/chart
 */

/** The `tailscale-operator` Helm chart version tailkube installs by default. */
export const OPERATOR_CHART_VERSION = '1.102.3';

/** The chart's name in its repository. */
export const OPERATOR_CHART_NAME = 'tailscale-operator';

/** Tailscale's Helm chart repository. */
export const OPERATOR_CHART_REPOSITORY = 'https://pkgs.tailscale.com/helmcharts';

/**
 * Where Tailscale publishes its images: `tailscale/<image>` on Docker Hub. The same images are
 * synced to `ghcr.io/tailscale` (chart `values.yaml` at the tag).
 */
export const DEFAULT_IMAGE_REGISTRY = 'tailscale';

/**
 * The images of one Tailscale release that tailkube names, by their repository name under the
 * registry: the operator, the proxy, the API server proxy, the DNSConfig nameserver and the
 * session recorder.
 */
export const TAILSCALE_IMAGE_NAMES = [
  'k8s-operator',
  'tailscale',
  'k8s-proxy',
  'k8s-nameserver',
  'tsrecorder',
] as const;
/** One of the images of a Tailscale release. */
export type TailscaleImageName = (typeof TAILSCALE_IMAGE_NAMES)[number];

/**
 * The image tag of one Tailscale release: `v` and the version. The released chart's appVersion is
 * this tag, so the chart runs the operator and proxy at the chart's own version.
 */
export function tailscaleImageTag(version: string = OPERATOR_CHART_VERSION): string {
  return `v${version}`;
}

/** How to pick one image of a release: which release, from where, and optionally pinned. */
export interface TailscaleImageOptions {
  /**
   * The release (chart version), such as `1.102.3`.
   *
   * @default OPERATOR_CHART_VERSION
   */
  readonly version?: string;
  /**
   * The registry path the release's images live under, for a mirror.
   *
   * @default DEFAULT_IMAGE_REGISTRY
   */
  readonly registry?: string;
  /**
   * The full repository, overriding `registry` for this image only.
   *
   * @default - `<registry>/<name>`
   */
  readonly repository?: string;
  /**
   * The tag, overriding the release's.
   *
   * @default - `v<version>`
   */
  readonly tag?: string;
  /**
   * A digest (`sha256:…`) that pins the image; it wins over the tag.
   *
   * @default - not pinned by digest
   */
  readonly digest?: string;
}

/** One image, resolved: its repository, its tag and, when pinned, its digest. */
export interface TailscaleImage {
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
  /** What a pod spec's `image` takes: `repository@digest` when pinned, else `repository:tag`. */
  readonly reference: string;
}

/**
 * The image `name` of a Tailscale release: every image tailkube names comes from here, so the
 * chosen version and registry move them together.
 */
export function tailscaleImage(
  name: TailscaleImageName,
  options: TailscaleImageOptions = {},
): TailscaleImage {
  const repository = options.repository ?? `${options.registry ?? DEFAULT_IMAGE_REGISTRY}/${name}`;
  const tag = options.tag ?? tailscaleImageTag(options.version);
  return {
    repository,
    tag,
    ...(options.digest !== undefined && { digest: options.digest }),
    reference: options.digest !== undefined ? `${repository}@${options.digest}` : `${repository}:${tag}`,
  };
}

/**
 * The tag of every image of the pinned release. The chart pins the operator and proxy
 * (`tailscale/tailscale`) images to its appVersion, which is this tag.
 */
export const TAILSCALE_IMAGE_TAG = tailscaleImageTag();

/**
 * The API server proxy image of the pinned release, used by `kube-apiserver` ProxyGroups. The
 * chart cannot pin it: the operator falls back to `tailscale/k8s-proxy:latest` unless its
 * `K8S_PROXY_IMAGE` env is set, which tailkube sets through `operatorConfig.extraEnv` from the
 * operator's chosen version and registry.
 */
export const K8S_PROXY_IMAGE = tailscaleImage('k8s-proxy').reference;

/**
 * The nameserver image of the pinned release, in a DNSConfig's words. The operator falls back to
 * `tailscale/k8s-nameserver:stable` when a DNSConfig names none, so tailkube sets it on each one.
 */
export const K8S_NAMESERVER_IMAGE = {
  repo: tailscaleImage('k8s-nameserver').repository,
  tag: TAILSCALE_IMAGE_TAG,
} as const;
