"""Pure, typed calculations of the course. No UI imports here: these run in tests and scripts alike.

Every function validates its inputs and raises ``CourseInputError`` with a message a learner
understands.
"""
