from django.shortcuts import render

from accounts.access import role_required
from accounts.choices import CBP_STAFF, Role


@role_required(CBP_STAFF)
def partner_list(request):
    return render(
        request,
        "ctpat/section.html",
        {
            "title": "Partners",
            "intro": "Companies in the program: their profile, sites, people and enrollment "
            "in Security and Trade Compliance.",
            "empty": "No partners have been entered yet.",
        },
    )


@role_required({Role.PARTNER})
def my_company(request):
    return render(
        request,
        "ctpat/section.html",
        {
            "title": "My company",
            "intro": "Your company's profile, programs, status and deadlines.",
            "empty": "Your account is not linked to a company yet. "
            "Ask your CBP specialist for an invitation.",
        },
    )
