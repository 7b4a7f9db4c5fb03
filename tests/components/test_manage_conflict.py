"""Manage.Coop module 3 exercises, driven as a learner would: pick a story, press choices to an
ending, go back, restart, switch stories, come back later; rate the five styles."""

from __future__ import annotations

import pytest

from coopcourse import saving
from coopcourse.calculations import conflict as cn
from coopcourse.exercises.manage_coop import conflict
from tests import hostile
from tests.components.frames import results


def player(frame):
    return frame.fields["paths"]


def shown(frame):
    return player(frame).text.value


def press(frame, letter):
    buttons = player(frame).choice_buttons
    button = next(b for b in buttons if b.description.startswith(f"{letter}. "))
    button.click()


def test_the_story_starts_with_the_setting_the_situation_and_choice_buttons(learner_message):
    frame = conflict.conflict_scenarios()
    assert "Umoja is a coffee cooperative" in shown(frame)
    assert "Joseph sold half of his harvest" in shown(frame)
    assert [b.description[:2] for b in player(frame).choice_buttons] == ["A.", "B.", "C."]
    assert player(frame).back_button.disabled and player(frame).restart_button.disabled
    assert frame.feedback.kind == "info"
    learner_message(frame.feedback.message)


def test_choices_show_what_happened_and_why_to_an_ending_then_back_and_restart(learner_message):
    frame = conflict.conflict_scenarios("side_selling")
    press(frame, "C")  # visit Joseph
    assert "What happened" in shown(frame) and "relieved that someone asks him" in shown(frame)
    assert "Why: Collaborating starts by understanding" in shown(frame)
    assert "Way of handling conflict: Collaborating." in shown(frame)
    assert "school fees were due" in shown(frame)
    assert not player(frame).back_button.disabled
    press(frame, "C")  # bring it to the members' meeting
    press(frame, "A")  # harvest loan
    assert player(frame).choice_buttons == []
    assert "The conflict is resolved" in shown(frame) and "What to take away:" in shown(frame)
    assert frame.feedback.kind == "success"
    assert "Choices made: 3." in frame.feedback.message and "Collaborating (3)" in frame.feedback.message
    learner_message(frame.feedback.message)
    assert frame.state()["paths"] == {"side_selling": [2, 2, 0]}
    # Back one step: the meeting again, with its three choices.
    player(frame).back_button.click()
    assert frame.state()["paths"] == {"side_selling": [2, 2]}
    assert "waiting six weeks" in shown(frame) and len(player(frame).choice_buttons) == 3
    press(frame, "C")  # leave it to the manager
    assert "The conflict is not resolved" in shown(frame) and frame.feedback.kind == "info"
    assert "Collaborating (2), Avoiding" not in frame.feedback.message  # styles come in a fixed order
    assert "Avoiding (1), Collaborating (2)" in frame.feedback.message
    # Restart: back to the beginning.
    player(frame).restart_button.click()
    assert frame.state()["paths"] == {"side_selling": []}
    assert "Joseph sold half of his harvest" in shown(frame) and "What happened" not in shown(frame)


@pytest.mark.parametrize("story", conflict.stories(), ids=lambda s: s.id)
def test_every_path_of_every_story_can_be_clicked_to_its_ending(story):
    frame = conflict.conflict_scenarios(story.id)
    for path in cn.endings(story):
        player(frame).restart()
        for index in path:
            player(frame).choice_buttons[index].click()
        assert player(frame).choice_buttons == []
        assert frame.feedback.kind in ("success", "info")
        assert frame.updates


def test_each_story_keeps_its_own_path_when_switching():
    frame = conflict.conflict_scenarios()
    press(frame, "A")
    frame.fields["scenario"].entry.value = "workload"
    assert "Sunrise is a sewing cooperative" in shown(frame) and "What happened" not in shown(frame)
    press(frame, "B")
    frame.fields["scenario"].entry.value = "side_selling"
    assert "Two weeks later, three more members" in shown(frame)
    assert frame.state() == {"scenario": "side_selling", "paths": {"side_selling": [0], "workload": [1]}}


