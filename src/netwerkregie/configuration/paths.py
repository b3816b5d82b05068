"""Where the code is and where the installation keeps its files (``NETWERKREGIE_VAR_DIR``)."""

from pathlib import Path

from netwerkregie.env import env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("NETWERKREGIE_VAR_DIR", str(BASE_DIR / "var")))
