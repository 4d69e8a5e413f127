/** Which files a document was checked with (the editor's "Supervisor deployment" status), and how it is worded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
import { deploymentSummary } from '../../../server/src/core/features/deploymentSummary';
import { deploymentStatus, supervisordStatus } from '../../../client/src/deploymentText';

const MAIN = '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n';
const WORKERS = '[program:worker]\ncommand=celery -A proj worker -l info\n';
const MEMMON = '[eventlistener:memmon]\ncommand=memmon -c -p worker=1GB\nevents=TICK_60\n';

const files = [
  { path: '/d/supervisord.conf', text: MAIN },
  { path: '/d/conf.d/10-workers.conf', text: WORKERS },
  { path: '/d/conf.d/30-memmon.conf', text: MEMMON },
];

test('a main config with includes: every file in read order, itself first', () => {
  const [main] = analyzeDeployment(files);
  assert.deepEqual(deploymentSummary(main.deployment), {
    role: 'main',
    isMainFile: true,
    files: ['/d/supervisord.conf', '/d/conf.d/10-workers.conf', '/d/conf.d/30-memmon.conf'],
    complete: true,
  });
});

test('a fragment: its main config, and the same files in the same order', () => {
  const workers = analyzeDeployment(files, undefined, false)[1];
  assert.deepEqual(deploymentSummary(workers.deployment), {
    role: 'fragment',
    isMainFile: false,
    mainFile: '/d/supervisord.conf',
    files: ['/d/supervisord.conf', '/d/conf.d/10-workers.conf', '/d/conf.d/30-memmon.conf'],
    complete: false,
  });
});

test('alone: a file without a deployment, and a main config whose [include] read nothing', () => {
  assert.deepEqual(deploymentSummary(analyzeText(WORKERS).deployment), { role: 'alone', isMainFile: false, files: [], complete: true });
  assert.deepEqual(deploymentSummary(analyzeDeployment([files[0]])[0].deployment), { role: 'alone', isMainFile: true, files: ['/d/supervisord.conf'], complete: true });
});

test('the status names the main config of a fragment, counts the files of a main config, and says when files were not read', () => {
  const [main, workers] = analyzeDeployment(files);
  const ofMain = deploymentStatus(deploymentSummary(main.deployment), true);
  assert.equal(ofMain.text, 'Main config · includes 2 files');
  assert.equal(ofMain.action?.kind, 'showFiles');
  const ofFragment = deploymentStatus(deploymentSummary(workers.deployment), true);
  assert.equal(ofFragment.text, 'Included by supervisord.conf');
  assert.equal(ofFragment.detail, '/d', 'the main config\'s folder');
  const partial = deploymentStatus(deploymentSummary(analyzeDeployment(files, undefined, false)[1].deployment), true);
  assert.equal(partial.detail, '/d, some files not read');
});

test('a fragment checked alone offers the supervisor.mainConfig setting; an unsaved file and a main config do not', () => {
  const fragment = deploymentStatus(deploymentSummary(analyzeText(WORKERS).deployment), true);
  assert.equal(fragment.text, 'Checked alone');
  assert.equal(fragment.detail, 'no main config includes it');
  assert.deepEqual(fragment.action, { title: 'Set Main Config', kind: 'setMainConfig' });
  const unsaved = deploymentStatus(deploymentSummary(analyzeText(WORKERS).deployment), false);
  assert.equal(unsaved.action, undefined);
  assert.equal(unsaved.detail, 'unsaved file');
  const lonely = deploymentStatus(deploymentSummary(analyzeText(MAIN).deployment), true);
  assert.deepEqual([lonely.text, lonely.detail, lonely.action], ['Main config', 'includes no other file', undefined]);
  // Its [include] could not be followed (here an environment variable): it may include files, not read.
  const unread = analyzeDeployment([{ path: '/d/supervisord.conf', text: '[supervisord]\n[include]\nfiles = %(ENV_CONF)s/*.conf\n' }], undefined, false)[0];
  assert.deepEqual(deploymentStatus(deploymentSummary(unread.deployment), true), { text: 'Main config', detail: 'included files not read' });
  assert.equal(deploymentStatus({ role: 'main', isMainFile: true, files: ['/a', '/b'], complete: true }, true).text, 'Main config · includes 1 file');
  assert.equal(deploymentStatus({ role: 'main', isMainFile: true, files: ['/a', '/b'], complete: true, machineChecked: true }, true).detail, 'checked together, checked against this machine');
  // What the supervisord running it says (a warning when a process should run and does not), or why it
  // could not be asked (the process status lenses are then missing): an item of its own.
  assert.deepEqual(supervisordStatus({ supervisord: '1 FATAL, 3 RUNNING', supervisordState: 'trouble' }), { text: 'supervisord: 1 FATAL, 3 RUNNING', detail: 'runs this deployment', warning: true, showProcesses: true });
  assert.deepEqual(supervisordStatus({ supervisord: '1 STOPPED, 3 RUNNING', supervisordState: 'running' })?.warning, false, 'STOPPED is a choice');
  assert.deepEqual(supervisordStatus({ supervisord: 'no access to /var/run/supervisor.sock', supervisordState: 'unreachable' }), {
    text: 'supervisord: no access to /var/run/supervisor.sock',
    detail: 'runs this deployment, but cannot be asked',
    warning: false,
    showProcesses: false,
  });
  assert.equal(supervisordStatus({}), undefined, 'no supervisord here reads it');
});
