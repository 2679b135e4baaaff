import { TAGS_ANNOTATION } from './ingress';

/**
 * Fields of each rendered object that the operator reads only when it creates the proxy: it does
 * not retag or retype what already runs, so a change to one must replace the object. Paths in
 * Pulumi's `replaceOnChanges` syntax.
 */
export const REPLACE_ON_CHANGES = {
  /** The operator ignores a change of tags on an existing Connector. */
  Connector: ['spec.tags'],
  /** A ProxyGroup keeps the type and tags its devices joined with. */
  ProxyGroup: ['spec.type', 'spec.tags'],
  /** A Recorder keeps the tags its devices joined with. */
  Recorder: ['spec.tags'],
  /**
   * A standalone proxy keeps the tags it joined with: an Ingress, an exposed Service and an egress
   * Service alike carry them in `tailscale.com/tags`.
   */
  TagsAnnotation: [`metadata.annotations["${TAGS_ANNOTATION}"]`],
} as const satisfies Readonly<Record<string, readonly string[]>>;
