"""Customer-service cases: compensation, missing items, lost parcels, courier problems, reships,
courier claims and the money paid outside a return."""
