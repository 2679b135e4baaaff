import { IMAGE_PULL_POLICIES } from '../props/proxy-class';
import { DEFAULT_RECORDER_TAGS, type RecorderProps } from '../props/recorder';
import { checkKubeFields } from './kube-schema';
import { checkNoUserinfo } from './userinfo';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { checkTailnetReference } from './operator-tailnet';
import { checkLabelValue, checkObjectName, checkTag, checkReplicas } from './scalars';
import { RECORDER_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link RecorderProps} with every default applied. */
export interface ResolvedRecorderProps extends RecorderProps {
  readonly name: string;
  readonly tags: readonly string[];
  readonly enableUI: boolean;
  readonly replicas: number;
}

/** The CRD's ServiceAccount name pattern. */
const SERVICE_ACCOUNT_PATTERN = /^[a-z0-9]([a-z0-9-.]{0,61}[a-z0-9])?$/;
/** An S3 endpoint as the operator uses it: a host (and port), prefixed with `s3://` by the operator. */
const ENDPOINT_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;
/** S3 bucket naming: 3 to 63 lower-case letters, digits, dots and dashes. */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** An environment variable name, as Kubernetes accepts it. */
const ENV_NAME_PATTERN = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A label or annotation key: an optional DNS prefix, then a name of at most 63 characters. */
const KEY_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Applies defaults to a Recorder's props and checks them as the operator would, throwing the first
 * {@link ValidationError} for `path`. `defaultName` is the object name when the props give none.
 */
export function resolveRecorderProps(
  path: string,
  defaultName: string,
  given: RecorderProps,
): ResolvedRecorderProps {
  const props = checkedProps(path, given, RECORDER_SHAPE);
  const resolved: ResolvedRecorderProps = withFields(props, {
    name: props.name ?? defaultName,
    tags: props.tags ?? DEFAULT_RECORDER_TAGS,
    enableUI: props.enableUI ?? false,
    replicas: props.replicas ?? 1,
  });
  validateProps(path, resolved, RECORDER_RULES);
  return resolved;
}

const RECORDER_RULES: readonly Rule<ResolvedRecorderProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) =>
    (p.tags.length === 0
      ? {
          field: 'tags',
          value: p.tags,
          allowed: 'at least one tag (leave `tags` out for ["tag:k8s-recorder"])',
        }
      : undefined) ??
    checkEach('tags', p.tags, checkTag) ??
    checkUnique('tags', p.tags),
  (p) => checkReplicas(p.replicas),
  (p) => (p.storage === undefined ? undefined : checkS3(p.storage.s3)),
  // CRD: !(self.replicas > 1 && (!has(self.storage) || !has(self.storage.s3)))
  (p) =>
    p.replicas > 1 && p.storage?.s3 === undefined
      ? {
          field: 'replicas',
          value: p.replicas,
          allowed: 'at most 1 without S3 storage',
          hint: 'each replica keeps its recordings in its own pod; set `storage.s3` to share one bucket',
        }
      : undefined,
  // The operator's own check (`RecorderReconciler.validate`): recordings must be reachable.
  (p) =>
    !p.enableUI && p.storage?.s3 === undefined
      ? {
          field: 'enableUI',
          value: p.enableUI,
          allowed: 'true when no S3 storage is set',
          hint: 'recordings kept in the pod can only be read through the UI; set `enableUI: true` or `storage.s3`',
        }
      : undefined,
  (p) => checkStatefulSet(p.statefulSet),
  (p) => checkTailnetReference(p.operatorTailnet, 'operatorTailnet'),
  (p) => {
    const pod = p.statefulSet?.pod;
    return checkKubeFields([
      { field: 'statefulSet.pod.affinity', type: 'Affinity', value: pod?.affinity },
      { field: 'statefulSet.pod.tolerations', type: 'Toleration', value: pod?.tolerations, list: true },
      { field: 'statefulSet.pod.securityContext', type: 'PodSecurityContext', value: pod?.securityContext },
      {
        field: 'statefulSet.pod.container.resources',
        type: 'ResourceRequirements',
        value: pod?.container?.resources,
      },
      {
        field: 'statefulSet.pod.container.securityContext',
        type: 'SecurityContext',
        value: pod?.container?.securityContext,
      },
    ]);
  },
];

