import { TAGS_ANNOTATION } from './ingress';

/**
 * Fields of each rendered object that the operator reads only when it creates the proxy: it does
 * not retag or retype what already runs, so a change to one must replace the object. Paths in
 * Pulumi's `replaceOnChanges` syntax.
 */
export const REPLACE_ON_CHANGES = {
  /**
   * The operator ignores a change of tags on an existing Connector; its tailnet is immutable
   * (CRD: `self == oldSelf`), as on every construct that can join a further tailnet.
   */
  Connector: ['spec.tags', 'spec.tailnet'],
  /** A ProxyGroup keeps the type, tags and tailnet its devices joined with. */
  ProxyGroup: ['spec.type', 'spec.tags', 'spec.tailnet'],
  /** A Recorder keeps the tags and tailnet its devices joined with. */
  Recorder: ['spec.tags', 'spec.tailnet'],
  /** A PeerRelay keeps the tags and tailnet its devices joined with. */
  PeerRelay: ['spec.tags', 'spec.tailnet'],
  /**
   * A standalone proxy keeps the tags it joined with: an Ingress, an exposed Service and an egress
   * Service alike carry them in `tailscale.com/tags`.
   */
  TagsAnnotation: [`metadata.annotations["${TAGS_ANNOTATION}"]`],
} as const satisfies Readonly<Record<string, readonly string[]>>;
