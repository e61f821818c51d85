"""Convert cpca's table of China's administrative divisions into ontology/gazetteer.tsv (run once).

    python tools/make_gazetteer.py [ADCODES.csv | cpca-*.whl] [-o ontology/gazetteer.tsv]

The source is ``cpca/resources/adcodes.csv`` of the PyPI package cpca (MIT licence; see
https://github.com/DQinYuan/chinese_province_city_area_mapper): the 12-digit codes and names of
the provinces, prefectures and counties. Without an argument the file is read from an
installed cpca; a wheel (``pip download --no-deps cpca==0.5.5``) or the CSV itself also does.

The TSV keeps, one division a line: the 6-digit code, the name, the level word kg uses
(省; 市 for a prefecture; 区/市/县 for a county-level district, city or county, 旗 counted as
县) and the code of the division that contains it. The placeholders of the source (市辖区,
县, 省直辖县级行政区划 …) are left out and what they held is put under the province; names
that are no administrative name (西沙群岛, 中沙群岛的岛礁及其海域) are left out too.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "ontology" / "gazetteer.tsv"
CSV_IN_PACKAGE = "cpca/resources/adcodes.csv"
LICENSE_IN_WHEEL = ".dist-info/LICENSE"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ADMIN_ENDINGS = ("省", "自治区", "特别行政区", "市", "地区", "盟", "自治州", "州", "县", "旗", "区")

HEADER = """\
# China's administrative divisions (provinces, prefectures, counties) for kg.text.gazetteer.
# Made by tools/make_gazetteer.py from cpca {version}, resources/adcodes.csv
# (https://github.com/DQinYuan/chinese_province_city_area_mapper), which is under the MIT licence:
#
{license}
#
# Columns: code (6 digits), name, level (省 | 市 | 县 | 区), parent code (empty for a province).
"""


def read_source(arg: str | None) -> tuple[str, str, str]:
    """(CSV text, licence text, version) of cpca's adcodes."""
    if arg is None:
        from importlib import metadata, resources
        dist = metadata.distribution("cpca")
        lic = next((f for f in dist.files or () if f.name == "LICENSE"), None)
        return (resources.files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8"),
                lic.read_text(encoding="utf-8") if lic else "MIT License", dist.version)
    path = Path(arg)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            lic = next((n for n in z.namelist() if n.endswith(LICENSE_IN_WHEEL)), None)
            version = path.name.split("-")[1]
            return (z.read(CSV_IN_PACKAGE).decode("utf-8"),
                    z.read(lic).decode("utf-8") if lic else "MIT License", version)
    license_file = path.with_name("LICENSE")
    return (path.read_text(encoding="utf-8"),
            license_file.read_text(encoding="utf-8") if license_file.exists() else "MIT License", "?")


def level_of(code: str, name: str) -> str:
    if code[2:] == "0000":
        return "省"
    if code[4:] == "00":
        return "市"
    return "区" if name.endswith("区") else "市" if name.endswith("市") else "县"


def convert(text: str) -> list[tuple[str, str, str, str]]:
    names: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        if row["adcode"][6:].strip("0") or not code.isdigit():
            continue                     # below the county (none in cpca 0.5): not kept
        names[code] = row["name"].strip()
    rows = []
    for code, name in sorted(names.items()):
        if name in PLACEHOLDERS or not name.endswith(ADMIN_ENDINGS):
            continue
        if code[2:] == "0000":
            parent = ""
        elif code[4:] == "00":
            parent = code[:2] + "0000"
        else:
            pref = code[:4] + "00"
            parent = pref if pref in names and names[pref] not in PLACEHOLDERS else code[:2] + "0000"
        rows.append((code, name, level_of(code, name), parent))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", nargs="?", help="cpca's adcodes.csv or a cpca wheel (default: the installed cpca)")
    ap.add_argument("-o", "--output", default=str(OUT))
    args = ap.parse_args(argv)
    text, license_text, version = read_source(args.source)
    rows = convert(text)
    lic = "\n".join(("# " + line).rstrip() for line in license_text.strip().splitlines())
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER.format(version=version, license=lic))
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"{args.output}: {len(rows)} divisions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