function checkS3(s3: NonNullable<RecorderProps['storage']>['s3'] | undefined): Violation | undefined {
  if (s3 === undefined)
    return { field: 'storage.s3', value: s3, allowed: 'an S3 bucket (endpoint and bucket)' };
  const userinfo =
    typeof s3.endpoint === 'string'
      ? checkNoUserinfo(
          'storage.s3.endpoint',
          s3.endpoint,
          'an S3 endpoint host',
          'the endpoint is written into the Recorder in plain text; put the access key in the Secret `storage.s3.credentialsSecret` names',
        )
      : undefined;
  if (userinfo) return userinfo;
  if (typeof s3.endpoint !== 'string' || !ENDPOINT_PATTERN.test(s3.endpoint)) {
    const bare =
      typeof s3.endpoint === 'string' ? s3.endpoint.replace(/^[a-z0-9]+:\/\//i, '').replace(/\/+$/, '') : '';
    return {
      field: 'storage.s3.endpoint',
      value: s3.endpoint,
      allowed: 'an S3 endpoint host without scheme or path, such as "s3.us-east-1.amazonaws.com"',
      ...(bare !== s3.endpoint && ENDPOINT_PATTERN.test(bare) && { hint: `did you mean "${bare}"?` }),
    };
  }
  if (typeof s3.bucket !== 'string' || !BUCKET_PATTERN.test(s3.bucket)) {
    return {
      field: 'storage.s3.bucket',
      value: s3.bucket,
      allowed: 'an S3 bucket name: 3 to 63 lower-case letters, digits, dots and dashes',
    };
  }
  const secret = s3.credentialsSecret;
  if (secret === undefined) return undefined;
  const extra = Object.keys(secret).filter((key) => key !== 'name');
  if (extra.length > 0) {
    // A credential in the props would land in the synthesized object: only a reference is allowed.
    return {
      field: `storage.s3.credentialsSecret.${extra[0]}`,
      value: '<set>',
      allowed: 'absent: the Secret is referenced by name only, never its values',
      secret: true,
    };
  }
  return checkObjectName(secret.name, 'storage.s3.credentialsSecret.name');
}

function checkStatefulSet(sts: ResolvedRecorderProps['statefulSet']): Violation | undefined {
  if (sts === undefined) return undefined;
  const pod = sts.pod;
  const container = pod?.container;
  const account = pod?.serviceAccount;
  return (
    checkLabels('statefulSet.labels', sts.labels) ??
    checkKeys('statefulSet.annotations', sts.annotations) ??
    checkLabels('statefulSet.pod.labels', pod?.labels) ??
    checkKeys('statefulSet.pod.annotations', pod?.annotations) ??
    checkLabels('statefulSet.pod.nodeSelector', pod?.nodeSelector) ??
    checkEach('statefulSet.pod.imagePullSecrets', pod?.imagePullSecrets, checkObjectName) ??
    checkEach('statefulSet.pod.container.env', container?.env, (env, field) =>
      ENV_NAME_PATTERN.test(env.name)
        ? undefined
        : { field: `${field}.name`, value: env.name, allowed: 'an environment variable name' },
    ) ??
    (container?.imagePullPolicy === undefined ||
    (IMAGE_PULL_POLICIES as readonly string[]).includes(container.imagePullPolicy)
      ? undefined
      : {
          field: 'statefulSet.pod.container.imagePullPolicy',
          value: container.imagePullPolicy,
          allowed: `one of ${IMAGE_PULL_POLICIES.map((v) => JSON.stringify(v)).join(', ')}`,
        }) ??
    (account?.name === undefined || SERVICE_ACCOUNT_PATTERN.test(account.name)
      ? undefined
      : {
          field: 'statefulSet.pod.serviceAccount.name',
          value: account.name,
          allowed: 'a ServiceAccount name: at most 63 lower-case letters, digits, dashes and dots',
        }) ??
    checkKeys('statefulSet.pod.serviceAccount.annotations', account?.annotations)
  );
}

function checkLabels(
  field: string,
  labels: Readonly<Record<string, string>> | undefined,
): Violation | undefined {
  return (
    checkKeys(field, labels) ??
    checkEach(field, Object.entries(labels ?? {}), ([key, value]) =>
      checkLabelValue(value, `${field}.${key}`),
    )
  );
}

function checkKeys(
  field: string,
  record: Readonly<Record<string, string>> | undefined,
): Violation | undefined {
  for (const key of Object.keys(record ?? {})) {
    if (!KEY_PATTERN.test(key) || key.length > 316) {
      return { field: `${field}.${key}`, value: key, allowed: 'a key such as "example.com/name" or "name"' };
    }
  }
  return undefined;
}
