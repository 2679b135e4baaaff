/** Nanoseconds per unit of a Go duration. */
const UNIT_NANOSECONDS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Parses a Go duration (`12h`, `1h30m`, `90s`, `-1h`), as `checkPeriod` is written: nanoseconds, or `undefined`. */
export function parseDuration(text: string): bigint | undefined {
  const part = /(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/g;
  const match = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|ms|s|m|h))+|0)$/.exec(text);
  if (!match) return undefined;
  let total = 0n;
  for (const [, digits = '', unit = ''] of (match[2] ?? '').matchAll(part)) {
    const [whole = '', fraction = ''] = digits.split('.');
    const scale = 10n ** BigInt(fraction.length);
    total +=
      ((BigInt(whole || '0') * scale + BigInt(fraction || '0')) * (UNIT_NANOSECONDS[unit] ?? 0n)) / scale;
  }
  return match[1] === '-' ? -total : total;
}

/** Formats nanoseconds as Go's `time.Duration` prints them (`200h0m0s`, `1m30s`, `1.5s`, `-2h0m0s`). */
export function formatDuration(nanoseconds: bigint): string {
  const sign = nanoseconds < 0n ? '-' : '';
  const value = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  const decimal = (amount: bigint, unit: bigint): string => {
    const fraction = (amount % unit)
      .toString()
      .padStart(unit.toString().length - 1, '0')
      .replace(/0+$/, '');
    return `${amount / unit}${fraction === '' ? '' : `.${fraction}`}`;
  };
  if (value === 0n) return '0s';
  if (value < 1_000n) return `${sign}${value}ns`;
  if (value < 1_000_000n) return `${sign}${decimal(value, 1_000n)}µs`;
  if (value < 1_000_000_000n) return `${sign}${decimal(value, 1_000_000n)}ms`;
  const hours = value / 3_600_000_000_000n;
  const minutes = (value / 60_000_000_000n) % 60n;
  const seconds = decimal(value % 60_000_000_000n, 1_000_000_000n);
  return `${sign}${hours > 0n ? `${hours}h` : ''}${hours > 0n || minutes > 0n ? `${minutes}m` : ''}${seconds}s`;
}
