"""A non-editable install ships the ontology and the web UI's files inside the package."""

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_packaging_wheel_ships_ontology_and_web(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for ttl in (REPO / "ontology").glob("*.ttl"):
        assert f"kg/_ontology/{ttl.name}" in names
    assert any(n.startswith("kg/_web/templates/") for n in names)
    assert "kg/text/quantities.py" in names
