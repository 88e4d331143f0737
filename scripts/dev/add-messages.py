#!/usr/bin/env python3
"""Dev helper: append message keys to the three core catalogs. Usage: add-messages.py < tsv (key\tzh\ten\ttw)."""
import sys, json
base = '/work/main/src/lib/i18n/messages/'
files = {'zh': base + 'zh-CN.ts', 'en': base + 'en.ts', 'tw': base + 'zh-TW.ts'}
rows = [[c.replace('\\n', '\n') for c in l.rstrip('\n').split('\t')] for l in sys.stdin if l.strip()]
for i, lang in enumerate(['zh', 'en', 'tw']):
    path = files[lang]
    s = open(path).read()
    marker = "} as const satisfies" if lang == 'zh' else "\n};"
    idx = s.rindex(marker)
    head = s[:idx].rstrip()
    if not head.endswith(','):
        head += ','
    add = ''.join(f"\n\t{json.dumps(r[0])}: {json.dumps(r[1 + i], ensure_ascii=False)}," for r in rows)
    s = head + add.rstrip(',') + ('\n' if lang == 'zh' else '') + s[idx:]
    open(path, 'w').write(s)
