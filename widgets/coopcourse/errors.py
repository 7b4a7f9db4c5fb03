"""The one error type a learner may see."""


class CourseInputError(ValueError):
    """An input a learner gave cannot be used; ``str(error)`` is a message written for them.

    ``field`` names the input at fault (a key of the exercise), so the message can be shown
    next to that field rather than at the top of the exercise.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
