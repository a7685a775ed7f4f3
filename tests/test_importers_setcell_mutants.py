"""peri.log.importers.setcell at its edges (issue 20: each test kills mutants tests/test_importers_setcell.py let
live): bodyweight as a load, the writing each cell is named as in the report, the limits of a count of reps and of
sets, a cell of two bare numbers that is no set, the messages word for word (cut at 40 characters), and words in
square brackets kept as the set's note."""
from __future__ import annotations

import pytest

from peri.log.importers.base import RowRefused
from peri.log.importers.setcell import (
    COUNT_AT,
    LOAD_REPS,
    REPS_LOAD,
    THREE,
    _load_kind,
    read_set_cell,
    remark_of,
    set_cell_columns,
)


def test_the_columns_that_hold_whole_sets_come_from_the_vocabulary() -> None:
    assert {"set", "top set", "satz", "serie"} <= set_cell_columns()


@pytest.mark.parametrize("text, kind", [("100 kg", "unit"), ("BW+10", "unit"), ("bodyweight", "unit"),
                                        ("Bodyweight", "unit"), ("100", "bare"), ("5 reps", None)])
def test_what_a_load_is(text: str, kind: str | None) -> None:
    assert _load_kind(text) == kind


def test_bodyweight_written_out_is_the_load_of_three_numbers() -> None:
    assert read_set_cell("bodyweight x 12 x 3", one_set=False) == read_set_cell("bodyweight x 12 x 3", one_set=True)
    c = read_set_cell("bodyweight x 12 x 3", one_set=False)
    assert (c.a, c.b, c.order, c.sets, c.shape) == ("bodyweight", "12", "load-reps", 3, THREE)


@pytest.mark.parametrize("text, shape, order", [("5@100", COUNT_AT, "reps-load"), ("5 x 100 kg", REPS_LOAD, "reps-load"),
                                                ("100 kg x 5", LOAD_REPS, "load-reps")])
def test_each_writing_is_named_as_it_is_written(text: str, shape: str, order: str) -> None:
    c = read_set_cell(text, one_set=True)
    assert (c.shape, c.order) == (shape, order)


@pytest.mark.parametrize("text, read", [("30 x 5 x 3", None), ("31 x 5 x 3", ("31", "5", 3))])
def test_a_load_of_three_bare_numbers_is_over_thirty(text: str, read) -> None:
    """30 can be a count of reps, so "30 x 5 x 3" cannot tell its load; 31 cannot, so it is the load."""
    if read is None:
        with pytest.raises(RowRefused):
            read_set_cell(text, one_set=False)
    else:
        c = read_set_cell(text, one_set=False)
        assert (c.a, c.b, c.sets) == read


@pytest.mark.parametrize("text", ["100 x 7.5", "0 x 10"])
def test_two_bare_numbers_that_are_no_set(text: str) -> None:
    """100 sets is no count, and 7.5 reps neither; 0 kg x 10 is no load: left to the reps reader (None)."""
    assert read_set_cell(text, one_set=False) is None


@pytest.mark.parametrize("sets, read", [(50, False), (51, True)])
def test_beside_a_weight_column_a_count_of_up_to_fifty_is_a_scheme(sets: int, read: bool) -> None:
    c = read_set_cell(f"{sets} x 10", one_set=False, row_load=True)
    assert (c is not None) is read
    if read:
        assert (c.a, c.b, c.order) == (str(sets), "10", "load-reps")


def test_a_scheme_at_a_bare_number_reads_two_ways_word_for_word() -> None:
    with pytest.raises(RowRefused) as e:
        read_set_cell("3x8 @ 8", one_set=False)
    assert str(e.value) == ("set '3x8 @ 8' reads two ways: 3 sets of 8 at 8, or 3 x 8 at RPE 8; write the unit "
                            "(3x8 @ 8 kg) or 'RPE 8'")
    text = "3" + " " * 40 + "x 8 @ 8"  # over 40 characters: the message shows the first 40
    assert len(text) > 41
    with pytest.raises(RowRefused) as e:
        read_set_cell(text, one_set=False)
    assert str(e.value).startswith(f"set {text[:40]!r} reads two ways: 3 sets of 8 at 8")


def test_three_numbers_messages_word_for_word_and_cut_at_forty_characters() -> None:
    with pytest.raises(ValueError) as e:
        read_set_cell("5 reps x 6 reps x 3", one_set=False)
    assert str(e.value) == "set '5 reps x 6 reps x 3': '5 reps' is no load and no count"
    padded = "5 reps" + " " * 40 + "x 6 reps x 3"
    with pytest.raises(ValueError) as e:
        read_set_cell(padded, one_set=False)
    assert str(e.value) == f"set {padded[:40]!r}: '5 reps' is no load and no count"
    with pytest.raises(ValueError) as e:
        read_set_cell("2 x 6 reps x 3", one_set=False)  # the first part that is no load: the second
    assert str(e.value) == "set '2 x 6 reps x 3': '6 reps' is no load and no count"
    long = "30" + " " * 20 + "x 5" + " " * 20 + "x 3"  # over 40 characters: the message shows the first 40
    assert len(long) > 40
    with pytest.raises(RowRefused) as e:
        read_set_cell(long, one_set=False)
    assert str(e.value) == (f"set {long[:40]!r}: three numbers, and which is the load cannot be told (load x reps x "
                            "sets is read with the load first, sets x reps x load with it last)")
    wide = "60 kg" + " " * 20 + "x 5" + " " * 20 + "x 300"
    with pytest.raises(ValueError) as e:
        read_set_cell(wide, one_set=False)
    assert str(e.value) == f"set {wide[:40]!r}: '5' x '300' is no count of reps and of sets"


@pytest.mark.parametrize("text, remark", [("10 [assisted]", "assisted"), ("10 (assisted)", "assisted"),
                                          ("10", None), ("10 reps", None)])
def test_words_in_either_bracket_are_the_remark(text: str, remark: str | None) -> None:
    assert remark_of(text) == remark
