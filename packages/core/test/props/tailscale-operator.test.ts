import {
  FIREWALL_MODES,
  OPERATOR_LOG_LEVELS,
  type FirewallMode,
  type OperatorLogLevel,
  type TailscaleOperatorProps,
} from '../../src/internal';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// Literal unions and their runtime lists stay equal; tsc fails otherwise.
export type Checks = [
  Expect<Equal<FirewallMode, 'auto' | 'iptables' | 'nftables'>>,
  Expect<Equal<OperatorLogLevel, 'info' | 'debug' | 'dev'>>,
  Expect<Equal<NonNullable<TailscaleOperatorProps['firewallMode']>, FirewallMode>>,
  // Every prop is optional: `{}` is a complete operator.
  Expect<Equal<Partial<TailscaleOperatorProps>, TailscaleOperatorProps>>,
];

test('the firewall modes are the operator’s', () => {
  expect(FIREWALL_MODES).toStrictEqual(['auto', 'iptables', 'nftables']);
});

test('the log levels are the operator’s', () => {
  expect(OPERATOR_LOG_LEVELS).toStrictEqual(['info', 'debug', 'dev']);
});
