"""Run every benchmark and print its table: `python -m bench [NAME...]` (make bench)."""

from __future__ import annotations

import importlib
import sys
import time

# Each module has `run() -> list[Table]`; the order goes from pure code to the full stack.
BENCHMARKS = [
    "parse", "booking", "dispatch", "digest", "outbox", "stats", "sweep", "e2e_latency",
    "rooms_restore", "rooms",
]  # fmt: skip


def main(names: list[str]) -> int:
    failed = 0
    for name in names or BENCHMARKS:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"bench.{name}":
                raise
            print(f"## {name}: not written yet\n")
            continue
        started = time.perf_counter()
        try:
            tables = module.run()
        except Exception as error:  # one broken benchmark must not hide the others
            failed += 1
            print(f"## {name}: FAILED: {error!r}\n")
            continue
        for table in tables:
            print(table.render())
        print(f"  ({name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
