from django.shortcuts import render

from accounts.access import role_required
from accounts.choices import CBP_STAFF


@role_required(CBP_STAFF)
def validation_list(request):
    return render(
        request,
        "ctpat/section.html",
        {
            "title": "Validations",
            "intro": "Validations of partners against the Minimum Security Criteria: "
            "document requests, findings, required actions and reports.",
            "empty": "No validations are planned or open.",
        },
    )
