import pytest
from django.template import Context, Template

from benefits.choices import PROPOSAL_STATE, ProposalStatus
from ctpat.words import possessive
from validations.choices import VALIDATION_STATE, Status


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Acme Imports Inc.", "Acme Imports Inc.'s"),
        ("Northern Freight Lines", "Northern Freight Lines'"),
        ("ACME LOGISTICS", "ACME LOGISTICS'"),
        ("", ""),
    ],
)
def test_possessives_are_written_properly(name, written):
    assert possessive(name) == written
    html = Template("{% load ctpat_tags %}{{ name|possessive }}").render(Context({"name": name}))
    assert html == written.replace("'", "&#x27;")


def test_every_status_reads_in_a_sentence():
    assert set(PROPOSAL_STATE) == set(ProposalStatus)
    assert set(VALIDATION_STATE) == set(Status)
    assert f"The validation is {VALIDATION_STATE[Status.DOCUMENTS_REQUESTED]}." == (
        "The validation is waiting for documents from the partner."
    )
    assert f"The proposal is {PROPOSAL_STATE[ProposalStatus.PROPOSED]}." == (
        "The proposal is awaiting review."
    )
