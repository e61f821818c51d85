"""kg: a knowledge graph of Chinese poverty-alleviation reports, questioned in Chinese."""

__version__ = "0.1.0"
