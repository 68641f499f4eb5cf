"""The spine shared by every stage: settings, warehouse connection, audit log, assets, the `ctm` CLI."""
