import { ValidationError, describeValue } from '@tailkube/core/internal';
import { checkCapabilities, checkConnect, type AccessAnswer, type Endpoint } from './access';
import { describeObject } from './describe-object';
import { checkNodeAttribute } from './node-attributes';
import type { SynthResult } from './result';
import { TestTailnet } from './test-tailnet';

/** The part of a test runner's matcher context the matchers read (jest's, and Vitest's alike). */
export interface TailkubeMatcherContext {
  /** Whether the matcher runs under `.not`. */
  readonly isNot?: boolean;
  /** The runner's deep equality, which understands asymmetric matchers such as `expect.any`. */
  equals(a: unknown, b: unknown): boolean;
}

/** What a matcher returns to the runner. */
export interface TailkubeMatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** The tailnets the matchers built for results, so many assertions on one result evaluate once. */
const tailnets = new WeakMap<SynthResult, TestTailnet>();

/**
 * The matchers, for `expect.extend(tailkubeMatchers)`. Importing `@tailkube/testing/jest` registers
 * them with jest's global `expect`.
 *
 * Bad input fails the assertion with a `ValidationError` (whether or not under `.not`): a received
 * value that is not a result or a {@link TestTailnet}, an object that is not a construct of the
 * program, a group, tag or user the policy does not know, a port outside 1–65535.
 */
