/** A large, valid supervisor config with N Celery programs plus the usual sections (the bench's input). */
export function generateConfig(n: number): string {
  const out = [
    '[unix_http_server]', 'file=/var/run/supervisor.sock   ; the socket', 'chmod=0700', '',
    '[supervisord]', 'logfile=/var/log/supervisor/supervisord.log', 'pidfile=/var/run/supervisord.pid',
    'childlogdir=/var/log/supervisor', '', '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface', '',
    '[supervisorctl]', 'serverurl=unix:///var/run/supervisor.sock', '',
  ];
  for (let i = 0; i < n; i++) {
    const pool = i % 3 === 0 ? '--pool=gevent --concurrency=10' : '--concurrency=4';
    const mem = i % 3 === 0 ? '' : ' --max-memory-per-child 262144';
    out.push(
      `[program:worker${i}]`,
      `command=/home/app/venv/bin/celery -A proj${i} worker -l info ${pool}${mem} -Q q${i}`,
      'directory=/home/app/proj', 'user=app', 'numprocs=1', `stdout_logfile=/var/log/celery/w${i}.log`,
      `stderr_logfile=/var/log/celery/w${i}.err`, 'autostart=true', 'autorestart=true', 'startsecs=10',
      'stopwaitsecs = 600   ; long tasks', 'killasgroup=true', 'priority=1000',
      'environment=DJANGO_SETTINGS_MODULE="proj.settings",LANG="en_US.UTF-8"', '',
    );
  }
  out.push('[eventlistener:memmon]', 'command=/home/app/venv/bin/memmon -p worker1=512MB', 'events=TICK_60', '');
  out.push('[group:workers]', `programs=${Array.from({ length: Math.min(n, 50) }, (_, i) => `worker${i}`).join(',')}`, '');
  return out.join('\n');
}

/** A typical small deployment file (about 100 lines). */
export function typicalConfig(): string {
  return generateConfig(6);
}
