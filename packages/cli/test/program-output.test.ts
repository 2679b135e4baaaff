import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliError } from '../src/errors';
import { readProgramOutput } from '../src/program-output';

describe('readProgramOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-out-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads the policy, and the requirements when there are some', () => {
    fs.writeFileSync(path.join(dir, 'tailnet-policy.hujson'), '{\n  // Kept.\n  "grants": [],\n}\n');

    expect(readProgramOutput(dir)).toStrictEqual({
      policyPath: path.join(dir, 'tailnet-policy.hujson'),
      text: '{\n  // Kept.\n  "grants": [],\n}\n',
      document: { grants: [] },
    });
  });

  test.each([
    [
      '{"grants": [}',
      undefined,
      'is not valid HuJSON: ValueExpected at line 1, column 13; synthesize the program again',
    ],
    ['[]', undefined, 'must hold a HuJSON object such as {"grants": []}'],
    ['{}', '{"intendedAccess": 3}', 'has no `intendedAccess` list, so it was not written by tailkube'],
    ['{}', 'not json', 'is not JSON ('],
  ])('fails when the output is not what tailkube writes (%#)', (policy, requirements, message) => {
    fs.writeFileSync(path.join(dir, 'tailnet-policy.hujson'), policy);
    if (requirements !== undefined)
      fs.writeFileSync(path.join(dir, 'tailnet-requirements.json'), requirements);

    expect(() => readProgramOutput(dir)).toThrow(CliError);
    expect(() => readProgramOutput(dir)).toThrow(message);
  });
});
