import {
  K8S_NAMESERVER_IMAGE,
  K8S_PROXY_IMAGE,
  OPERATOR_CHART_NAME,
  OPERATOR_CHART_REPOSITORY,
  OPERATOR_CHART_VERSION,
  TAILSCALE_IMAGE_TAG,
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
