"""Everything that imports Reflex: state, layout, components and pages."""
