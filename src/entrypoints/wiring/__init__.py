"""The composition root: the dependency-injector container and the providers it is made of."""
