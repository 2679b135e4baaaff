/**
 * What sibling tailkube packages need from the policy engine beyond its public API: address and
 * selector helpers, deterministic ordering. Not for users; it may change in any release.
 *
 * @packageDocumentation
 */
export { compareStrings, sortedRecord } from './order';
export { canonical, renderEntries } from './merge';
export { commented, entry, isCommented, type Commented } from './hujson';
export {
  formatAddress,
  formatRange,
  parseAddress,
  parseRange,
  type AddressRange,
  type IpFamily,
} from './engine/addresses';
export { ALL_PORTS, parsePorts, parseProtocol } from './engine/ports';
export {
  selectorKind,
  splitDestination,
  AUTOGROUPS,
  type Autogroup,
  type SelectorKind,
} from './engine/selectors';
export { approveServices, isServiceName } from './engine/services';
export { connects } from './engine/evaluate';
export { simulateNodeAttributes } from './engine/simulate';
