"""Printed handouts, worksheets and the facilitator guide, built from the same notebooks, question
banks, scenarios and exercises as the apps (``make handouts``; ``python -m coopcourse.handouts``).

``markdown`` reads notebook Markdown into blocks, ``notebook`` reads a module notebook into its
sections (by the cell tags of the content conventions, or by headings when a cell has none),
``worksheets`` turns an exercise into a paper worksheet and its worked example, ``pdf`` lays
blocks out with fpdf2, and ``build`` writes every file.
"""
