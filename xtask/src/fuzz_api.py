"""Drives schemathesis against a running ExamCloud server (started by `cargo xtask fuzz-api`).

Signs in as the demo organisation's owner, creates one API key per scope that the OpenAPI
document names, and runs schemathesis over the document once per key. Exits non-zero when any
run finds a server error or a response that contradicts the document.
"""
import json
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

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
print(f"fuzz-api: {len(scopes)} scopes: {', '.join(scopes)}", flush=True)
failed = []
for scope in scopes:
    key = call("POST", "/api/api-keys", {"name": f"fuzz {scope}", "scopes": [scope]})["key"]
    print(f"\n== schemathesis with a key of scope {scope} ==", flush=True)
    run = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", base + "/api/openapi.json",
            "--url", base,
            "--header", f"Authorization: Bearer {key}",
            "--checks", "all",
            "--max-examples", max_examples,
            "--report", "junit",
            "--report-dir", f"{report_dir}/{scope.replace(':', '-')}",
        ]
    )
    if run.returncode != 0:
        failed.append(scope)
if failed:
    sys.exit(f"fuzz-api: schemathesis found problems with the keys of: {', '.join(failed)}")
print("fuzz-api: no server error and no response contradicting the document")
