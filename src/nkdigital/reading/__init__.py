"""Reading a package: the descriptor, each resource's CSV as a typed frame, the figures a quote states, and the
links between rows and their sources. Imports only core and metadata."""
