#!/usr/bin/env python3
"""Runs the gator test suites of a gatekeeper-library checkout through `posture scan --policy`.

For each case of each suite.yaml: a temporary policy directory with the suite's template and the case's
constraint, `posture scan OBJECT [INVENTORY...] --policy DIR -f json`, and the gatekeeper findings on the
object's file compared with the case's `violations` assertion (yes / no / a number).

    scripts/gatekeeper-library-suites.py /path/to/gatekeeper-library/library [POSTURE]

Nothing of the library is copied into this repository; the temporary directories are removed.
"""
import json, os, shutil, subprocess, sys, tempfile
import yaml

lib = sys.argv[1]
posture = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "posture")
totals = {"pass": 0, "fail": 0, "error": 0, "custom-kind": 0}
failures = []
for root, dirs, files in sorted(os.walk(lib)):
    if "suite.yaml" not in files:
        continue
    suite = yaml.safe_load(open(os.path.join(root, "suite.yaml")))
    for test in suite.get("tests", []):
        for case in test.get("cases", []):
            name = os.path.relpath(root, lib) + ":" + test["name"] + ":" + case["name"]
            obj = os.path.join(root, case["object"])
            docs = [d for d in yaml.safe_load_all(open(obj)) if d]
            if any("/" in d.get("apiVersion", "v1") and d["apiVersion"].split("/")[0].count(".") > 0
                   and not d["apiVersion"].split("/")[0].endswith("k8s.io") for d in docs):
                totals["custom-kind"] += 1  # posture does not judge custom resources
                continue
            want = None
            for a in case.get("assertions", []):
                if "violations" in a and "message" not in a:
                    want = a["violations"]
            if want is None:
                continue
            with tempfile.TemporaryDirectory() as d:
                shutil.copy(os.path.join(root, test["template"]), os.path.join(d, "template.yaml"))
                shutil.copy(os.path.join(root, test["constraint"]), os.path.join(d, "constraint.yaml"))
                inputs = [obj] + [os.path.join(root, i) for i in case.get("inventory", [])]
                p = subprocess.run([posture, "scan", *inputs, "--policy", d, "-f", "json", "-j", "1"],
                                   capture_output=True, text=True)
            if p.returncode not in (0, 1):
                totals["error"] += 1
                failures.append((name, "exit %d: %s" % (p.returncode, p.stderr.strip().splitlines()[-2:] if p.stderr else "")))
                continue
            try:
                report = json.loads(p.stdout)
            except ValueError:
                totals["error"] += 1
                failures.append((name, "no JSON report: %s" % p.stderr.strip()[-300:]))
                continue
            n = sum(1 for f in report["findings"] if f["ruleId"].startswith("gatekeeper/")
                    and f["location"] and os.path.samefile(f["location"]["file"], obj))
            ok = (want is True and n > 0) or (want is False and n == 0) or (isinstance(want, int) and not isinstance(want, bool) and n == want)
            totals["pass" if ok else "fail"] += 1
            if not ok:
                failures.append((name, "want %s, got %d" % (want, n)))
for f in failures:
    print("FAIL", *f)
print(json.dumps(totals))
