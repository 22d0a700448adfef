"""Open311 GeoReport v2 at /open311/v2: the campaign's categories as services, public submissions as requests."""
