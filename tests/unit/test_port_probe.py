"""The api-server's port check: taken means a program listens on it, not that one just left it."""

from __future__ import annotations

import socket

import pytest

from ctm.embedded_airflow import PortInUse, check_port_free


def _listener(port: int = 0) -> socket.socket:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
    server.bind(("127.0.0.1", port))
    server.listen()
    return server


def test_a_port_someone_listens_on_is_named_with_what_to_do():
    with _listener() as server:
        port = server.getsockname()[1]
        with pytest.raises(PortInUse, match=rf"port {port} on 127.0.0.1 is already in use.*--port N"):
            check_port_free(port)


def test_a_port_left_in_time_wait_by_a_stopped_server_is_free_again():
    # An Airflow stopped a moment ago leaves its connections in TIME_WAIT for a minute; restarting
    # it on the same port must not be refused (it was: `make airflow` twice in a row failed).
    server = _listener()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server closes first: its side of the connection waits in TIME_WAIT
    client.close()
    server.close()
    check_port_free(port)
    with _listener(port) as again:  # and the server can bind it, as the check said
        assert again.getsockname()[1] == port
