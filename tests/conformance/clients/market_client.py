# Plays the common Python client: requests, res.json() first, then the status, then
# res.headers['X-Ca-Error-Message'] on any non-200.
# Usage: python3 market_client.py < cases: a call per line, <base-url> TAB <appcode|-> TAB
# <path?query> [TAB "Name: value" ...]; one BRANCH line per call.
import sys

import requests


def branch(args):
    headers = {}
    if args[1] != '-':
        headers['Authorization'] = 'APPCODE ' + args[1]
    for line in args[3:]:
        name, _, value = line.partition(':')
        headers[name] = value.strip()
    res = requests.get(args[0] + args[2], headers=headers, timeout=30)
    try:
        data = res.json()
    except ValueError:
        return 'crash_json'
    if res.status_code == 200:
        return 'ok' if data.get('ok') == 1 else 'other_error'
    try:
        error = res.headers['X-Ca-Error-Message']
    except KeyError:
        return 'crash_header'
    if res.status_code == 400 and error == 'Invalid AppCode `not exists`':
        return 'invalid_appcode'
    if res.status_code == 403 and error == 'Quota Exhausted':
        return 'quota_exhausted'
    if res.status_code >= 500:
        return 'gateway_error'
    return 'other_error'


def call(args):
    try:
        return branch(args)
    except requests.RequestException as e:
        return 'transport_error ' + type(e).__name__


for line in sys.stdin:
    print('BRANCH ' + call(line.rstrip('\n').split('\t')), flush=True)
