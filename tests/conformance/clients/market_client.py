# Plays the common Python client: requests, res.json() first, then the status, then
# res.headers['X-Ca-Error-Message'] on any non-200.
# Usage: python3 market_client.py <base-url> <appcode|-> <path?query> ["Name: value" ...]
import sys

import requests


def branch(argv):
    headers = {}
    if argv[2] != '-':
        headers['Authorization'] = 'APPCODE ' + argv[2]
    for line in argv[4:]:
        name, _, value = line.partition(':')
        headers[name] = value.strip()
    res = requests.get(argv[1] + argv[3], headers=headers, timeout=30)
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


try:
    print('BRANCH ' + branch(sys.argv))
except requests.RequestException as e:
    print('BRANCH transport_error ' + type(e).__name__)
