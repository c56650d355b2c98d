"""`techissue eval curation|extraction`: score curation, or article extraction, on labelled corpora through the real collect path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from techissue.evaluation import extraction
from techissue.evaluation.curation import evaluate_corpus, floors

CORPORA = {
    "curation_corpus": settings.PROJECT_DIR / "tests" / "fixtures" / "curation_corpus",
    "demo_newsroom": settings.PROJECT_DIR / "demo" / "newsroom",
    # Held out: invented names that no alias table lists; never used to tune (see design-notes.md).
    "unseen_names": settings.PROJECT_DIR / "tests" / "fixtures" / "unseen_corpus",
}
GOALS = {
    "bcubed_f1": 0.90,
    "cross_language_recall": 0.80,
    "copy_precision": 0.95,
    "copy_recall": 0.90,
    "top10_multi_outlet_share": 0.90,
}


class Command(BaseCommand):
    help = "Evaluate curation (B-cubed, cross-language pairs, copies, top 10) or extraction (precision, recall)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["curation", "extraction"], help="What to evaluate.")
        parser.add_argument(
            "--corpus",
            action="append",
            help="A corpus name (curation_corpus, demo_newsroom, unseen_names) or directory; repeatable.",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--here", action="store_true", help="Use the configured (empty) database instead of a temporary one."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "extraction":
            self.evaluate_extraction(options["json"])
            return
        names = options["corpus"] or list(CORPORA)
        results = {}
        for name in names:
            path = Path(CORPORA.get(name, name))
            if not (path / "outlets.toml").is_file():
                raise CommandError(f"{path} is not a corpus (no outlets.toml)")
            results[name] = self.run_one(path, options["here"])
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2))
            return
        recorded = floors()
        for name, scores in results.items():
            self.stdout.write(
                f"corpus {name}: {scores['articles']} articles, {scores['stories_gold']} stories labelled, {scores['stories_predicted']} found"
            )
            for metric, goal in GOALS.items():
                floor = recorded.get(name, {}).get(metric)
                mark = "ok " if scores[metric] >= goal else "LOW"
                floor_text = f", floor {floor:.2f}" if floor is not None else ""
                self.stdout.write(f"  {mark} {metric:28} {scores[metric]:.3f}  (goal {goal:.2f}{floor_text})")
            self.stdout.write(
                f"      B-cubed precision {scores['bcubed_precision']:.3f}, recall {scores['bcubed_recall']:.3f}; fetch {scores['fetch_seconds']:.1f} s, curate {scores['curate_seconds']:.1f} s"
            )

    def evaluate_extraction(self, as_json: bool) -> None:
        """Outlet-like pages of our own, collected for real; token precision and recall against the gold text."""
        scores = extraction.evaluate_extraction(extraction.OUTLET_PAGES).as_dict()
        if as_json:
            self.stdout.write(json.dumps({"outlet_pages": scores}, indent=2))
            return
        recorded = extraction.floors().get("outlet_pages", {})
        self.stdout.write(f"corpus outlet_pages: {scores['pages']} pages")
        for metric in ("precision", "recall"):
            floor = recorded.get(metric, 0.0)
            mark = "ok " if scores[metric] >= floor else "LOW"
            self.stdout.write(f"  {mark} {metric:10} {scores[metric]:.3f}  (floor {floor:.2f})")
        self.stdout.write(
            f"      trafilatura alone: precision {scores['trafilatura_precision']:.3f}, "
            f"recall {scores['trafilatura_recall']:.3f}"
        )
        if any(scores[metric] < floor for metric, floor in recorded.items()):
            raise CommandError("extraction scored below its floor")

    def run_one(self, path: Path, here: bool) -> dict[str, float]:
        if here:
            call_command("migrate", interactive=False, verbosity=0)
            return evaluate_corpus(path).as_dict()
        # A throwaway SQLite database, so evaluating never touches the newsroom's real data.
        with tempfile.TemporaryDirectory(prefix="techissue-eval-") as tmp:
            env = {**os.environ, "TECHISSUE_DATA_DIR": tmp, "TECHISSUE_ENV_FILE": os.devnull}
            env.pop("DATABASE_URL", None)
            done = subprocess.run(
                [sys.executable, "-m", "techissue", "eval", "curation", "--here", "--json", "--corpus", str(path)],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise CommandError(f"evaluating {path} failed:\n{done.stderr[-2000:]}")
            return json.loads(done.stdout)[str(path)]
