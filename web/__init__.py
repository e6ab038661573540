"""The Bottle web app: a thin layer over `search`."""
