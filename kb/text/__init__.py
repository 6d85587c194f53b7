"""Leaf text utilities shared by every stage: width and case folding, era years, figures as Japanese
readers write them, and the shapes of lines. Nothing here imports another part of kb but kb.errors."""
