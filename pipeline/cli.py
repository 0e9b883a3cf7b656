"""The `jixiao` command. Heavy modules are imported inside each command, so that
`jixiao extract` starts fast (no DuckDB, jieba or spaCy on that path)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="jixiao (绩效): budget-performance reports -> typed, source-grounded facts, metrics and findings.",
)


@app.command()
def text(file: Path = typer.Argument(..., help="a report: .txt .docx .pdf .doc .html")) -> None:
    """Print the document text that every fact's start/end points into."""
    from pipeline.read import read

    doc = read(file)
    if doc.error is not None:
        typer.echo(f"{file}: {doc.error.code}: {doc.error.message}", err=True)
        raise typer.Exit(1)
    sys.stdout.write(doc.text)
    if not doc.text.endswith("\n"):
        sys.stdout.write("\n")


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="reports to extract"),
    sections: bool = typer.Option(False, "--sections", help="also print the outline"),
) -> None:
    """One JSON line per file (SPEC.md's contract), in input order.
    Exits non-zero only when no file could be read at all."""
    from pipeline.run import process

    read_ok = 0
    out = sys.stdout
    exclude = None if sections else {"sections"}
    for f in files:
        _, record = process(f)
        if record.error is None:
            read_ok += 1
        out.write(record.model_dump_json(exclude=exclude))
        out.write("\n")
    out.flush()
    if read_ok == 0:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one `jixiao extract` line."""
    import json

    from schemas import ExtractRecord

    typer.echo(json.dumps(ExtractRecord.model_json_schema(mode="serialization"), ensure_ascii=False, indent=2))


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
