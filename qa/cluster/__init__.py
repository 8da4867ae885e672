"""qa on a Ray cluster: distributed indexing (Ray Data) and serving (Ray Serve).

Optional (`pip install -e '.[cluster]'`): nothing on the single-machine path imports this
package or Ray; this package imports the core, never the reverse.
"""
from __future__ import annotations

from ..errors import QAError


class ClusterUnavailable(QAError):
    """Ray is not installed, or the cluster cannot be reached."""


def ray_module():
    try:
        import ray
    except ImportError:
        raise ClusterUnavailable("Ray is not installed: install the cluster extra with "
                                 "`pip install -e '.[cluster]'`") from None
    return ray


def connect(address: str = "auto"):
    """Join the Ray cluster at `address` (`auto`: the one this machine belongs to; `local`: a
    new one-machine cluster in this process), unless already connected."""
    ray = ray_module()
    if ray.is_initialized():
        return ray
    try:
        if address == "local":
            ray.init(include_dashboard=False, log_to_driver=False)
        else:
            ray.init(address=address, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterUnavailable(f"cannot join the Ray cluster at {address!r} ({str(exc).splitlines()[0]}); "
                                 "start one with `ray start --head` or give its address") from None
    return ray
