"""Reusable ipywidgets building blocks. Each is a widget (a box subclass) that can be displayed on
its own, exposes its state as a JSON-friendly ``value`` trait, and never renders typed text as HTML."""

from coopcourse.components.chart import Chart
from coopcourse.components.confirm import ConfirmButton
from coopcourse.components.download import DocumentDownload, DownloadLink
from coopcourse.components.feedback import Feedback
from coopcourse.components.fields import ChoiceField, NumberField, PickManyField, TextAreaField, TextField
from coopcourse.components.frame import ExerciseFrame
from coopcourse.components.question import QuestionCard, Quiz
from coopcourse.components.rows import Column, RowsEditor
from coopcourse.components.scenario_picker import PickerTexts, ScenarioPicker
from coopcourse.components.table import ResultsTable

__all__ = [
    "Chart",
    "ChoiceField",
    "Column",
    "ConfirmButton",
    "DocumentDownload",
    "DownloadLink",
    "ExerciseFrame",
    "Feedback",
    "NumberField",
    "PickManyField",
    "PickerTexts",
    "QuestionCard",
    "Quiz",
    "ResultsTable",
    "RowsEditor",
    "ScenarioPicker",
    "TextAreaField",
    "TextField",
]
