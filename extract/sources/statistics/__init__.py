"""Official statistics tables other publishers release (the DfE's Children in Need, the Home
Office's police recorded crime): one reader, one check, one loader; a definition per table.

Each published-statistics source of the registry (pipeline/sources.py, reader "statistics") has its
table definition in this package's module of its name, `<name>.py`, as `DEFINITION`."""

from importlib import import_module

from extract.sources.statistics.table import TableDefinition
from pipeline.sources import sources_read_by

TABLES: dict[str, TableDefinition] = {
    source.name: import_module(f"{__name__}.{source.name}").DEFINITION
    for source in sources_read_by("statistics")
}