export const tailkubeMatchers = {
  /**
   * Passes when every device `principal` names may reach every device `target` names on `port`.
   * `received` is a `synthCdk8s`/`runPulumi` result or a {@link TestTailnet}.
   */
  toAllow(
    this: TailkubeMatcherContext,
    received: unknown,
    principal: Endpoint,
    target: Endpoint,
    port: number,
    proto?: string,
  ): TailkubeMatcherResult {
    const tailnet = tailnetOf(received, 'toAllow');
    const answer = checkConnect(tailnet, 'toAllow', {
      from: principal,
      to: target,
      port,
      ...withProto(proto),
    });
    return { pass: answer.allowed, message: () => connectMessage(answer, port, proto) };
  },

  /**
   * Passes when `principal` may not reach `target` on `port`: the exact negation of `toAllow`, so
   * it passes as soon as one device `principal` names cannot reach one device `target` names.
   */
  toDeny(
    this: TailkubeMatcherContext,
    received: unknown,
    principal: Endpoint,
    target: Endpoint,
    port: number,
    proto?: string,
  ): TailkubeMatcherResult {
    const tailnet = tailnetOf(received, 'toDeny');
    const answer = checkConnect(tailnet, 'toDeny', {
      from: principal,
      to: target,
      port,
      ...withProto(proto),
    });
    return { pass: !answer.allowed, message: () => connectMessage(answer, port, proto) };
  },

  /**
   * Passes when `principal` gets `capability` at `target` (through a grant's `app`), holding a value
   * equal to `value` when given (asymmetric matchers such as `expect.objectContaining` work).
   */
  toGrantCapability(
    this: TailkubeMatcherContext,
    received: unknown,
    principal: Endpoint,
    target: Endpoint,
    capability: string,
    value?: unknown,
  ): TailkubeMatcherResult {
    const tailnet = tailnetOf(received, 'toGrantCapability');
    if (typeof capability !== 'string' || !/^[^\s/]+\/\S+$/.test(capability)) {
      throw new ValidationError({
        path: 'toGrantCapability',
        field: 'capability',
        value: capability,
        allowed: 'a capability name such as "tailscale.com/cap/kubernetes"',
      });
    }
    const answer = checkCapabilities(tailnet, 'toGrantCapability', { from: principal, to: target });
    const values = answer.capabilities[capability];
    const wanted = value === undefined ? '' : ` holding ${describeValue(value)}`;
    const holds =
      values !== undefined && (value === undefined || (values ?? []).some((v) => this.equals(v, value)));
    const grant = {
      src: answer.grantEnds.src,
      dst: answer.grantEnds.dst,
      app: { [capability]: [value ?? {}] },
    };
    return {
      pass: holds,
      message: () => {
        const subject = `${answer.from} ${holds ? 'not ' : ''}to get ${capability}${wanted} at ${answer.to}`;
        if (holds) return `expected ${subject}, but ${answer.explanation} gives ${JSON.stringify(values)}`;
        if (values === undefined) {
          const others = Object.keys(answer.capabilities);
          const got = others.length > 0 ? ` (${others.join(', ')} only)` : '';
          return (
            `expected ${subject}, but ${answer.explanation}${got}\n` +
            `a grant such as ${describeValue(grant)} would give it`
          );
        }
        return `expected ${subject}, but it holds ${JSON.stringify(values)}: ${answer.explanation}`;
      },
    };
  },

  /**
   * Passes when every device `target` names holds the node attribute `attribute` (given by the
   * policy's `nodeAttrs`, such as `funnel`), holding a value equal to `value` when given.
   */
  toHaveNodeAttribute(
    this: TailkubeMatcherContext,
    received: unknown,
    target: Endpoint,
    attribute: string,
    value?: unknown,
  ): TailkubeMatcherResult {
    const tailnet = tailnetOf(received, 'toHaveNodeAttribute');
    const answer = checkNodeAttribute(tailnet, 'toHaveNodeAttribute', { target, attribute });
    const withValue = (values: readonly unknown[] | null): boolean =>
      value === undefined || (values ?? []).some((v) => this.equals(v, value));
    const lacking = [
      ...answer.lacking,
      ...Object.entries(answer.holding).flatMap(([device, values]) => (withValue(values) ? [] : [device])),
    ];
    const wanted = value === undefined ? '' : ` holding ${describeValue(value)}`;
    const entry = { target: answer.targetSelectors, attr: [attribute] };
    return {
      pass: lacking.length === 0,
      message: () => {
        const subject = `${answer.target} ${lacking.length === 0 ? 'not ' : ''}to have node attribute ${attribute}${wanted}`;
        if (lacking.length === 0) {
          return `expected ${subject}, but every device does, given by ${answer.givenBy.join(' and ') || 'the tailnet settings'}`;
        }
        const given = answer.givenBy.length > 0 ? `; ${answer.givenBy.join(' and ')} give it elsewhere` : '';
        return (
          `expected ${subject}, but ${lacking.join(', ')} ${lacking.length === 1 ? 'does' : 'do'} not${given}\n` +
          `a nodeAttrs entry such as ${JSON.stringify(entry)} would give it`
        );
      },
    };
  },

  /**
   * Passes when one of the objects (a result's `objects`, or an array of objects) matches `partial`
   * as `toMatchObject` does: every field `partial` names, recursively; arrays element by element.
   */
  toContainObject(this: TailkubeMatcherContext, received: unknown, partial: object): TailkubeMatcherResult {
    const objects = objectsOf(received);
    if (typeof partial !== 'object' || partial === null) {
      throw new ValidationError({
        path: 'toContainObject',
        field: 'partial',
        value: partial,
        allowed: 'an object such as { kind: "Connector", metadata: { name: "office" } }',
      });
    }
    const equals = this.equals.bind(this);
    const found = objects.find((object) => mismatch(object, partial, '', equals) === undefined);
    return {
      pass: found !== undefined,
      message: () => {
        if (found !== undefined) {
          return `expected no object matching ${JSON.stringify(partial)}, but found ${JSON.stringify(found)}`;
        }
        const kind = (partial as { kind?: unknown }).kind;
        const candidates = objects.filter((object) => typeof kind !== 'string' || object['kind'] === kind);
        const closest = candidates.map((object) => ({ object, at: mismatch(object, partial, '', equals) }));
        const lines = closest
          .slice(0, 5)
          .map(({ object, at }) => `  ${nameOf(object)}: ${at ?? ''}`)
          .join('\n');
        return (
          `expected an object matching ${JSON.stringify(partial)} among ${objects.length} objects, but none does` +
          (lines ? `; the nearest:\n${lines}` : typeof kind === 'string' ? `; there is no ${kind}` : '')
        );
      },
    };
  },
};

/** The matcher names and their arguments, as `expect(...)` takes them. */
export interface TailkubeMatchers<R> {
  /**
   * Every device `principal` names may reach every device `target` names on `port` (TCP unless
   * `proto` says otherwise). Each end is a principal or address as the policy writes it, or a
   * construct of the program (its Tailscale Service when it serves one, else its devices).
   *
   * @example
   * expect(result).toAllow('group:eng', ingress, 443);
   */
  toAllow(principal: Endpoint, target: Endpoint, port: number, proto?: string): R;
  /**
   * `principal` may not reach `target` on `port`: the negation of `toAllow`.
   *
   * @example
   * expect(result).toDeny('autogroup:member', ingress, 443);
   */
  toDeny(principal: Endpoint, target: Endpoint, port: number, proto?: string): R;
  /**
   * `principal` gets `capability` at `target`, holding `value` when given.
   *
   * @example
   * expect(result).toGrantCapability('group:sre', proxy, 'tailscale.com/cap/kubernetes', {
   *   impersonate: { groups: ['system:masters'] },
   * });
   */
  toGrantCapability(principal: Endpoint, target: Endpoint, capability: string, value?: unknown): R;
  /**
   * Every device `target` names holds the node attribute `attribute`, holding `value` when given.
   *
   * @example
   * expect(result).toHaveNodeAttribute(funnelIngress, 'funnel');
   */
  toHaveNodeAttribute(target: Endpoint, attribute: string, value?: unknown): R;
  /**
   * One of the objects matches `partial` (as `toMatchObject` does).
   *
   * @example
   * expect(result.objects).toContainObject({ kind: 'Connector', metadata: { name: 'office' } });
   */
  toContainObject(partial: object): R;
}

