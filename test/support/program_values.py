#!/usr/bin/python3
"""What supervisor gives each program of a deployment: the main config given is read as supervisord reads
it (its [include] followed), and one JSON line is printed: {"programs": {name: {key: value}}} with the keys
asked for, as text our side can compare (booleans true/false, autorestart true/false/unexpected, numbers as
digits), or {"error": ...} when supervisor refuses the deployment. Whether directories and users exist is
not checked: that is the business of the machine that runs supervisord."""
import json, os, sys
from supervisor import datatypes, options

for module in (options, datatypes):
    module.existing_dirpath = lambda v: v
    module.existing_directory = lambda v: v
options.name_to_uid = lambda name: 0


def text(value):
    if value is datatypes.RestartUnconditionally:
        return 'true'
    if value is datatypes.RestartWhenExitUnexpected:
        return 'unexpected'
    if value is False:
        return 'false'
    if value is True:
        return 'true'
    return str(value)


main, keys = sys.argv[1], sys.argv[2].split(',')
opts = options.ServerOptions()
opts.searchpaths = []
opts.configfile = main
opts.here = os.path.dirname(os.path.abspath(main))
try:
    section = opts.read_config(main)
    programs = {p.name: {k: text(getattr(p, k)) for k in keys} for g in section.process_group_configs for p in g.process_configs}
    print(json.dumps({'programs': programs}))
except Exception as e:  # supervisor refuses the deployment
    print(json.dumps({'error': '%s: %s' % (type(e).__name__, e)}))
