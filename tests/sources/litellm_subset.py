"""Make the bundled LiteLLM 1.110.2 table from the recorded one: its first-party keys only.

LiteLLM 1.110.2's `model_prices_and_context_window.json` is 3.5 MB and 4,878 keys, of which the
importer reads the 345 chat keys of the model makers' own APIs: the rest are clouds and gateways
reselling models (`bedrock/…`, `vertex_ai/…`, `azure/…`, `oci/…`), which `read_litellm` skips.
Bundled whole it would add 3.4 MB to every install and ~40 ms to every first import for nothing.
So the package carries the subset `importers.litellm.first_party_entries` keeps (every mode, and
`sample_spec`), written by this script from the recorded file, never by hand; the test
`test_litellm_2026.py` checks that the bundled file is exactly what this script writes. Re-run
it, on purpose only, when the recorded file or the list of first-party providers
(`core.vendors`) changes:

    python -m tests.sources.litellm_subset [RECORDED_FILE]

RECORDED_FILE defaults to ../shared/fixtures/models/litellm-1.110.2-model_prices_and_context_window.json
(sha256 `SOURCE_SHA256`, the member of the PyPI wheel named in the snapshots' ORIGIN.md).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from aiprogress.sources.importers.litellm import first_party_entries

ROOT = Path(__file__).parents[2]
RECORDED = (
    ROOT.parent
    / "shared"
    / "fixtures"
    / "models"
    / "litellm-1.110.2-model_prices_and_context_window.json"
)
BUNDLED = (
    ROOT
    / "src"
    / "aiprogress"
    / "sources"
    / "data"
    / "snapshots"
    / "litellm-1.110.2-first-party.json"
)
SOURCE_SHA256 = "8943af58bf9f979c6a4bef815687117ffa341e462a41faed9be17b5c33d3dcc2"


def subset(recorded: bytes) -> bytes:
    """The bundled file's bytes for a recorded table: its first-party keys in the file's order,
    values as parsed (floats re-printed by Python: 5e-06 stays 5e-06), 4-space indent as
    LiteLLM's own file, UTF-8, a final newline."""
    kept = first_party_entries(json.loads(recorded))
    return (json.dumps(kept, indent=4, ensure_ascii=False) + "\n").encode("utf-8")


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else RECORDED
    recorded = source.read_bytes()
    digest = hashlib.sha256(recorded).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"{source}: sha256 {digest}, not the recorded {SOURCE_SHA256}", file=sys.stderr)
        return 1
    written = subset(recorded)
    BUNDLED.write_bytes(written)
    print(f"{BUNDLED.name}: {len(json.loads(written))} keys, {len(written):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
