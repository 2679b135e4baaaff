import type { KubernetesJson, ResourceRequirements, Toleration } from './common';
import type { EnvVar, ImagePullPolicy } from './proxy-class';

/** A reference to a Recorder, owned by the program or not: what the API server proxy needs. */
export interface IRecorder {
  /** The Recorder object's name. */
  readonly name: string;
  /** Tags on the Recorder's devices, resolved. */
  readonly tags: readonly string[];
}

/** A reference to a Secret in the operator's namespace. Only its name: never its values. */
export interface SecretReference {
  /** The Secret's name. */
  readonly name: string;
}

/**
 * An S3-compatible bucket that recordings are written to.
 *
 * @see https://tailscale.com/kb/1484/kubernetes-operator-deploying-tsrecorder
 */
export interface RecorderS3Storage {
  /** The S3-compatible endpoint, without a scheme, such as `s3.us-east-1.amazonaws.com`. */
  readonly endpoint: string;
  /** The bucket, used for recordings only: object names carry no stable prefix. */
  readonly bucket: string;
  /**
   * A Secret in the operator's namespace whose keys become the recorder's environment, such as
   * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`. Only the reference is rendered.
   *
   * @default - credentials from the file system, then the STS API (for example a ServiceAccount
   * annotated for IAM roles)
   */
  readonly credentialsSecret?: SecretReference;
}

/** Where recordings are kept. */
export interface RecorderStorage {
  /** An S3-compatible bucket. */
  readonly s3: RecorderS3Storage;
}

/** The recorder container. */
export interface RecorderContainer {
  /**
   * Extra environment variables, taking precedence over the operator's.
   *
   * @default - none
   */
  readonly env?: readonly EnvVar[];
  /**
   * The image, with its tag.
   *
   * @default - `tailscale/tsrecorder` at the operator's version
   */
  readonly image?: string;
  /**
   * When to pull the image.
   *
   * @default 'Always'
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Compute resources; they grow with the volume of recordings.
   *
   * @default - none requested or limited
   */
  readonly resources?: ResourceRequirements;
  /**
   * The container's security context, as in a container spec.
   *
   * @default - none
   */
  readonly securityContext?: KubernetesJson;
}

/** The ServiceAccount the operator creates for the recorder. */
export interface RecorderServiceAccount {
  /**
   * Its name; it must not be a ServiceAccount the Recorder does not own.
   *
   * @default - the Recorder's name
   */
  readonly name?: string;
  /**
   * Its annotations, for example `eks.amazonaws.com/role-arn` to reach S3 through an IAM role
   * instead of a Secret.
   *
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The recorder's pods. */
export interface RecorderPod {
  /** Labels merged into the operator's. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations merged into the operator's. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Affinity, as in a pod spec. @default - none */
  readonly affinity?: KubernetesJson;
  /** Node labels the pods must match. @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Tolerations. @default - none */
  readonly tolerations?: readonly Toleration[];
  /** Secrets (by name, in the operator's namespace) to pull the image with. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** The pod security context, as in a pod spec. @default - none */
  readonly securityContext?: KubernetesJson;
  /** The recorder container. @default - the operator's defaults */
  readonly container?: RecorderContainer;
  /** The ServiceAccount. @default - one named after the Recorder */
  readonly serviceAccount?: RecorderServiceAccount;
}

/** The StatefulSet the operator runs the recorder in. */
export interface RecorderStatefulSet {
  /** Labels merged into the operator's. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations merged into the operator's. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The pods. @default - the operator's defaults */
  readonly pod?: RecorderPod;
}

/**
 * A Tailscale session recorder (`tsrecorder`) run by the operator: it receives recordings of
 * `kubectl exec`, `attach` and `debug` sessions through the API server proxy (and of Tailscale
 * SSH sessions). Cluster-scoped; its pods run in the operator's namespace.
 *
 * Tailscale has stopped offering session recording with the operator to new users; support for
 * existing users ends in August 2027.
 *
 * @see https://tailscale.com/kb/1484/kubernetes-operator-deploying-tsrecorder
 */
export interface RecorderProps {
  /**
   * The Recorder object's name; its devices join as `<name>-<i>`.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * Tags on the recorder's devices, owned by the operator's tag. The first one is the tag the API
   * server proxy's capability names. Immutable: a device keeps the tags it joined with, so a
   * change means a new Recorder (Pulumi replaces it).
   *
   * @default ['tag:k8s-recorder']
   */
  readonly tags?: readonly string[];
  /**
   * Whether the recorder serves a UI that lists and plays recordings, at its MagicDNS name on
   * port 443; `allow()` says who may reach it. Without S3 storage the UI is the only way to reach
   * recordings, so one of the two is required.
   *
   * @default false
   */
  readonly enableUI?: boolean;
  /**
   * Where recordings are kept.
   *
   * @default - a volume that lives as long as the pod: recordings are lost with it
   */
  readonly storage?: RecorderStorage;
  /**
   * How many recorders to run. More than one needs S3 storage.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The StatefulSet, pods and container the operator creates.
   *
   * @default - the operator's defaults
   */
  readonly statefulSet?: RecorderStatefulSet;
}

/** The tags a Recorder's devices get when its props name none (the operator's e2e policy's tag). */
export const DEFAULT_RECORDER_TAGS: readonly string[] = ['tag:k8s-recorder'];

/** The port recorders receive recordings on, which the proxies must reach. */
export const RECORDER_PORT = 80;

/**
 * The port a recorder serves its UI on, at its MagicDNS name (`enableUI` in
 * k8s-operator/apis/v1alpha1/types_recorder.go at v1.102.3).
 */
export const RECORDER_UI_PORT = 443;
