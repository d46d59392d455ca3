"""Writes a schemathesis config whose fuzz dictionary holds the bundled dataset's codes.

    python3 tests/audit/schemathesis_dictionary.py data/asean.json OUT.toml

Purely random strings never name a record, so without this almost every mutation stops at
NOT_FOUND / BAD_USER_INPUT before reaching the store. With it, half of the String and ID
arguments are a real code or global id (`VNM`, `Member:VNM`, source `P38`), and some Int
arguments a year the data has, so updates, links and deletes really run. The throwaway
store starts from this same dataset (loaded on first start).
"""

import json
import sys

KINDS = {"members": "Member", "partners": "Partner", "bodies": "Body", "people": "Person",
         "initiatives": "Initiative", "meetings": "Meeting", "sources": "Source"}

dataset, out = sys.argv[1], sys.argv[2]
with open(dataset, encoding="utf-8") as f:
    data = json.load(f)
strings = []
for key, type_name in KINDS.items():
    for record in data.get(key, []):
        strings += [record["code"], f'{type_name}:{record["code"]}']
years = sorted({c["year"] for c in data.get("chairmanships", [])})

# JSON strings and arrays of them are valid TOML values.
with open(out, "w", encoding="utf-8") as f:
    f.write(f"[dictionaries.codes]\nvalues = {json.dumps(strings)}\n\n")
    f.write(f"[dictionaries.years]\nvalues = {json.dumps(years)}\n\n")
    f.write("[generation.dictionaries]\n")
    f.write('string = { dictionary = "codes", probability = 0.5 }\n')
    f.write('integer = { dictionary = "years", probability = 0.2 }\n')