declare global {
  // Jest's global `expect` (@types/jest) is typed through this namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must equal @types/jest's declaration of Matchers.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends TailkubeMatchers<R> {}
  }
}

/**
 * Why the assertion failed, from the answer: it is shown only when the answer is not the one
 * expected, so an allowed answer means denial was expected, and the reverse.
 */
function connectMessage(answer: AccessAnswer, port: number, proto: string | undefined): string {
  const on = `${proto ?? 'tcp'}:${port}`;
  if (answer.allowed) {
    return `expected ${answer.from} not to reach ${answer.to} on ${on}, but it can: ${answer.explanation}`;
  }
  return (
    `expected ${answer.from} to reach ${answer.to} on ${on}, but it cannot: ${answer.explanation}\n` +
    `a grant such as ${JSON.stringify(answer.neededGrant)} would allow it`
  );
}

function withProto(proto: string | undefined): { readonly proto?: string } {
  return proto === undefined ? {} : { proto };
}

function isSynthResult(value: unknown): value is SynthResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof SynthResult, unknown>>;
  return (
    Array.isArray(candidate.objects) &&
    Array.isArray(candidate.constructRequirements) &&
    typeof candidate.policy === 'object' &&
    typeof candidate.sourceOf === 'function'
  );
}

function tailnetOf(received: unknown, caller: string): TestTailnet {
  if (TestTailnet.isTestTailnet(received)) return received;
  if (isSynthResult(received)) {
    let tailnet = tailnets.get(received);
    if (tailnet === undefined) {
      tailnet = TestTailnet.of(received);
      tailnets.set(received, tailnet);
    }
    return tailnet;
  }
  throw new ValidationError({
    path: caller,
    field: 'expect(received)',
    value: describeObject(received),
    allowed: 'what `synthCdk8s` or `runPulumi` returned, or a `TestTailnet`',
  });
}

function objectsOf(received: unknown): readonly Record<string, unknown>[] {
  const list = isSynthResult(received) ? received.objects : received;
  if (Array.isArray(list) && list.every((item) => typeof item === 'object' && item !== null)) {
    return list as Record<string, unknown>[];
  }
  throw new ValidationError({
    path: 'toContainObject',
    field: 'expect(received)',
    value: describeObject(received),
    allowed: "a result's `objects` (an array of objects), or the result itself",
  });
}

/** Where `actual` first fails to match `partial`, as `path: got …`, or `undefined` when it matches. */
function mismatch(
  actual: unknown,
  partial: unknown,
  path: string,
  equals: (a: unknown, b: unknown) => boolean,
): string | undefined {
  const at = path || '(the object)';
  if (isAsymmetric(partial) || typeof partial !== 'object' || partial === null) {
    return equals(actual, partial) ? undefined : `${at} is ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(partial)) {
    if (!Array.isArray(actual) || actual.length !== partial.length) {
      return `${at} is ${JSON.stringify(actual)}`;
    }
    for (const [index, item] of partial.entries()) {
      const found = mismatch(actual[index], item, `${path}[${index}]`, equals);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
    return `${at} is ${JSON.stringify(actual)}`;
  }
  for (const [key, expected] of Object.entries(partial)) {
    const child = path ? `${path}.${key}` : key;
    if (!(key in actual)) return `${child} is missing`;
    const found = mismatch((actual as Record<string, unknown>)[key], expected, child, equals);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isAsymmetric(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  );
}

function nameOf(object: Readonly<Record<string, unknown>>): string {
  const metadata = (object['metadata'] ?? {}) as { name?: unknown; namespace?: unknown };
  const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
  return `${String(object['kind'])} ${namespace}${String(metadata.name)}`;
}
