import { DEFAULT_PROXY_TAGS } from '../props/common';
import type { PeerRelayProps } from '../props/peer-relay';
import { checkTailnetReference } from './operator-tailnet';
import { PEER_RELAY_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import {
  HOSTNAME_PREFIX_PATTERN,
  checkHostnamePrefix,
  checkObjectName,
  checkTag,
  checkReplicas,
} from './scalars';
import { withFields } from './with-fields';

/** {@link PeerRelayProps} with every default applied. */
export interface ResolvedPeerRelayProps extends PeerRelayProps {
  readonly name: string;
  readonly replicas: number;
  readonly tags: readonly string[];
}

/** CRD: `spec.aws.elasticIPs[].allocationID` pattern. */
const ALLOCATION_ID_PATTERN = /^eipalloc-[0-9a-f]+$/;
/** CRD: `spec.aws.elasticIPs[].subnetID` pattern. */
const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]+$/;

/**
 * Applies defaults to a PeerRelay's props and checks them as the CRD and the operator would,
 * throwing the first {@link ValidationError} for `path`. `defaultName` is the object name when
 * the props give none.
 */
export function resolvePeerRelayProps(
  path: string,
  defaultName: string,
  given: PeerRelayProps,
): ResolvedPeerRelayProps {
  const props = checkedProps(path, given, PEER_RELAY_SHAPE);
  const resolved: ResolvedPeerRelayProps = withFields(props, {
    name: props.name ?? defaultName,
    replicas: props.replicas ?? 1,
    tags: props.tags ?? DEFAULT_PROXY_TAGS,
  });
  validateProps(path, resolved, PEER_RELAY_RULES);
  return resolved;
}

const PEER_RELAY_RULES: readonly Rule<ResolvedPeerRelayProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) => checkReplicas(p.replicas),
  (p) =>
    p.hostnamePrefix === undefined ? undefined : checkHostnamePrefix(p.hostnamePrefix, 'hostnamePrefix'),
  // The operator names replica i `<hostnamePrefix or name>-<i>` (`reconciler/peerrelay/statefulset.go`,
  // `peerRelayHostname`): a name that is no hostname prefix makes no device name.
  (p) =>
    p.hostnamePrefix === undefined && !HOSTNAME_PREFIX_PATTERN.test(p.name)
      ? {
          field: 'name',
          value: p.name,
          allowed:
            'a hostname prefix (1 to 62 lower-case letters, digits and dashes) when `hostnamePrefix` is unset',
          hint: 'the devices join as "<name>-<i>"; set `hostnamePrefix`',
        }
      : undefined,
  (p) =>
    (p.tags.length === 0
      ? { field: 'tags', value: p.tags, allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])' }
      : undefined) ??
    checkEach('tags', p.tags, checkTag) ??
    checkUnique('tags', p.tags),
  (p) => (p.proxyClass ? checkObjectName(p.proxyClass.name, 'proxyClass.name') : undefined),
  (p) =>
    checkEach('service.annotations', Object.entries(p.service?.annotations ?? {}), ([key, value], field) =>
      typeof value === 'string' ? undefined : { field: `${field}.${key}`, value, allowed: 'a string' },
    ),
  (p) => (p.aws === undefined ? undefined : checkAws(p.aws, p.replicas)),
  (p) => checkTailnetReference(p.operatorTailnet, 'operatorTailnet'),
];

function checkAws(aws: NonNullable<PeerRelayProps['aws']>, replicas: number): Violation | undefined {
  const eips = aws.elasticIPs;
  // CRD: `elasticIPs` is required with `minItems: 1`.
  if (!Array.isArray(eips) || eips.length === 0) {
    return { field: 'aws.elasticIPs', value: eips, allowed: 'at least one allocation-subnet pair' };
  }
  return (
    checkEach('aws.elasticIPs', eips, (eip, field) =>
      !ALLOCATION_ID_PATTERN.test(eip.allocationID)
        ? {
            field: `${field}.allocationID`,
            value: eip.allocationID,
            allowed: 'an EIP allocation id such as "eipalloc-0123abcd"',
          }
        : !SUBNET_ID_PATTERN.test(eip.subnetID)
          ? {
              field: `${field}.subnetID`,
              value: eip.subnetID,
              allowed: 'a subnet id such as "subnet-0123abcd"',
            }
          : undefined,
    ) ??
    checkUnique(
      'aws.elasticIPs',
      eips.map((eip) => eip.allocationID),
    ) ??
    // CEL: !has(self.aws) || !has(self.aws.elasticIPs) || self.aws.elasticIPs.size() >= self.replicas
    (eips.length >= replicas
      ? undefined
      : {
          field: 'aws.elasticIPs',
          value: eips.length,
          allowed: `at least one entry per replica (${replicas})`,
          hint: 'every replica needs a distinct Elastic IP; add entries or lower `replicas`',
        })
  );
}
