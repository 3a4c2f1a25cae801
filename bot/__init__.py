"""Answer questions about trade disputes from stored articles, with verifiable citations."""
