"""Turn articles into cited-passage-ready chunks stored in Chroma."""
