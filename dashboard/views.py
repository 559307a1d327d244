from django.shortcuts import render

from accounts.access import role_required
from accounts.choices import SUPERVISORS


@role_required(SUPERVISORS)
def dashboard_index(request):
    return render(
        request,
        "ctpat/section.html",
        {
            "title": "Compliance dashboard",
            "intro": "Partners, validations, required actions, forced-labor documentation and "
            "deadlines for your field office.",
            "empty": "There is nothing to report yet.",
        },
    )
