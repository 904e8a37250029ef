// Zoning module
