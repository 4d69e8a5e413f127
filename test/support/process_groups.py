#!/usr/bin/python3
"""The process groups supervisor builds from each config file given, as one JSON line per file:
{"file", "groups": {group name: [process names]}} or {"file", "error"} when supervisor refuses it.
A file without [supervisord] is read as an included fragment. Whether directories and users exist is
not checked: that is the business of the machine that runs supervisord."""
import json, os, sys, tempfile
from supervisor import datatypes, options

for module in (options, datatypes):
    module.existing_dirpath = lambda v: v
    module.existing_directory = lambda v: v
options.name_to_uid = lambda name: 0

for path in sys.argv[1:]:
    with open(path, encoding='utf-8', errors='surrogateescape') as fh:
        text = fh.read()
    if '[supervisord]' not in text.replace(' ', ''):
        text = '[supervisord]\n' + text
    out = {'file': path}
    with tempfile.TemporaryDirectory() as folder:
        config = os.path.join(folder, 'supervisord.conf')
        with open(config, 'w', encoding='utf-8', errors='surrogateescape') as fh:
            fh.write(text)
        opts = options.ServerOptions()
        opts.configfile = config
        opts.here = folder
        try:
            opts.read_config(config)
            out['groups'] = {g.name: [p.name for p in g.process_configs] for g in opts.configroot.supervisord.process_group_configs}
        except Exception as e:  # supervisor refuses the file
            out['error'] = '%s: %s' % (type(e).__name__, e)
    print(json.dumps(out))
