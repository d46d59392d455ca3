"""Schemathesis hooks for tests/audit/schemathesis.sh: the one check the CI run applies.

Schemathesis's built-in `not_a_server_error` also treats every GraphQL error that has a `path`
as a server fault, so a correct NOT_FOUND or CONFLICT answer to random input would fail the
run. This server labels every error with `extensions.code` (DESIGN.md, Errors): only a 5xx or
the code INTERNAL is its own fault; 4xx and every other code are correct refusals.
"""

import json

import schemathesis


@schemathesis.check
def no_server_error(ctx, response, case):
    """Fail on any 5xx status or any GraphQL error whose extensions.code is INTERNAL."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        payload = json.loads(response.content)
    except ValueError:
        return None  # not JSON: only a 5xx (above) is a failure here
    # A batched request answers with a list; a single one with an object.
    for answer in payload if isinstance(payload, list) else [payload]:
        errors = answer.get("errors") if isinstance(answer, dict) else None
        for error in errors if isinstance(errors, list) else []:
            ext = error.get("extensions") if isinstance(error, dict) else None
            if isinstance(ext, dict) and ext.get("code") == "INTERNAL":
                raise AssertionError(f"INTERNAL error: {json.dumps(error)[:500]}")
    return None
