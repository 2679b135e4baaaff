/**
 * The one place that pins what tailkube deploys. Bumping the operator is a change to this file,
 * its tests and the reference data they read; nothing else names a version.
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
 * The tag of every image of one Tailscale release. The chart pins the operator and proxy
 * (`tailscale/tailscale`) images to its appVersion, which is this tag.
 */
export const TAILSCALE_IMAGE_TAG = `v${OPERATOR_CHART_VERSION}`;

/**
 * The API server proxy image used by `kube-apiserver` ProxyGroups. The chart cannot pin it: the
 * operator falls back to `tailscale/k8s-proxy:latest` unless its `K8S_PROXY_IMAGE` env is set,
 * which tailkube sets through `operatorConfig.extraEnv`.
 */
export const K8S_PROXY_IMAGE = `tailscale/k8s-proxy:${TAILSCALE_IMAGE_TAG}`;

/**
 * The nameserver image a DNSConfig runs. The operator falls back to
 * `tailscale/k8s-nameserver:stable` when a DNSConfig names none, so tailkube sets it on each one.
 */
export const K8S_NAMESERVER_IMAGE = {
  repo: 'tailscale/k8s-nameserver',
  tag: TAILSCALE_IMAGE_TAG,
} as const;
