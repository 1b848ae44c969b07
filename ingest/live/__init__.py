"""Live sync: fetch the user's work from a service's API into the same JSON shapes the file connectors read."""
