"""Writers turn a processed Document into the output files of the contract."""
