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

  constructor(message: string) {
    super(message);
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
    const value = details.secret ? REDACTED : details.value;
    const got = value === undefined ? 'nothing' : formatValue(value);
    const hint = details.hint ? `; ${details.hint}` : '';
    super(`${details.path}: \`${details.field}\` must be ${details.allowed}, got ${got}${hint}`);
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
    this.path = details.path;
    this.field = details.field;
    this.value = value;
    this.allowed = details.allowed;
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

function formatValue(value: unknown): string {
  if (value === REDACTED) return REDACTED;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}
