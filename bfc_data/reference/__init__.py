"""The programme's reference data, read from the files beside this module: the framework (priority areas, actions,
the maturity scale, equality groups, sectors, metrics, learning formats), settings officers may change, the
programme's timeline, and the accessibility statement."""
