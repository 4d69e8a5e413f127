#!/usr/bin/python3
"""memmon's argument parsing as ground truth: Python's own getopt with the option spec of superlance
2.0.0's memmon.py, and supervisor's own byte_size for the sizes. Reads one JSON argv per line (the
arguments after `memmon`); prints {"ok": true, "opts": [[short option, value], ...], "args": [...],
"sizes": [[value, bytes or null], ...], "times": [[-u value, seconds or null], ...]} or {"ok": false,
"error": getopt's message}."""
import getopt, json, sys
from supervisor.datatypes import byte_size, SuffixMultiplier

# memmon.py's seconds_size, which reads -u.
seconds_size = SuffixMultiplier({'s': 1, 'm': 60, 'h': 60 * 60, 'd': 60 * 60 * 24})

SHORT = 'hcp:g:a:s:m:n:u:'
LONG = ['help', 'cumulative', 'program=', 'group=', 'any=', 'sendmail_program=', 'email=', 'uptime=', 'name=']
SHORT_OF = {'--' + name.rstrip('='): '-' + letter for name, letter in zip(LONG, 'hcpgasmun')}


def size_of(text, read=byte_size):
    try:
        return read(text)
    except ValueError:
        return None


for line in sys.stdin:
    argv = json.loads(line)
    try:
        opts, args = getopt.getopt(argv, SHORT, LONG)
    except getopt.GetoptError as e:
        print(json.dumps({'ok': False, 'error': str(e)}))
        continue
    opts = [[SHORT_OF.get(o, o), v] for o, v in opts]
    sizes = []
    for o, v in opts:
        if o in ('-p', '-g'):
            parts = v.split('=')  # memmon: name, size = value.split('=')
            sizes.append([v, size_of(parts[1]) if len(parts) == 2 else None])
        elif o == '-a':
            sizes.append([v, size_of(v)])
    times = [[v, size_of(v, seconds_size)] for o, v in opts if o == '-u']
    print(json.dumps({'ok': True, 'opts': opts, 'args': args, 'sizes': sizes, 'times': times}))
