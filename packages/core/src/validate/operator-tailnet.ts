import { parseBasePolicy } from '@tailkube/policy';
import {
  DEFAULT_TAILNET_CLIENT_TAGS,
  type OperatorTailnetProps,
  type TailnetReference,
} from '../props/operator-tailnet';
import { OPERATOR_TAILNET_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { checkObjectName, checkTag } from './scalars';
import { checkNoUserinfo } from './userinfo';
import { withFields } from './with-fields';

/** {@link OperatorTailnetProps} with every default applied. */
export interface ResolvedOperatorTailnetProps extends OperatorTailnetProps {
  readonly name: string;
  readonly clientTags: readonly string[];
}

/**
 * Applies defaults to an OperatorTailnet's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaultName` is the object name when the props give none.
 */
export function resolveOperatorTailnetProps(
  path: string,
  defaultName: string,
  given: OperatorTailnetProps,
): ResolvedOperatorTailnetProps {
  const props = checkedProps(path, given, OPERATOR_TAILNET_SHAPE);
  const resolved: ResolvedOperatorTailnetProps = withFields(props, {
    name: props.name ?? defaultName,
    clientTags: props.clientTags ?? DEFAULT_TAILNET_CLIENT_TAGS,
  });
  validateProps(path, resolved, OPERATOR_TAILNET_RULES);
  // Read now, so a malformed policy fails at the call rather than when the program renders.
  parseBasePolicy(path, resolved.basePolicy);
  return resolved;
}

const OPERATOR_TAILNET_RULES: readonly Rule<ResolvedOperatorTailnetProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) => checkCredentials(p.credentials),
  (p) => (p.loginUrl === undefined ? undefined : checkLoginUrl(p.loginUrl)),
  (p) =>
    (p.clientTags.length === 0
      ? { field: 'clientTags', value: p.clientTags, allowed: 'at least one tag' }
      : undefined) ??
    checkEach('clientTags', p.clientTags, checkTag) ??
    checkUnique('clientTags', p.clientTags),
];

// CRD: `credentials` and `credentials.secretName` are required; the reconciler reads the Secret
// from the operator's namespace (`reconciler/tailnet/tailnet.go`, `createOrUpdate`).
function checkCredentials(
  credentials: OperatorTailnetProps['credentials'] | undefined,
): Violation | undefined {
  if (typeof credentials !== 'object' || credentials === null) {
    return {
      field: 'credentials',
      value: credentials,
      allowed: 'a Secret reference such as { secretName: "staging-oauth" }',
    };
  }
  const extra = Object.keys(credentials).filter((key) => key !== 'secretName');
  if (extra.length > 0) {
    // A credential in the props would land in the synthesized object: only a reference is allowed.
    return {
      field: `credentials.${extra[0]}`,
      value: '<set>',
      allowed: 'absent: the Secret is referenced by name only, never its values',
      secret: true,
    };
  }
  return checkObjectName(credentials.secretName, 'credentials.secretName');
}

// The reconciler parses it with `url.Parse` as the API's base URL (`createClient`).
function checkLoginUrl(value: string): Violation | undefined {
  const userinfo = checkNoUserinfo(
    'loginUrl',
    value,
    'an http(s) URL of a control plane',
    'the URL is written into the Tailnet object and the report in plain text; the credentials belong in the Secret',
  );
  if (userinfo) return userinfo;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:')) return undefined;
  return {
    field: 'loginUrl',
    value,
    allowed: 'an http(s) URL of a control plane, such as "https://headscale.example.com"',
  };
}

/** Checks a {@link TailnetReference} as `spec.tailnet` takes it: a Tailnet object's name. */
export function checkTailnetReference(
  reference: TailnetReference | undefined,
  field: string,
): Violation | undefined {
  if (reference === undefined) return undefined;
  if (typeof reference === 'string') return checkObjectName(reference, field);
  if (typeof reference === 'object' && reference !== null && typeof reference.name === 'string') {
    return checkObjectName(reference.name, `${field}.name`);
  }
  return { field, value: reference, allowed: 'an OperatorTailnet, or the name of a Tailnet object' };
}
