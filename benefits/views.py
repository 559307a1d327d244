from django.shortcuts import render


def benefit_list(request):
    return render(
        request,
        "ctpat/section.html",
        {
            "title": "Benefits",
            "intro": "What membership brings, by program and tier, and the measured effect of "
            "each benefit against non-members.",
            "empty": "No benefits are in the catalogue yet.",
        },
    )
