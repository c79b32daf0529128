"""Parse YAML and TOML files given on the command line; report file:line on error."""

import sys
import tomllib
from pathlib import Path

import yaml


class _PermissiveLoader(yaml.SafeLoader):
    """Accepts tags such as mkdocs.yml's `!ENV` without resolving them."""


_PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def problems(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            if path.suffix == ".toml":
                tomllib.loads(path.read_text(encoding="utf-8"))
            else:
                yaml.load(path.read_text(encoding="utf-8"), Loader=_PermissiveLoader)
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
            found.append(f"{path}: {error}")
    return found


if __name__ == "__main__":
    errors = problems([Path(arg) for arg in sys.argv[1:]])
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1 if errors else 0)
