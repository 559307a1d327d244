"""Small helpers for writing sentences about names."""


def possessive(name: str) -> str:
    """ "Acme Imports Inc." -> "Acme Imports Inc.'s"; "Northern Freight Lines" ->
    "Northern Freight Lines'".

    A name ending in s takes the apostrophe alone. Both "Lines's" and "Lines'" are correct
    English; company names that end in s are nearly always plural in form ("Lines",
    "Logistics", "Industries"), where the bare apostrophe is what readers expect, and it is
    the AP style most U.S. agency writing follows. One rule everywhere, for every name.
    """
    name = str(name)
    if not name:
        return name
    return f"{name}'" if name[-1] in "sS" else f"{name}'s"
