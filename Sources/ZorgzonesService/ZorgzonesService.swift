// ZorgzonesService module
