"""Prints the Terraform files given as arguments as JSON ({path: python-hcl2 parse}); exit 1 on a parse error."""
import json
import sys

import hcl2

out: dict[str, object] = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        out[path] = hcl2.load(f)
print(json.dumps(out))
