/**
 * Capture cases the engine is known to disagree with, per file and aspect, each group with its reason.
 * The conformance suite fails when the set of disagreeing cases differs from this list: a regression
 * adds an id, an improvement removes one (update the list; the recorded level only rises).
 */
export const KNOWN_DISAGREEMENTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  acl: {
    // The recorded `approved_routes` is empty although `autoApprovers` match (the same policy and topology
    // are recorded approved in acl-a01), and in acl-ah01, acl-h03, acl-k03 and acl-mu07 the netmaps route
    // 10.33.0.0/16 through squirtle anyway: the recorded outcome, not the rule, is inconsistent.
    approvedRoutes: [
      'acl-ah01',
      'acl-au01',
      'acl-au06',
      'acl-c09',
      'acl-d08',
      'acl-h03',
      'acl-k03',
      'acl-m02',
      'acl-mr09',
      'acl-mr20',
      'acl-mu02',
      'acl-mu07',
      'acl-o04',
      'acl-pf03',
      'acl-r02',
      'acl-r08',
      'acl-rs02',
      'acl-t10',
      'acl-u11',
      'acl-w02',
    ],
    // A recording artefact, not a rule: squirtle's recorded `approved_routes` is empty, yet beedrill,
    // bulbasaur, ivysaur and venusaur are given its 10.33.0.0/16 while charmander, kakuna and weedle,
    // sources of the very same rule with the same standing, are not: most likely the netmaps were
    // recorded on both sides of the route's approval.
    peers: ['acl-k03'],
  },
  policytest: {
    // A grant to a bare IPv6 literal was accepted and its test passed, yet no device received a filter
    // entry; the engine compiles one on the device holding that address.
    filters: ['policytest-allpass-grants-only-tag-src-ipv6-literal-dst'],
    // Same case as the filter disagreement: without the filter entry the two devices do not see each other.
    peers: ['policytest-allpass-grants-only-tag-src-ipv6-literal-dst'],
  },
};