def test_the_path_is_saved_and_restored_on_a_new_page():
    saving.current_session().open("Umoja group")
    frame = conflict.conflict_scenarios()
    frame.fields["scenario"].entry.value = "board_manager"
    press(frame, "C")
    press(frame, "A")
    saving.start_new_session()  # the page is reloaded: a new kernel
    saving.current_session().open("Umoja group")
    again = conflict.conflict_scenarios()
    assert again.fields["scenario"].value == "board_manager"
    assert player(again).path == [2, 0]
    assert "The conflict is resolved" in shown(again)


def test_a_forged_or_outdated_saved_path_is_explained_and_can_be_undone(learner_message):
    frame = conflict.conflict_scenarios()
    press(frame, "A")
    before = shown(frame)
    frame.apply({"paths": {"side_selling": [0, 7]}})
    assert frame.feedback.kind == "warning"
    assert player(frame).error
    learner_message(frame.feedback.message)
    assert shown(frame) == before  # the last good view stays
    player(frame).back_button.click()
    assert frame.feedback.kind == "info" and not player(frame).error
    frame.apply({"scenario": "no_such_story"})
    assert frame.fields["scenario"].value == "side_selling"


def test_an_unknown_story_id_in_a_notebook_is_a_clear_developer_error():
    with pytest.raises(ValueError, match="no conflict story"):
        conflict.conflict_scenarios("nope")


# --- reflection --------------------------------------------------------------------------------------


def test_reflection_names_the_most_used_styles(learner_message):
    frame = conflict.conflict_styles_reflection()
    assert frame.feedback.kind == "info" and "Rate how often" in frame.feedback.message
    frame.fields["often_compromising"].entry.value = "often"
    frame.fields["often_collaborating"].entry.value = "often"
    frame.fields["often_competing"].entry.value = "rarely"
    assert frame.feedback.kind == "success"
    assert "Compromising and Collaborating most (often)" in frame.feedback.message
    assert "Still to rate: Avoiding, Accommodating." in frame.feedback.message
    learner_message(frame.feedback.message)
    summary = results(frame)[1].value
    assert "Helps when:" in summary and "Harms when:" in summary and summary.count("(no example yet)") == 5
    frame.fields["often_avoiding"].entry.value = "often"
    frame.fields["often_accommodating"].entry.value = "sometimes"
    assert "All five ways are rated." in frame.feedback.message
    assert "Avoiding is among your most-used ways" in results(frame)[0].value
    frame.fields["often_collaborating"].entry.value = "rarely"
    assert "Collaborating is rare" in results(frame)[0].value


def test_reflection_examples_are_shown_escaped():
    frame = conflict.conflict_styles_reflection()
    frame.fields["example_avoiding"].entry.value = hostile.SCRIPT
    frame.fields["example_competing"].entry.value = "   "
    summary = results(frame)[1].value
    assert "<script>" not in summary and "&lt;script&gt;alert(1)&lt;/script&gt;" in summary
    assert summary.count("(no example yet)") == 4


def test_a_forged_rating_is_refused_and_the_reflection_is_restored():
    frame = conflict.conflict_styles_reflection()
    frame.apply({"often_avoiding": "always"})
    assert frame.fields["often_avoiding"].value == "unrated"
    saving.current_session().open("Sunrise")
    frame.fields["often_avoiding"].entry.value = "sometimes"
    frame.fields["example_avoiding"].entry.value = "We never talk about the late deliveries."
    saving.start_new_session()
    saving.current_session().open("Sunrise")
    again = conflict.conflict_styles_reflection()
    assert again.fields["often_avoiding"].value == "sometimes"
    assert "We never talk about the late deliveries." in results(again)[1].value
