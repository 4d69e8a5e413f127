/** Which files a document was checked with (the editor's "Supervisor deployment" status), and how it is worded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
import { deploymentSummary } from '../../../server/src/core/features/deploymentSummary';
import { deploymentStatus, supervisordStatus, unreadItems } from '../../../client/src/deploymentText';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../../../server/src/core/model/parse';
import { DeploymentFinder } from '../../../server/src/workspace';

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

test('what the [include] left unread: counted in the status, listed with why in the file list', () => {
  const unread = [
    { pattern: '%(ENV_CONF)s/*.conf', reason: 'unexpanded' as const, name: 'ENV_CONF' },
    { pattern: '/etc/supervisor/conf.d/*.conf', reason: 'outsideWorkspace' as const, path: '/etc/supervisor/conf.d' },
  ];
  const alone = deploymentStatus({ role: 'alone', isMainFile: true, files: ['/d/supervisord.conf'], complete: false, unread }, true);
  assert.deepEqual(alone, { text: 'Main config', detail: '2 includes not read', action: { title: 'Show Files', kind: 'showFiles' } });
  const main = deploymentStatus({ role: 'main', isMainFile: true, files: ['/a', '/b'], complete: false, unread: unread.slice(1) }, true);
  assert.equal(main.detail, 'checked together, 1 include not read');
  assert.deepEqual(unreadItems({ unread }), [
    { label: '%(ENV_CONF)s/*.conf', description: "%(ENV_CONF)s is not expanded in the editor (supervisord's environment is not known here)" },
    { label: '/etc/supervisor/conf.d', description: 'outside the workspace: set supervisor.mainConfig to the main config to read it · files = /etc/supervisor/conf.d/*.conf' },
  ]);
  assert.deepEqual(unreadItems({}), []);
});

test('a workspace main config whose [include] reaches outside the workspace: the summary says where', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'unread-'));
  try {
    const main = '[supervisord]\n[include]\nfiles = conf.d/*.conf /etc/supervisor/conf.d/*.conf\n';
    fs.mkdirSync(path.join(root, 'conf.d'));
    fs.writeFileSync(path.join(root, 'conf.d', 'w.conf'), WORKERS);
    const found = new DeploymentFinder([root], () => undefined).deploymentOf(path.join(root, 'supervisord.conf'), main)!;
    const context = { files: found.files.map((f) => ({ path: f.path, doc: parse(f.text) })), path: found.files[0].path, complete: found.complete, unread: found.unread };
    const summary = deploymentSummary(analyzeText(main, undefined, context).deployment);
    assert.deepEqual(summary.unread, [{ pattern: '/etc/supervisor/conf.d/*.conf', reason: 'outsideWorkspace', path: '/etc/supervisor/conf.d' }]);
    assert.equal(deploymentStatus(summary, true).detail, 'checked together, 1 include not read');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
