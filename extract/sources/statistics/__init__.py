"""Official statistics tables other publishers release (the DfE's Children in Need, the Home
Office's police recorded crime): one reader, one check, one loader; a definition per table."""

from extract.sources.statistics import children_in_need, police_recorded_crime
from extract.sources.statistics.table import TableDefinition

TABLES: dict[str, TableDefinition] = {
    definition.source: definition
    for definition in (children_in_need.DEFINITION, police_recorded_crime.DEFINITION)
}
