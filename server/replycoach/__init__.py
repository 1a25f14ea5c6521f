"""Reply Coach: checks replies to customer reviews against shared rule packs."""

__version__ = "0.1.0"
