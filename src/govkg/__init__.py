"""govkg: a knowledge graph of government organization, each fact cited to its source."""

__version__ = "0.1.0"
