"""Use cases over the core (Qt-free): check a packet, and later import rosters, export, generate."""
