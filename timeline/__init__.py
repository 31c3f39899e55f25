"""timeline: news articles in, a dated and sourced event timeline site out."""

__version__ = "0.1.0"
