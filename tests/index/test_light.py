"""The index is core code: no Textual, and cheap to import for a worker process."""

import subprocess
import sys


def test_index_does_not_import_textual_or_heavy_libraries():
    code = (
        "import sys\n"
        "import briefing.index, briefing.index.workers\n"
        "heavy = [m for m in ('textual', 'sumy', 'numpy', 'nltk', 'trafilatura', 'rich') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
