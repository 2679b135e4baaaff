const TAILKUBE_ERROR = Symbol.for('tailkube.TailkubeError');
const VALIDATION_ERROR = Symbol.for('tailkube.ValidationError');

/** Shown in place of any value marked secret. */
export const REDACTED = '<redacted>';

/**
 * Base class of every error tailkube throws on purpose.
 *
 * Use {@link isTailkubeError} rather than `instanceof`: the brand check survives two copies of
 * the library in one `node_modules`.
 */
export class TailkubeError extends Error {
  override name = 'TailkubeError';

  /** `message` is redacted: no Tailscale key or URL userinfo survives in it. */
  constructor(message: string) {
    super(redactSecrets(String(message)));
    Object.defineProperty(this, TAILKUBE_ERROR, { value: true });
  }
}

/** Where and what a {@link ValidationError} is about. */
export interface ValidationErrorDetails {
  /** The construct the bad input belongs to, for example `Connector 'home/office'`. */
  readonly path: string;
  /** The field, as the user wrote it, for example `advertiseRoutes[1]`. */
  readonly field: string;
  /** The bad value (redacted when `secret`). */
  readonly value: unknown;
  /** What is allowed instead, in words, for example `a masked CIDR such as "10.0.0.0/8"`. */
  readonly allowed: string;
  /** A suggestion appended to the message, for example `did you mean "10.0.0.0/8"?`. */
  readonly hint?: string;
  /** Whether the value is a credential; it then never appears in the error. */
  readonly secret?: boolean;
}

/**
 * Bad input, found before anything is emitted.
 *
 * The message reads:
 * ``Connector 'home/office': `advertiseRoutes[1]` must be a masked CIDR such as "10.0.0.0/8", got "10.0.0.1/8"; did you mean "10.0.0.0/8"?``
 */
export class ValidationError extends TailkubeError {
  override name = 'ValidationError';
  /** The construct the bad input belongs to. */
  readonly path: string;
  /** The field that holds the bad value. */
  readonly field: string;
  /** The bad value, or `<redacted>` for a secret. */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;

  constructor(details: ValidationErrorDetails) {
    const printed = details.secret ? REDACTED : describeValue(details.value);
    const got = details.value === undefined && !details.secret ? 'nothing' : printed;
    const hint = details.hint ? `; ${redactSecrets(String(details.hint))}` : '';
    const path = redactSecrets(String(details.path));
    const field = redactSecrets(String(details.field));
    const allowed = redactSecrets(String(details.allowed));
    super(`${path}: \`${field}\` must be ${allowed}, got ${got}${hint}`);
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
    this.path = path;
    this.field = field;
    // A value holding anything secret-shaped is kept only in its printed, redacted form.
    this.value = details.secret ? REDACTED : printed === describeRaw(details.value) ? details.value : printed;
    this.allowed = allowed;
  }
}

/** Whether `error` is a {@link TailkubeError}, from any copy of the library. */
export function isTailkubeError(error: unknown): error is TailkubeError {
  return typeof error === 'object' && error !== null && TAILKUBE_ERROR in error;
}

/** Whether `error` is a {@link ValidationError}, from any copy of the library. */
export function isValidationError(error: unknown): error is ValidationError {
  return typeof error === 'object' && error !== null && VALIDATION_ERROR in error;
}

/** Anything shaped like a Tailscale key: auth keys, API access tokens, OAuth client secrets. */
const TAILSCALE_KEY = /tskey-[A-Za-z0-9_-]+/g;
/**
 * A URL's userinfo (`scheme://user:password@`), which holds a credential when present. A scheme
 * starts where a run of scheme characters starts (not at every word boundary inside one), so a long
 * run such as `a-a-a-…` is scanned once, not once per position: linear, not quadratic.
 */
const URL_USERINFO = /(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^\s/?#@"'`]*@/g;
/** The longest printed value; longer ones are cut, so a message stays readable. */
const MAX_PRINTED = 200;

/**
 * `text` with anything shaped like a Tailscale key (`tskey-…`) and every URL's userinfo replaced by
 * `<redacted>`. Every error and warning tailkube builds goes through it, so a key pasted into the
 * wrong field is never echoed.
 */
export function redactSecrets(text: string): string {
  return text.replace(TAILSCALE_KEY, REDACTED).replace(URL_USERINFO, `$1${REDACTED}@`);
}

/** {@link TAILSCALE_KEY} without the global flag, whose `test` keeps no state between calls. */
const HOLDS_TAILSCALE_KEY = new RegExp(TAILSCALE_KEY.source);

/** Whether `text` holds anything shaped like a Tailscale key. */
export function holdsTailscaleKey(text: string): boolean {
  return HOLDS_TAILSCALE_KEY.test(text);
}

/**
 * `value` as a message prints it, redacted: JSON where it has a JSON form, else a short
 * description. Never throws, whatever the value (symbols, big integers, cycles, throwing getters
 * or `toString`).
 */
export function describeValue(value: unknown): string {
  return redactSecrets(describeRaw(value));
}

function describeRaw(value: unknown): string {
  if (value === REDACTED) return REDACTED;
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${value.toString()}n`;
    case 'symbol':
      return Symbol.prototype.toString.call(value);
    case 'function':
      return 'a function';
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return cut(JSON.stringify(value));
    default:
      return cut(describeObject(value as object | null));
  }
}

function describeObject(value: object | null): string {
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return `${item.toString()}n`;
      if (typeof item === 'symbol') return Symbol.prototype.toString.call(item);
      if (typeof item === 'function') return 'a function';
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[repeated]';
        seen.add(item);
      }
      return item;
    });
    return json ?? 'an object';
  } catch {
    return Array.isArray(value) ? 'a list' : 'an object';
  }
}

function cut(text: string): string {
  return text.length > MAX_PRINTED ? `${text.slice(0, MAX_PRINTED)}…` : text;
}
