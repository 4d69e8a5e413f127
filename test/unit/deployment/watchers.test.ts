import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMemmonCommand } from '../../../server/src/core/command/memmon';
import { memmonSelects } from '../../../server/src/core/deployment';

/** Whether `memmon ARGS` selects a program with these process names in this group. */
function selects(args: string, processNames: string[] | undefined, group: string): boolean {
  const memmon = readMemmonCommand(`memmon ${args}`);
  assert.ok(memmon);
  return memmonSelects(memmon, { processNames, group });
}

test('catches a program by process name, `group:name`, its group with -g, or -a', () => {
  assert.ok(selects('-p w_1=1GB', ['w_0', 'w_1'], 'w'));
  assert.ok(selects('-p other=1GB -p app:w_0=1GB', ['w_0', 'w_1'], 'app'));
  assert.ok(selects('-g app=1GB', ['w_0'], 'app'));
  assert.ok(selects('-g app=1GB', undefined, 'app'));
  assert.ok(selects('-a 1GB', undefined, 'w'));
  // A group with a ':' : the text after the option's first ':' must be a process name.
  assert.ok(selects('-p x:y:w=1GB', ['y:w'], 'x:y'));
  assert.ok(selects('-p :w=1GB', ['w'], ''));
});

test('does not catch a program by another group, a name fragment or a process name it does not have', () => {
  assert.ok(!selects('-p other:w_0=1GB', ['w_0'], 'app'));
  assert.ok(!selects('-p app:w=1GB', ['w_0'], 'app'));
  assert.ok(!selects('-p app=1GB', ['w_0'], 'app'), '-p names processes, not groups');
  assert.ok(!selects('-g w=1GB', ['w'], 'app'), '-g names groups, not programs');
  assert.ok(!selects('-p w=1GB', undefined, 'w'), 'process names the server decides are unknown');
  assert.ok(!selects('-p w=1GB', [], 'w'));
  assert.ok(!selects('-p x:y:w=1GB', ['w'], 'x:y'));
  assert.ok(!selects('-p x:w=1GB', ['w'], 'x:y'));
  assert.ok(!selects('-p x:q:w=1GB', ['q:w'], 'x:y'));
  assert.ok(!selects('-p w', ['w'], 'w'), 'a malformed pair names nothing');
});

test('catches the program each of thousands of -p options names, and no other', () => {
  const n = 20_000;
  const memmon = readMemmonCommand('memmon ' + Array.from({ length: n }, (_, i) => (i % 2 ? `-p w${i}=1GB` : `-p g${i}:w${i}=1GB`)).join(' '));
  assert.ok(memmon);
  for (let i = 0; i < n; i++) {
    assert.ok(memmonSelects(memmon, { processNames: [`w${i}`], group: `g${i}` }), `w${i}`);
    if (i % 2 === 0) assert.ok(!memmonSelects(memmon, { processNames: [`w${i}`], group: 'other' }), `w${i} in another group`);
  }
  assert.ok(!memmonSelects(memmon, { processNames: [`w${n}`], group: `g${n}` }));
});
