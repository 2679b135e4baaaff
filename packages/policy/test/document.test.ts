import { POLICY_SECTIONS } from '../src';

test('lays out the sections in the order of Tailscale’s editor', () => {
  expect(POLICY_SECTIONS).toStrictEqual([
    'groups',
    'hosts',
    'tagOwners',
    'acls',
    'grants',
    'autoApprovers',
    'nodeAttrs',
    'ssh',
    'tests',
    'sshTests',
  ]);
});
