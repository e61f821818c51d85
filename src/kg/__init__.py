"""kg: a knowledge graph of Chinese poverty-alleviation reports, questioned in Chinese."""

__version__ = "0.1.0"


def __getattr__(name):
    """``kg.ask(question, store=...)``, imported lazily so that ``import kg`` stays light."""
    if name == "ask":
        from .qa import ask
        return ask
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
