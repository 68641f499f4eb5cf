"""The dbt stage: builds the warehouse from raw to marts with dbt, and publishes the readers' snapshot."""
