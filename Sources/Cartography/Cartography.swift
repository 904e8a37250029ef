// Cartography: SVG maps of zonings, drawn from one shared-arc topology of the blocks.
//
// - `Topology` (Topology.swift): arcs between junctions, each shared border stored once with the shapes on its
//   left and right; `simplified(tolerance:)` (Simplify.swift) simplifies arcs so neighbours stay aligned.
// - `Grouping` / `GroupBoundaries` (Boundaries.swift): borders between groups (ELZ, RZZ, RR), outer arcs,
//   dissolved rings per group, group adjacency, line chaining.
// - `SVGDocument`, `PathData`, `MapFrame` (SVG.swift): a lean SVG writer with metre → pixel projection.
// - `Labels` (Labels.swift): labels at the maximum inscribed circle, fitted sizes, collision avoidance.
// - `Colouring` (Colouring.swift): neighbour-distinct colours from a palette.
// - `MapStyle` (Style.swift): styles from `GeoData/styles/*.json`.
