"""Tell a running Airflow that a file is waiting, through its REST API: an asset event on the
landing asset (`POST /api/v2/assets/events`). This is what an upload portal or an SFTP hook does
instead of writing the marker file; the README shows the same calls with curl.

    python -m ctm.airflow_api --url http://localhost:8080 --asset landing_returns --user admin
        (the password from CTM_AIRFLOW_PASSWORD)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
import urllib.request
from collections.abc import Sequence


def _call(url: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def access_token(base_url: str, username: str, password: str) -> str:
    return _call(f"{base_url}/auth/token", {"username": username, "password": password})["access_token"]


def post_asset_event(base_url: str, asset_name: str, token: str, extra: dict | None = None) -> dict:
    """Create an event on the asset named `asset_name`; returns the event Airflow recorded."""
    query = urllib.parse.urlencode({"name_pattern": asset_name})
    assets = _call(f"{base_url}/api/v2/assets?{query}", token=token)["assets"]
    matches = [a for a in assets if a["name"] == asset_name]
    if not matches:
        raise LookupError(f"Airflow at {base_url} has no asset named {asset_name!r} (is the DAG parsed?)")
    return _call(
        f"{base_url}/api/v2/assets/events", {"asset_id": matches[0]["id"], "extra": extra or {}}, token
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--asset", default="landing_returns")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--note", default="", help="recorded in the event's extra, e.g. who uploaded")
    args = parser.parse_args(argv)
    password = os.environ.get("CTM_AIRFLOW_PASSWORD")
    if not password:
        print("set CTM_AIRFLOW_PASSWORD to the Airflow user's password", file=sys.stderr)
        return 2
    event = post_asset_event(
        args.url, args.asset, access_token(args.url, args.user, password), {"note": args.note}
    )
    print(f"asset event {event['id']} on {args.asset} at {event['timestamp']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
