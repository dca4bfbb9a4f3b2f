"""gongkai (公開): an accessible public-information website and open-data service."""

__version__ = "0.1.0"
