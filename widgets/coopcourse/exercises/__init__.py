"""Exercises: each a short composition of calculations and components, shown by one call from a
notebook cell, e.g. ``from coopcourse.exercises import think_coop; think_coop.joint_purchasing()``."""
