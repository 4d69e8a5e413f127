import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import type { MachineView } from '../../../server/src/core/machine';
import { machineWith } from '../../support/machine';
import { textAt } from '../../support/rules';

const CODE = 'user-not-found';
const SERVER = machineWith();
SERVER.accounts.add('allianceserver');
SERVER.accounts.add('1000');

function found(text: string, machine: MachineView = SERVER) {
  return analyzeText(text, undefined, undefined, machine).findings.filter((f) => f.code === CODE);
}

test('catches an account this machine does not have, as an error, with the near account of another program as the fix', () => {
  const text = '[program:beat]\ncommand=/bin/true\nuser=allianceserver\n\n[program:worker]\ncommand=/bin/true\nuser = allianceservr ; typo\n';
  const [f, ...rest] = found(text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, f), 'allianceservr');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /This machine has no account allianceservr: supervisor refuses the file \("Invalid user name allianceservr"\).*Did you mean allianceserver\?/);
  assert.deepEqual([f.fixes[0].title, f.fixes[0].safeForFixAll], ['Change to allianceserver', false]);
  const fixed = applyEdits(text, f.fixes[0].edits);
  assert.equal(fixed, text.replace('allianceservr ;', 'allianceserver ;'), 'the comment stays');
  assert.deepEqual(found(fixed), []);
});

test('catches [supervisord] user= and unknown uids; without a near account, no fix', () => {
  const [f] = found('[supervisord]\nuser=supervisor\n');
  assert.match(f.message, /Invalid user name supervisor.*Create the account/);
  assert.deepEqual(f.fixes, []);
  assert.match(found('[program:w]\ncommand=/bin/true\nuser=4242\n')[0].message, /"Invalid user id 4242"/);
});

test('does not catch accounts that exist, expansions, an unknown answer, or without a view of the machine', () => {
  assert.deepEqual(found('[program:w]\ncommand=/bin/true\nuser=root\n\n[program:v]\ncommand=/bin/true\nuser=1000\n'), []);
  assert.deepEqual(found('[program:w]\ncommand=/bin/true\nuser=%(ENV_USER)s\n'), []);
  const cannotTell: MachineView = { ...SERVER, account: () => undefined };
  assert.deepEqual(found('[program:w]\ncommand=/bin/true\nuser=nobody-here\n', cannotTell), []);
  assert.deepEqual(analyzeText('[program:w]\ncommand=/bin/true\nuser=nobody-here\n').findings.filter((f) => f.code === CODE), []);
});
