"""Network ACLs must not allow inbound SSH or RDP from the whole internet (CIS 5.1).

Entries are evaluated as AWS does: in RuleNumber order, the first entry matching the traffic
decides. Only entries whose source is the whole internet are considered, since traffic from
an arbitrary address matches nothing narrower.
"""

from typing import Any

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
TCP = "6"
ALL = "-1"
WORLD = frozenset({"0.0.0.0/0", "::/0"})


def _matches(entry: Any, port: int) -> bool:
    protocol = str(entry.get("Protocol"))
    if protocol == ALL:
        return True
    if protocol != TCP:
        return False
    ports = entry.get("PortRange") or {}
    low, high = ports.get("From"), ports.get("To")
    return low is not None and high is not None and low <= port <= high


def open_admin_ports(resource: Any) -> list[str]:
    ingress = sorted((e for e in resource.get("Entries") or [] if e.get("Egress") is False),
                     key=lambda e: e.get("RuleNumber") or 0)
    found = []
    for source in sorted(WORLD):
        entries = [e for e in ingress if source in (e.get("CidrBlock"), e.get("Ipv6CidrBlock"))]
        for port, name in ADMIN_PORTS.items():
            first = next((e for e in entries if _matches(e, port)), None)
            if first is not None and first.get("RuleAction") == "allow":
                found.append(f"{name} from {source} (rule {first.get('RuleNumber')})")
    return found


def policy(resource: Any) -> bool:
    return not open_admin_ports(resource)


def title(resource: Any) -> str:
    return (f"Network ACL [{resource.get('NetworkAclId')}] allows "
            f"{', '.join(open_admin_ports(resource))}")
