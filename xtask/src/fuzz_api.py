"""Drives schemathesis against a running ExamCloud server (started by `cargo xtask fuzz-api`).

Run as a script, it signs in as the demo organisation's owner, creates one API key per scope
that the OpenAPI document names, and runs schemathesis over the document once per key. It exits
non-zero when any run finds a server error or a response that contradicts the document.

Imported by schemathesis (`SCHEMATHESIS_HOOKS=fuzz_api`), it adds what the built-in checks
cannot know about this API:

- bodies of every binary media type the document names are sent as raw bytes;
- `documented_rejection_of_valid_data` replaces schemathesis' `positive_data_acceptance`,
  which refuses any 4xx but 401/403/404/409/429 for schema-valid data. Here a schema-valid
  request may be refused only with a status the operation documents, never with 400, and a
  422 only for a rule no schema can state: a 422 naming a field for its length, range, count,
  format or blankness must find that kind of constraint on the field in the document (so a
  limit written only in prose fails), while cross-field and business rules (`not_found`,
  `duplicate`, `before_opens_at`, a checksum, …) pass. A 415 passes only for a binary body
  whose bytes are not of their declared type (sniffed by content).

`FUZZ_API_SCOPES` (comma-separated) limits the run to some scopes.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import schemathesis

# Media types whose bodies are raw bytes; schemathesis knows only some of them.
BINARY_MEDIA_TYPES = [
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/zip",
    "application/xml",
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "video/mp4",
    "video/webm",
]
schemathesis.serializer.alias(BINARY_MEDIA_TYPES, "application/octet-stream")

# The JSON Schema keywords that state each kind of field rule the server reports.
CONSTRAINTS = {
    "too_long": {"maxLength", "maxItems", "maximum", "pattern"},
    "too_short": {"minLength", "minItems", "pattern"},
    "out_of_range": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "too_many": {"maxItems", "maxLength", "maxProperties"},
    "too_few": {"minItems"},
    "invalid_format": {"pattern", "format", "enum", "const"},
    "required": {"minLength", "minItems", "pattern"},
}
TOLERATED_ELSEWHERE = {401, 403, 404, 409, 429}


def _document():
    path = os.environ.get("FUZZ_API_DOC")
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


DOC = _document()


def _deref(schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**DOC["components"]["schemas"].get(name, {}), **extra}
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _expand(schema):
    """The schema and every alternative or part it is made of, references followed."""
    out, todo = [], [schema]
    while todo:
        s = _deref(todo.pop())
        out.append(s)
        for key in ("oneOf", "anyOf", "allOf"):
            todo.extend(s.get(key, []))
    return out


def _tokens(path):
    tokens = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        tokens.append(int(index) if index else name)
    return tokens


def _resolve(schema, tokens):
    found = []
    for s in _expand(schema):
        if not tokens:
            found.append(s)
            continue
        head, rest = tokens[0], tokens[1:]
        if isinstance(head, int):
            if "items" in s:
                found += _resolve(s["items"], rest)
        elif head in s.get("properties", {}):
            found += _resolve(s["properties"][head], rest)
        elif isinstance(s.get("additionalProperties"), dict):
            found += _resolve(s["additionalProperties"], rest)
    return found


def _value(data, tokens):
    for t in tokens:
        if isinstance(t, int) and isinstance(data, list) and t < len(data):
            data = data[t]
        elif isinstance(t, str) and isinstance(data, dict) and t in data:
            data = data[t]
        else:
            return None
    return data


def _operation(case):
    return DOC["paths"].get(case.operation.path, {}).get(case.operation.method.lower(), {})


def _unstated(case, op, field, reason):
    """Why a 422 for `field`/`reason` shows a rule the document should state, or None."""
    needed = CONSTRAINTS.get(reason)
    if needed is None:
        return None  # a business or cross-field rule
    tokens = _tokens(field)
    if not tokens:
        return f"`{field}`: {reason} names no field"
    params = {p["name"]: p for p in op.get("parameters", [])}
    if isinstance(tokens[0], str) and tokens[0] in params and len(tokens) == 1:
        schemas = _expand(params[tokens[0]].get("schema", {}))
        value = (case.query or {}).get(tokens[0])
    else:
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        schemas = _resolve(body.get("schema", {}), tokens)
        value = _value(case.body, tokens)
    if not schemas:
        return f"`{field}` ({reason}) is not a field of the documented request"
    if reason == "required" and not (isinstance(value, str) and not value.strip()):
        return None  # absent, empty or wanted with another field: a cross-field rule
    for s in list(schemas):
        if s.get("type") == "array" or "array" in (s.get("type") or []):
            schemas += _expand(s.get("items", {}))
    if any(keyword in s for s in schemas for keyword in needed):
        return None
    return f"`{field}` was refused as {reason}, but its schema states no {'/'.join(sorted(needed))}"


def _binary_body(op):
    content = op.get("requestBody", {}).get("content", {})
    return bool(content) and not any("json" in m for m in content)


@schemathesis.check
def documented_rejection_of_valid_data(ctx, response, case):
    meta = case.meta
    if DOC is None or meta is None or not meta.generation.mode.is_positive:
        return None
    try:
        from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

        if is_unexpected_http_status_case(case):
            return None
    except ImportError:
        pass
    status = response.status_code
    if status < 400 or status >= 500 or status in TOLERATED_ELSEWHERE:
        return None
    op = _operation(case)
    if str(status) not in op.get("responses", {}):
        raise AssertionError(f"Schema-valid data refused with undocumented status {status}")
    if status == 400:
        raise AssertionError("Schema-valid data refused as malformed (400)")
    if status == 415 and not _binary_body(op):
        raise AssertionError("Schema-valid JSON refused as an unsupported media type (415)")
    if status != 422:
        return None
    try:
        error = response.json()
    except ValueError:
        raise AssertionError("A 422 without the JSON error envelope") from None
    if error.get("code") == "import_rejected":
        return None  # the file's content, which the schema cannot describe
    fields = (error.get("details") or {}).get("fields") or []
    problems = [
        p for f in fields if (p := _unstated(case, op, f.get("field", ""), f.get("reason", "")))
    ]
    if problems:
        raise AssertionError("Schema-valid data refused for a rule the document does not state: " + "; ".join(problems))
    return None


def main():
    base, max_examples, report_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        req.add_header("x-examcloud-csrf", "1")
        with opener.open(req, timeout=30) as res:
            return json.loads(res.read() or b"null")

    for _ in range(300):
        try:
            call("GET", "/api/health")
            break
        except Exception:
            time.sleep(0.2)
    else:
        sys.exit("the server did not answer /api/health")

    call("POST", "/api/auth/login", {"identifier": "demo@example.com", "password": "demo-password-2026"})
    doc = call("GET", "/api/openapi.json")
    doc_path = os.path.abspath("openapi.json")
    with open(doc_path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    scopes = sorted(
        {
            scope
            for item in doc["paths"].values()
            for op in item.values()
            if isinstance(op, dict)
            for requirement in op.get("security", [])
            for scope in requirement.get("api_key", [])
        }
    )
    wanted = os.environ.get("FUZZ_API_SCOPES")
    if wanted:
        scopes = [s for s in scopes if s in wanted.split(",")]
    print(f"fuzz-api: {len(scopes)} scopes: {', '.join(scopes)}", flush=True)
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "fuzz_api",
        "PYTHONPATH": os.path.dirname(os.path.abspath(__file__)),
        "FUZZ_API_DOC": doc_path,
    }
    # Every check runs but `positive_data_acceptance`, which `documented_rejection_of_valid_data`
    # replaces. (Checks are chosen here, not on the command line: a check named there would
    # win over the per-operation settings below.)
    config = os.path.abspath("schemathesis.toml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("[checks]\npositive_data_acceptance.enabled = false\n\n")
        # A file body is bytes, so every body is a valid one: what schemathesis sends as a body
        # of the "wrong type" is just another file, which the server reads (or refuses) as one.
        for item in doc["paths"].values():
            for op in item.values():
                content = op.get("requestBody", {}).get("content", {}) if isinstance(op, dict) else {}
                if content and not any("json" in m for m in content):
                    f.write(
                        "[[operations]]\n"
                        f"include-operation-id = {json.dumps(op['operationId'])}\n"
                        "checks.negative_data_rejection.enabled = false\n\n"
                    )
    # Every key is made now, while the console session is fresh: a run takes minutes per scope,
    # longer than a session lives, and the fuzzed sign-ins from this address would soon be
    # throttled. The most a key may have, so the run tests the API rather than the key's limit.
    keys = {
        scope: call(
            "POST",
            "/api/api-keys",
            {"name": f"fuzz {scope}", "scopes": [scope], "rate_limit_per_minute": 6000},
        )["key"]
        for scope in scopes
    }
    failed = []
    for scope in scopes:
        key = keys[scope]
        print(f"\n== schemathesis with a key of scope {scope} ==", flush=True)
        run = subprocess.run(
            [
                sys.executable, "-m", "schemathesis.cli", "--config-file", config,
                "run", base + "/api/openapi.json",
                "--url", base,
                "--header", f"Authorization: Bearer {key}",
                "--max-examples", max_examples,
                "--report", "junit",
                "--report-dir", f"{report_dir}/{scope.replace(':', '-')}",
            ],
            env=env,
        )
        if run.returncode != 0:
            failed.append(scope)
    if failed:
        sys.exit(f"fuzz-api: schemathesis found problems with the keys of: {', '.join(failed)}")
    print("fuzz-api: no server error and no response contradicting the document")


if __name__ == "__main__":
    main()
