#!/usr/bin/python3
"""Celery 5's own command line (click) as ground truth: reads one JSON argv per line (the arguments
after `celery`) and prints, per line, {"ok": true, "sub", "params"} when click accepts them, or
{"ok": false, "error"} with click's message when celery would stop (also for the extra `key=value` settings
that worker and beat read before they start) ("crash" too when celery
itself fails on the value with a traceback). Nothing runs: only the parsing
and the value conversion that `celery` does before it starts a worker or beat.
Needs Debian's python3-celery (celery 5.2.6, click 8.1.3)."""
import json, sys
import click
from celery import Celery
from celery.bin import celery as celery_cli
from celery.bin.base import CLIContext

# -A names a module of the user's project, which is not here: keep its text instead of importing it.
celery_cli.App.convert = lambda self, value, param, ctx: value
cli = celery_cli.celery


def parse(argv):
    try:
        obj = CLIContext(app=Celery(set_as_current=False), no_color=True, workdir=None, quiet=True)
        ctx = cli.make_context('celery', list(argv), obj=obj)
        args = ctx.protected_args + ctx.args
        if not args:
            return {'ok': False, 'error': 'no sub-command'}
        name, command, rest = cli.resolve_command(ctx, args)
        sub = command.make_context(name, rest, parent=ctx)
        if sub.args and name in ('worker', 'beat'):
            # What the worker and beat commands do first with their extra arguments (celery/bin/worker.py, beat.py).
            try:
                sub.obj.app.config_from_cmdline(sub.args, namespace='worker' if name == 'worker' else 'celery')
            except (KeyError, ValueError) as e:
                raise click.UsageError('Unable to parse extra configuration from command line.\nReason: %s' % (e,), ctx=sub)
        return {'ok': True, 'sub': name, 'params': {k: repr(v) for k, v in {**ctx.params, **sub.params}.items()}}
    except click.exceptions.ClickException as e:
        return {'ok': False, 'error': e.format_message()}
    except Exception as e:  # celery itself breaks on the value (a traceback, and the worker never starts)
        return {'ok': False, 'error': '', 'crash': '%s: %s' % (type(e).__name__, e)}


for line in sys.stdin:
    print(json.dumps(parse(json.loads(line))), flush=True)
