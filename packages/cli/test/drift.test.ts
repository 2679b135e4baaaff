import type { PolicyDocument } from '@tailkube/policy';
import { diffEntries } from '../src/drift';

describe('diffEntries', () => {
  test.each<[string, PolicyDocument, PolicyDocument, ReturnType<typeof diffEntries>]>([
    [
      'no change when only key order differs',
      { hosts: { a: '1.1.1.1', b: '2.2.2.2' } },
      { hosts: { b: '2.2.2.2', a: '1.1.1.1' } },
      [],
    ],
    [
      'a section added',
      {},
      { hosts: { db: '100.64.0.10' } },
      [{ change: 'added', path: 'hosts', value: '{"db":"100.64.0.10"}' }],
    ],
    [
      'a key changed, one removed',
      { hosts: { db: '100.64.0.10', old: '100.64.0.9' } },
      { hosts: { db: '100.64.0.11' } },
      [
        { change: 'changed', path: 'hosts.db', value: '"100.64.0.11"', was: '"100.64.0.10"' },
        { change: 'removed', path: 'hosts.old', value: '"100.64.0.9"' },
      ],
    ],
    [
      'list items compared by meaning, named by their section',
      { grants: [{ src: ['a@x.com'], dst: ['tag:db'], ip: ['tcp:5432'] }] },
      {
        grants: [
          { ip: ['tcp:5432'], dst: ['tag:db'], src: ['a@x.com'] },
          { src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:443'] },
        ],
      },
      [
        {
          change: 'added',
          path: 'grants',
          value: '{"dst":["tag:web"],"ip":["tcp:443"],"src":["group:eng"]}',
        },
      ],
    ],
    [
      'a tag owner added to a list, quoted when the key is not a name',
      { tagOwners: { 'tag:k8s': ['tag:k8s-operator'] } },
      { tagOwners: { 'tag:k8s': ['tag:k8s-operator', 'alice@example.com'] } },
      [{ change: 'added', path: 'tagOwners["tag:k8s"]', value: '"alice@example.com"' }],
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(diffEntries(before, after)).toStrictEqual(expected);
  });
});
